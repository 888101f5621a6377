"""PDF from our own .docx with LibreOffice headless: the PDF is exactly the Word file people
would print, no second layout engine to keep in step."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT = 180

MISSING_MESSAGE = (
    "Không tìm thấy LibreOffice nên chưa tạo được tệp PDF. Quản trị viên cần cài LibreOffice "
    "trên máy chủ (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui), rồi thử lại. "
    "Trong lúc chờ, bạn vẫn tải được bản .docx."
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed: the message tells the user how to enable it."""


class PdfConversionError(RuntimeError):
    pass


def soffice_binary() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable(MISSING_MESSAGE)


def is_available() -> bool:
    try:
        soffice_binary()
    except PdfUnavailable:
        return False
    return True


def docx_to_pdf(docx_path: Path | str, *, timeout: int = DEFAULT_TIMEOUT) -> Path:
    """Convert `docx_path` to a PDF next to it and return the PDF path."""
    binary = soffice_binary()
    source = Path(docx_path).resolve()
    outdir = source.parent
    # One LibreOffice profile per call: two conversions sharing the default profile block each
    # other (or fail) when the web server and a task worker convert at the same time.
    with tempfile.TemporaryDirectory(prefix="tc-lo-") as profile:
        command = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionError(
                f"LibreOffice không chuyển xong tệp PDF sau {timeout} giây."
            ) from exc
    target = outdir / (source.stem + ".pdf")
    if result.returncode or not target.exists():
        detail = (result.stderr or result.stdout or "").strip()[-500:]
        raise PdfConversionError(f"LibreOffice không tạo được tệp PDF. {detail}".strip())
    return target


def docx_bytes_to_pdf(
    data: bytes, *, name: str = "van-ban", timeout: int = DEFAULT_TIMEOUT
) -> bytes:
    with tempfile.TemporaryDirectory(prefix="tc-pdf-") as workdir:
        source = Path(workdir) / f"{name}.docx"
        source.write_bytes(data)
        return docx_to_pdf(source, timeout=timeout).read_bytes()
