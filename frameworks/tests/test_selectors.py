"""framework_for(kind, date) on the loaded database."""

from __future__ import annotations

import datetime as dt

import pytest

from frameworks.models import Framework
from frameworks.selectors import framework_for, framework_tree


@pytest.mark.parametrize(
    ("kind", "day", "framework", "version"),
    [
        ("TH", dt.date(2024, 3, 1), "TT17-2018", "2018"),
        ("TH", dt.date(2025, 3, 1), "TT17-2018", "TT22-2024"),
        ("TH", dt.date(2026, 9, 1), "TT57-2026-PT", "2026"),
        ("THPT", dt.date(2023, 9, 1), "TT18-2018", "2018"),
        ("MN", dt.date(2026, 9, 1), "TT57-2026-MN", "2026"),
    ],
)
def test_framework_for_kind_and_date(loaded, kind, day, framework, version):
    choice = framework_for(kind, day)
    assert (choice.framework.code, choice.version.code) == (framework, version)


def test_framework_for_returns_none_when_nothing_applies(loaded):
    assert framework_for("GDTX", dt.date(2024, 1, 1)) is None


def test_tree_search_is_accent_insensitive(loaded):
    framework = Framework.objects.get(code="TT17-2018")
    tree = framework_tree(framework, "thu vien")
    codes = [row["criterion"].code for block in tree["standards"] for row in block["criteria"]]
    assert "3.6" in codes  # "Thư viện"
    assert tree["hits"] > 0
    assert framework_tree(framework, "zzzz khong co")["hits"] == 0
