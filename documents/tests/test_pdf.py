import datetime as dt
import shutil
import subprocess
import unicodedata

import pytest

from documents import nd30, pdf
from documents.tests.helpers import needs_soffice
from documents.tests.test_nd30 import spec


def test_missing_libreoffice_gives_a_clear_vietnamese_message(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert not pdf.is_available()
    with pytest.raises(pdf.PdfUnavailable) as exc:
        pdf.docx_bytes_to_pdf(b"x")
    message = str(exc.value)
    assert "LibreOffice" in message and "libreoffice-writer-nogui" in message


@needs_soffice
def test_pdf_keeps_vietnamese_text(tmp_path):
    doc = nd30.NDDocument(spec(date=dt.date(2021, 7, 5)))
    doc.paragraph("Trường PTDTBT TH Huổi Luông đạt chuẩn quốc gia Mức độ 1.")
    data = pdf.docx_bytes_to_pdf(doc.to_bytes())
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) chưa cài")
    target = tmp_path / "out.pdf"
    target.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFC", text)
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
        "Độc lập - Tự do - Hạnh phúc",
        "Huổi Luông",
        "ngày 05 tháng 7 năm 2021",
        "Nơi nhận",
    ):
        assert words in text, words
