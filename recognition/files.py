"""Checking an uploaded scan of a decision by its content, not its name or browser type."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from core.text import format_decimal, nfc

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# magic bytes → (extension, content type)
SIGNATURES = (
    (b"%PDF-", ("pdf", "application/pdf")),
    (b"\xff\xd8\xff", ("jpg", "image/jpeg")),
    (b"\x89PNG\r\n\x1a\n", ("png", "image/png")),
)


class ScanRejected(Exception):
    pass


def max_bytes() -> int:
    return int(getattr(settings, "RECOGNITION_SCAN_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(size: int) -> str:
    return format_decimal(size / (1024 * 1024), 1) + " MB"


def check_scan(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable scan, else ScanRejected in Vietnamese."""
    if upload.size == 0:
        raise ScanRejected("Tệp bản quét rỗng (0 byte).")
    if upload.size > max_bytes():
        raise ScanRejected(
            f"Tệp bản quét quá lớn ({_mb(upload.size)}); giới hạn là {_mb(max_bytes())}."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, found in SIGNATURES:
        if head.startswith(magic):
            return found
    raise ScanRejected(
        "Tệp bản quét phải là PDF, JPG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên)."
    )


def clean_name(name: str) -> str:
    """A display/download name without path parts or odd characters, Vietnamese kept."""
    base = nfc(name).replace("\\", "/").rsplit("/", 1)[-1]
    safe = get_valid_filename(base) if base else ""
    return safe[:200] or "quyet-dinh"
