import datetime as dt
import unicodedata
from decimal import Decimal

from core.text import (
    fold,
    format_date_long,
    format_date_short,
    format_decimal,
    format_int,
    format_percent,
    nfc,
    sort_key,
)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Huổi Luông")
    assert decomposed != "Huổi Luông"
    assert nfc(decomposed) == "Huổi Luông"


def test_fold_ignores_accents_case_and_d_stroke():
    assert fold("PTDTBT TH Huổi Luông") == "ptdtbt th huoi luong"
    assert fold("Đoàn Kết") == "doan ket"
    assert fold(unicodedata.normalize("NFD", "Dào  San")) == "dao san"


def test_sort_key_follows_vietnamese_alphabet():
    names = ["Đoàn Kết", "Dào San", "Ân Thi", "An Bình", "Ăn Ở", "Bình Lãng", "Hà", "Hà Nội", "Hạ"]
    assert sorted(names, key=sort_key) == [
        "An Bình",
        "Ăn Ở",
        "Ân Thi",
        "Bình Lãng",
        "Dào San",
        "Đoàn Kết",
        "Hà",
        "Hạ",
        "Hà Nội",
    ]


def test_sort_key_uses_only_digits_so_any_collation_agrees():
    assert sort_key("Trường Mầm non Hoa Sen 2").isdigit()


def test_numbers_in_vietnamese_format():
    assert format_int(14765) == "14.765"
    assert format_decimal(Decimal("1234.5")) == "1.234,50"
    assert format_decimal(Decimal("0.125")) == "0,13"  # half up, not half even
    assert format_percent(5, 9) == "55,56%"
    assert format_percent(0, 0) == "0,00%"


def test_dates_in_official_format():
    assert format_date_long(dt.date(2021, 7, 5)) == "ngày 05 tháng 7 năm 2021"
    assert format_date_long(dt.date(2021, 1, 17)) == "ngày 17 tháng 01 năm 2021"
    assert format_date_long(dt.date(2020, 12, 17)) == "ngày 17 tháng 12 năm 2020"
    assert format_date_short(dt.date(2020, 12, 7)) == "07/12/2020"
