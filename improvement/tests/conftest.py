"""A TH school (TT17-2018) with its 2024-2025 self-assessment: everything of criteria 1.x met,
so the engine names blockers elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.tests.conftest import assessment, loaded, staff, tick_all  # noqa: F401
from frameworks.models import Framework


@pytest.fixture
def tt17(loaded) -> Framework:  # noqa: F811
    return Framework.objects.get(code="TT17-2018")


@pytest.fixture
def action_data():
    def make(**overrides):
        data = {
            "title": "Bổ sung phòng học bộ môn",
            "responsible": "Phó hiệu trưởng Lò Văn Minh",
            "start": dt.date(2025, 9, 5),
            "due": dt.date(2026, 5, 31),
            "resources": "Ngân sách chi thường xuyên",
            "expected_evidence": "Biên bản nghiệm thu",
            "status": "planned",
            "drop_reason": "",
            "indicators": ["1.1-M2"],
            "criteria": [],
        }
        data.update(overrides)
        return data

    return make
