"""Fixtures for the evidence tests: frameworks loaded from the project's data files, one
assessment per framework family for the conftest school, files of each kind, a temporary
MEDIA_ROOT so no test writes into the project's media folder."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from assessments.models import Assessment, CriterionSheet
from frameworks import engine
from frameworks.models import Criterion, Framework
from frameworks.services import framework_load


def load_framework(code: str) -> Framework:
    framework, _changed = framework_load(data=engine.read_data(engine.DATA_DIR / f"{code}.json"))
    return framework


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def tt17(db) -> Framework:
    return load_framework("TT17-2018")


@pytest.fixture
def tt57(db) -> Framework:
    return load_framework("TT57-2026-PT")


def make_assessment(school, framework: Framework, year: str = "2025-2026") -> Assessment:
    import datetime as dt

    version = framework.versions.order_by("effective_from").values_list("code", flat=True).first()
    return Assessment.objects.create(
        school=school,
        school_year=year,
        framework=framework,
        framework_version=version or framework.code,
        started_on=dt.date(int(year[:4]), 9, 15),
    )


@pytest.fixture
def assessment(school, tt17) -> Assessment:
    """TH school, 2018 framework (TT17), 2025-2026."""
    return make_assessment(school, tt17)


@pytest.fixture
def assessment57(school, tt57) -> Assessment:
    return make_assessment(school, tt57, "2026-2027")


def criterion(framework: Framework, code: str) -> Criterion:
    return Criterion.objects.select_related("standard").get(framework=framework, code=code)


def sheet(assessment: Assessment, code: str) -> CriterionSheet:
    crit = criterion(assessment.framework, code)
    return CriterionSheet.objects.get_or_create(assessment=assessment, criterion=crit)[0]


@pytest.fixture
def staff(make_user, school):
    return make_user(Role.STAFF, school=school, username="gv_huoiluong")


@pytest.fixture
def viewer(make_user, school):
    return make_user(Role.VIEWER, school=school, username="xem_huoiluong")


# ---- files ---------------------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def office_zip(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(f"{part}/document.xml", "<x/>")
    return buf.getvalue()


def ole2(stream_name: str) -> bytes:
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + stream_name.encode("utf-16-le")
        + b"\x00" * 64
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "bien-ban.pdf", extra: bytes = b"") -> SimpleUploadedFile:
    return upload(name, MINIMAL_PDF + extra)
