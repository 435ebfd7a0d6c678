from __future__ import annotations

import datetime as dt

import pytest

from xhht.core.text import fold, vi_name_sort_key
from xhht.imports import normalize as nz

TODAY = dt.date(2025, 10, 1)


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Hoa",
        "Đặng Văn Đức",
        "A Thắng",
        "Y Bình",
        "Lê  Thị   Ánh",
        "Hồ Ngọc Ẩn 2",
        "Nguyễn Thị Hoà",
        "Ka Sô Liễng",
        "Trương Thị Ngọc Uyên",
        "Ông Ích Khiêm",
        "Nguyễn-Văn O'Neil",
    ],
)
def test_name_keys_equal_the_models_own_keys(name):
    normalized = nz.text(name)
    assert nz.name_keys(normalized) == (fold(normalized), vi_name_sort_key(normalized))


@pytest.mark.parametrize(
    ("raw", "date", "year"),
    [
        ("02/09/1985", dt.date(1985, 9, 2), 1985),
        ("2/9/1985", dt.date(1985, 9, 2), 1985),
        ("5/3/62", dt.date(1962, 3, 5), 1962),
        ("5/3/12", dt.date(2012, 3, 5), 2012),
        ("1985", None, 1985),
        ("1985-09-02", dt.date(1985, 9, 2), 1985),
        ("31.12.2000", dt.date(2000, 12, 31), 2000),
        (31292, dt.date(1985, 9, 2), 1985),  # an Excel serial from XLSX
        ("31292", dt.date(1985, 9, 2), 1985),
        (dt.datetime(1985, 9, 2, 0, 0), dt.date(1985, 9, 2), 1985),
        (1985.0, None, 1985),
        ("", None, None),
    ],
)
def test_dates(raw, date, year):
    errors: nz.Issues = []
    assert nz.dates([raw], errors, today=TODAY) == ([date], [year])
    assert errors == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/02/1990", "Ngày không tồn tại"),
        ("1/1/2030", "ngoài khoảng"),
        ("1850", "Năm không hợp lệ"),
        ("hôm qua", "Ngày không hợp lệ"),
        ("12/1985", "Ngày không hợp lệ"),
    ],
)
def test_bad_dates(raw, message):
    errors: nz.Issues = []
    nz.dates([raw], errors, today=TODAY)
    assert len(errors) == 1 and message in errors[0][1]


def test_sexes_in_any_case_and_without_diacritics():
    errors: nz.Issues = []
    assert nz.sexes(["Nam", "NỮ", "nu", "nam", "Nữ", ""], errors) == ["M", "F", "F", "M", "F", ""]
    nz.sexes(["khác"], errors)
    assert errors == [(0, "Giới tính phải là 'Nam' hoặc 'Nữ', không phải 'khác'.")]


def test_phones():
    errors: nz.Issues = []
    warnings: nz.Issues = []
    got = nz.phones(
        ["0905123456", "+84 905 123 456", "905.123.456", "84905123456", "9,05E+08", "12"], errors, warnings
    )
    assert got[:4] == ["0905123456"] * 4
    assert [i for i, _m in warnings] == [2]
    assert [i for i, _m in errors] == [4, 5]
    assert "số mũ" in errors[0][1]


def test_cccd_forms():
    errors: nz.Issues = []
    warnings: nz.Issues = []
    got = nz.cccds(
        ["051085000001", "'051085000002", 51085000003, 51085000004.0, "051 085 000 005", "051085000006.0"],
        [1985] * 6,
        ["M"] * 6,
        errors,
        warnings,
    )
    assert got == [
        "051085000001",
        "051085000002",
        "051085000003",
        "051085000004",
        "051085000005",
        "051085000006",
    ]
    assert errors == [] and [i for i, _m in warnings] == [2, 3]


def test_headers_match_without_case_diacritics_or_punctuation():
    assert nz.header_key("Thôn/Tổ dân phố") == nz.header_key("THON TO DAN PHO") == "thontodanpho"
    assert nz.header_key("  Họ và tên ") == nz.header_key("ho va ten")
