"""The document check (documents.check): what must not reach a printed document is found in the
body, the tables and the headers of a .docx; ordinary Vietnamese text, codes, numbers and
names are not."""

from __future__ import annotations

import datetime as dt

import pytest

from documents import check, nd30
from documents.tests.test_nd30 import spec


def docx_with(*paragraphs: str, table: list[str] | None = None, closing: str = "") -> bytes:
    doc = nd30.NDDocument(spec(date=dt.date(2021, 7, 5)))
    for text in paragraphs:
        doc.paragraph(text)
    if table:
        doc.table([nd30.Column("Nội dung", 150)], [[cell] for cell in table])
    doc.finish(closing)
    return doc.to_bytes()


def codes(data: bytes) -> list[str]:
    return [f.code for f in check.scan_docx(data)]


@pytest.mark.parametrize(
    "text",
    [
        "Trường PTDTBT TH Huổi Luông đạt chuẩn quốc gia Mức độ 1 (Quyết định số 812/QĐ-UBND).",
        "Minh chứng kèm theo: [H1-1.1-01]; [H1-1.1-02]; (MC.1.3.01).",
        "Tỷ lệ 55,61%; tổng vốn 14.765 triệu đồng; năm học 2025-2026; TT 17/2018/TT-BGDĐT.",
        "Địa chỉ lưu trữ: https://truong.example.edu.vn/minh-chung, hộp H1, tủ hồ sơ số 2.",
        "Lo Van Thang, Nguyen Thi Hoa, Vang A Su: thanh vien hoi dong tu danh gia.",
        "UBND XÃ PHONG THỔ; PTDTBT; THCS; GDĐT; KH-UBND; BC-UBND; QĐ-THHL.",
        "Tiêu chí 1.1 đạt Mức 2; tiêu chí 5.4 đạt Mức 3.",
    ],
)
def test_ordinary_document_text_gives_no_finding(text):
    assert check.scan_text(text) == []


def test_it_finds_an_english_sentence():
    found = check.scan_text(
        "M4-4: for 05 consecutive years up to the evaluation time, the school completes all goals."
    )
    assert [f.code for f in found] == [check.ENGLISH]
    assert found[0].message == "Có câu tiếng Anh trong văn bản"
    assert "consecutive years" in found[0].excerpt


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.1-M2 Đạt", check.INTERNAL_ID),
        ("Để đạt Mức 3 cần đáp ứng: 1.6-M3.", check.INTERNAL_ID),
        ("Minh chứng được mã hóa theo dạng [H{box}-{criterion}-{seq:02}].", check.TEMPLATE_LEAK),
        ("Mã (MC.{criterion}.{seq:02})", check.TEMPLATE_LEAK),
        ("Nội dung chưa chắc chắn.", check.DEVELOPER_NOTE),
        ("Tên cột chưa đối chiếu văn bản gốc.", check.DEVELOPER_NOTE),
        (
            "Lưu ý: cách mã hóa này chưa được đối chiếu với văn bản chính thức.",
            check.DEVELOPER_NOTE,
        ),
        ("TT22/2024: chưa có nội dung chỉ báo sửa đổi.", check.DEVELOPER_NOTE),
        ("M4-4: (chưa có văn bản)", check.MISSING_TEXT),
        ("(Nội dung phần này chưa được soạn: bổ sung tại trang Văn bản.)", check.MISSING_TEXT),
        ("(Chưa soạn nội dung phần này.)", check.MISSING_TEXT),
    ],
)
def test_it_finds_leaks_notes_and_placeholders(text, code):
    found = check.scan_text(text)
    assert code in [f.code for f in found]
    assert all(f.message and f.excerpt for f in found)


def test_it_reads_body_tables_and_headers_of_a_docx():
    data = docx_with(
        "Thực hiện kế hoạch năm 2021.",
        table=["1.1-M2 Đạt", "the school has at least 02 years with results"],
        closing="Trên đây là báo cáo",
    )
    assert sorted(codes(data)) == sorted([check.INTERNAL_ID, check.ENGLISH])
    assert check.scan_docx(data)[0].place == "nội dung"


def test_it_accepts_a_path(tmp_path):
    target = tmp_path / "bao-cao.docx"
    target.write_bytes(docx_with("Nội dung chưa chắc chắn."))
    assert codes(target) == [check.DEVELOPER_NOTE]
    assert codes(str(target)) == [check.DEVELOPER_NOTE]


def test_it_finds_the_end_mark_alone_after_a_table():
    assert check.LONE_ENDING in codes(docx_with("Danh mục:", table=["Biên bản họp"]))
    assert codes(docx_with("Danh mục:", table=["Biên bản họp"], closing="Danh mục gồm 1")) == []


def test_a_clean_document_gives_no_finding():
    data = docx_with(
        "Thực hiện Nghị quyết số 129/NQ-HĐND ngày 17/12/2020 của HĐND huyện Phong Thổ;",
        table=["[H1-1.2-02]", "35,29%"],
        closing="Trên đây là báo cáo",
    )
    assert check.scan_docx(data) == []
