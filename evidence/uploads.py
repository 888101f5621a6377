"""Checking an uploaded evidence file by its content, and making its name safe.

The browser's content type and the file's extension are both chosen by whoever uploads, so
neither is trusted: the type is read from the first bytes (and, for Office files, from the
container's structure). Only the types a self-assessment dossier needs are accepted."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from core.text import format_decimal

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 150
FALLBACK_NAME = "minh-chung"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    ext: str
    content_type: str
    label: str
    # Extensions a user may legitimately give this content (kept on download).
    aliases: tuple[str, ...] = ()


PDF = FileKind("pdf", "application/pdf", "PDF")
PNG = FileKind("png", "image/png", "PNG")
JPG = FileKind("jpg", "image/jpeg", "JPG", ("jpeg", "jfif"))
DOC = FileKind("doc", "application/msword", "Word 97–2003 (.doc)")
XLS = FileKind("xls", "application/vnd.ms-excel", "Excel 97–2003 (.xls)")
DOCX = FileKind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (.docx)",
)
XLSX = FileKind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (.xlsx)",
)
ALL_KINDS = (PDF, DOC, DOCX, XLS, XLSX, JPG, PNG)
CONTENT_TYPES = {k.content_type for k in ALL_KINDS}
ACCEPT_ATTR = ",".join(f".{k.ext}" for k in ALL_KINDS) + ",.jpeg"


class UploadRejected(Exception):
    """The file cannot be an evidence file; the message says why, in Vietnamese."""


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return format_decimal(size / 1024, 0) + " KB"
    return format_decimal(size / (1024 * 1024), 1) + " MB"


def _allowed_text() -> str:
    return "PDF, Word (.doc, .docx), Excel (.xls, .xlsx), ảnh JPG hoặc PNG"


def _ole2_kind(data: bytes) -> FileKind | None:
    """Word and Excel 97–2003 share the OLE2 container; the directory names its main stream
    ("WordDocument" or "Workbook"/"Book") in UTF-16LE. PowerPoint, Outlook messages or
    encrypted containers have neither and are refused."""
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return XLS
    return None


def _zip_kind(fileobj: IO[bytes]) -> FileKind | None:
    """An Office Open XML package is a zip with [Content_Types].xml and a word/ or xl/ part;
    any other zip (including a renamed .apk or .jar) is refused."""
    try:
        with zipfile.ZipFile(fileobj) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def sniff(fileobj: IO[bytes]) -> FileKind | None:
    """The kind of file the content shows, or None when it is none of the accepted kinds."""
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPG
    if head.startswith(OLE2_MAGIC):
        data = fileobj.read()
        fileobj.seek(0)
        return _ole2_kind(data)
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(fileobj)
    return None


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    name: str  # sanitised display/download name, with an extension matching the content
    size: int
    sha256: str


def check_upload(fileobj: IO[bytes], original_name: str, size: int | None = None) -> CheckedFile:
    """Accept or refuse an uploaded file. Raises UploadRejected with a Vietnamese message."""
    limit = max_bytes()
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(0)
    if size == 0:
        raise UploadRejected(
            _("Tệp «%(name)s» rỗng (0 byte).") % {"name": safe_filename(original_name)}
        )
    if size > limit:
        raise UploadRejected(
            _("Tệp «%(name)s» quá lớn (%(size)s); dung lượng tối đa là %(max)s.")
            % {
                "name": safe_filename(original_name),
                "size": human_size(size),
                "max": human_size(limit),
            }
        )
    kind = sniff(fileobj)
    if kind is None:
        raise UploadRejected(
            _(
                "Tệp «%(name)s» không phải loại được chấp nhận. Chỉ nhận %(allowed)s; loại tệp "
                "được kiểm tra theo nội dung, không theo phần đuôi tên tệp."
            )
            % {"name": safe_filename(original_name), "allowed": _allowed_text()}
        )
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return CheckedFile(
        kind, name_for_kind(safe_filename(original_name), kind), size, digest.hexdigest()
    )


# Characters Windows refuses in names, and which a browser or shell may read specially.
_FORBIDDEN = set('<>:"/\\|?*') | {"\x00"}
_WINDOWS_RESERVED = (
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


def safe_filename(name: str | None, max_length: int = MAX_NAME_LENGTH) -> str:
    """A name safe to show and to send back in Content-Disposition: the last path part only,
    NFC (Vietnamese letters kept), no control or format characters, none of <>:"/\\|?*, no
    leading dots (no "..", no hidden files), spaces collapsed, at most `max_length` characters
    with the extension kept. "../../etc/passwd" → "passwd"; "<script>.pdf" → "script.pdf"."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(
        " " if unicodedata.category(ch) in ("Zs", "Zl", "Zp") or ch in "\t\r\n" else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\t\r\n"
    )
    text = "".join(ch for ch in text if ch not in _FORBIDDEN)
    text = " ".join(text.split()).strip(" .")
    if not text:
        return FALLBACK_NAME
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > 10 or not re.fullmatch(r"\w+", ext):
        stem, ext = text, ""
    if stem.lower() in _WINDOWS_RESERVED:
        stem = f"{stem}_"
    if ext:
        stem = stem[: max(1, max_length - len(ext) - 1)].rstrip(" .") or FALLBACK_NAME
        return f"{stem}.{ext}"
    return stem[:max_length].rstrip(" .") or FALLBACK_NAME


def name_for_kind(name: str, kind: FileKind) -> str:
    """Keep the user's name but make its extension tell the truth about the content, so the
    downloaded file opens in the right program ("bien-ban.pdf" holding a PNG → "bien-ban.png")."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() in (kind.ext, *kind.aliases):
        return name
    if dot and ext.lower() in {e for k in ALL_KINDS for e in (k.ext, *k.aliases)}:
        return f"{stem}.{kind.ext}"
    return safe_filename(f"{name}.{kind.ext}")
