"""PDF from our own .docx with LibreOffice headless: the PDF is exactly the Word file people
would print, no second layout engine to keep in step.

A plain `soffice --convert-to pdf` prints a table of contents as it was cached in the .docx,
i.e. empty: LibreOffice does not update indexes when it converts. So the conversion runs a
small Basic macro instead (load hidden → update every index → export PDF → quit), installed in
a LibreOffice profile of our own. The profile is prepared once per machine (a template under
the temp directory) and copied for each conversion, because two conversions sharing one profile
block each other when the web server and a task worker convert at the same time."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT = 180

# The fonts LibreOffice may use (why: see the file): one family with Vietnamese glyphs.
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"


def soffice_env() -> dict[str, str]:
    """The environment of a soffice process: ours, with the project's fontconfig file."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}


MISSING_MESSAGE = (
    "Không tìm thấy LibreOffice nên chưa tạo được tệp PDF. Quản trị viên cần cài LibreOffice "
    "trên máy chủ (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui), rồi thử lại. "
    "Trong lúc chờ, bạn vẫn tải được bản .docx."
)

# The macro's module replaces the empty Module1 of the profile's "My Macros" library, which
# LibreOffice trusts (macro security applies to documents, not to the user's own library).
# Any error ends LibreOffice too, so a broken file never leaves a process waiting on a dialog.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">
Sub ExportPdf(inPath As String, outPath As String)
  On Error GoTo Failed
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  Dim filter(0) As New com.sun.star.beans.PropertyValue
  filter(0).Name = &quot;FilterName&quot;
  filter(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(ConvertToURL(outPath), filter())
  doc.close(True)
Failed:
  StarDesktop.terminate()
End Sub
</script:module>
"""
_MACRO_VERSION = "1"


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


def _template_profile(binary: str, timeout: int) -> Path:
    """An initialised LibreOffice profile holding the export macro, made once and reused. It is
    built in a scratch directory and renamed into place, so concurrent first calls are safe."""
    root = Path(tempfile.gettempdir()) / f"tc-lo-profile-{os.getuid()}-v{_MACRO_VERSION}"
    module = root / "user" / "basic" / "Standard" / "Module1.xba"
    if module.exists() and module.read_text(encoding="utf-8") == _MACRO:
        return root
    scratch = Path(tempfile.mkdtemp(prefix="tc-lo-init-"))
    try:
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation={scratch.as_uri()}",
                "--headless",
                "--norestore",
                "--terminate_after_init",
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
            env=soffice_env(),
        )
        target = scratch / "user" / "basic" / "Standard" / "Module1.xba"
        if not target.parent.is_dir():
            raise PdfConversionError("LibreOffice không khởi tạo được hồ sơ người dùng.")
        target.write_text(_MACRO, encoding="utf-8")
        shutil.rmtree(root, ignore_errors=True)
        try:
            scratch.rename(root)
        except OSError:  # another process won the race; its profile is as good as ours
            shutil.rmtree(scratch, ignore_errors=True)
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise PdfConversionError("LibreOffice không khởi động được.") from exc
    return root


def docx_to_pdf(docx_path: Path | str, *, timeout: int = DEFAULT_TIMEOUT) -> Path:
    """Convert `docx_path` to a PDF next to it (tables of contents updated) and return the
    PDF path."""
    binary = soffice_binary()
    source = Path(docx_path).resolve()
    target = source.with_suffix(".pdf")
    template = _template_profile(binary, timeout)
    with tempfile.TemporaryDirectory(prefix="tc-lo-") as work:
        work_dir = Path(work)
        profile = work_dir / "profile"
        shutil.copytree(template, profile, symlinks=True)
        # Names we chose ourselves: the macro call needs no quoting of the user's file name.
        inside = work_dir / "in.docx"
        output = work_dir / "out.pdf"
        shutil.copyfile(source, inside)
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            f'macro:///Standard.Module1.ExportPdf("{inside}","{output}")',
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                env=soffice_env(),
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionError(
                f"LibreOffice không chuyển xong tệp PDF sau {timeout} giây."
            ) from exc
        if not output.exists() or not output.stat().st_size:
            detail = (result.stderr or result.stdout or "").strip()[-500:]
            raise PdfConversionError(f"LibreOffice không tạo được tệp PDF. {detail}".strip())
        shutil.move(output, target)
    return target


def docx_bytes_to_pdf(
    data: bytes, *, name: str = "van-ban", timeout: int = DEFAULT_TIMEOUT
) -> bytes:
    with tempfile.TemporaryDirectory(prefix="tc-pdf-") as workdir:
        source = Path(workdir) / f"{name}.docx"
        source.write_bytes(data)
        return docx_to_pdf(source, timeout=timeout).read_bytes()
