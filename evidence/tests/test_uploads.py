"""Uploads are checked by content, limited in size, and their names made safe."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from evidence import services, uploads
from evidence.models import Evidence

from .conftest import (
    EXE_BYTES,
    MINIMAL_PDF,
    PNG_BYTES,
    criterion,
    office_zip,
    ole2,
    upload,
)


@pytest.mark.parametrize(
    ("content", "ext"),
    [
        (MINIMAL_PDF, "pdf"),
        (PNG_BYTES, "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, "jpg"),
        (office_zip("word"), "docx"),
        (office_zip("xl"), "xlsx"),
        (ole2("WordDocument"), "doc"),
        (ole2("Workbook"), "xls"),
    ],
)
def test_it_recognises_each_accepted_kind_by_content(content, ext):
    assert uploads.sniff(io.BytesIO(content)).ext == ext


@pytest.mark.parametrize(
    "content",
    [
        EXE_BYTES,
        b"<html><script>alert(1)</script></html>",
        office_zip("ppt"),  # a zip that is no Word or Excel document
        ole2("PowerPoint Document"),
        b"PK\x03\x04not really a zip",
    ],
)
def test_it_refuses_other_content(content):
    assert uploads.sniff(io.BytesIO(content)) is None


def _create(user, assessment, file):
    return services.evidence_create(
        user=user,
        assessment=assessment,
        data={"first_criterion": criterion(assessment.framework, "1.1"), "name": "Tệp"},
        file=file,
    )


def test_an_exe_renamed_pdf_is_rejected(principal, assessment, media_root):
    with pytest.raises(ValidationError) as exc:
        _create(principal, assessment, upload("quyet-dinh.pdf", EXE_BYTES))
    message = exc.value.message_dict["file"][0]
    assert "không phải loại được chấp nhận" in message
    assert "theo nội dung" in message
    assert not Evidence.objects.exists()
    assert not list(media_root.rglob("*.*"))


def test_a_real_minimal_pdf_is_accepted_and_stored_under_a_random_key(principal, assessment):
    e = _create(principal, assessment, upload("Biên bản họp hội đồng.pdf", MINIMAL_PDF))
    assert e.content_type == "application/pdf"
    assert e.size == len(MINIMAL_PDF)
    assert len(e.sha256) == 64
    assert e.original_name == "Biên bản họp hội đồng.pdf"
    assert e.file.name.startswith("evidence/")
    assert "Bi" not in e.file.name and "1.1" not in e.file.name
    assert len(e.file.name.rsplit("/", 1)[-1]) == 32 + 4  # 128-bit hex token + ".pdf"


def test_a_png_named_pdf_is_kept_as_png(principal, assessment):
    e = _create(principal, assessment, upload("anh.pdf", PNG_BYTES, "application/pdf"))
    assert e.content_type == "image/png"
    assert e.original_name == "anh.png"


def test_the_size_limit_comes_from_settings(principal, assessment, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        _create(principal, assessment, upload("lon.pdf", MINIMAL_PDF + b"0" * 200))
    assert "quá lớn" in exc.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


def test_the_default_limit_is_20_mb(settings):
    del settings.EVIDENCE_MAX_BYTES
    assert uploads.max_bytes() == 20 * 1024 * 1024


def test_an_empty_file_is_refused(principal, assessment):
    with pytest.raises(ValidationError) as exc:
        _create(principal, assessment, upload("rong.pdf", b""))
    assert "rỗng" in exc.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("<script>.pdf", "script.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),  # "/" is a path separator
        ("..", "minh-chung"),
        ("", "minh-chung"),
        (".htaccess", "htaccess"),
        ("bao\x00cao\x1b.pdf", "baocao.pdf"),
        ("a\u202egnp.pdf", "agnp.pdf"),  # right-to-left override
        ("Quyết   định\tthành lập.docx", "Quyết định thành lập.docx"),
        ("CON.pdf", "CON_.pdf"),
    ],
)
def test_file_names_are_sanitised(name, safe):
    assert uploads.safe_filename(name) == safe


def test_decomposed_vietnamese_becomes_nfc():
    decomposed = "Bi\u00ean ba\u0309n ho\u0323p.pdf"
    assert uploads.safe_filename(decomposed) == "Biên bản họp.pdf"


def test_long_names_keep_their_extension():
    name = uploads.safe_filename("a" * 400 + ".docx")
    assert len(name) == uploads.MAX_NAME_LENGTH
    assert name.endswith(".docx")
