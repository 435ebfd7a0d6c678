"""Authoring: YAML and workbook round trips, and malformed workbooks named by sheet, row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from xhht.criteria.authoring import (
    AuthoringErrors,
    build_from_document,
    canonical_json,
    content_hash,
    parse_workbook,
    parse_yaml,
    to_document,
    to_workbook,
    to_yaml,
)
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet


def _bump(doc, version):
    doc["settings"]["version"] = version
    return doc


@pytest.mark.parametrize("code", ["cdht-324", "dvht-tt24-2023", "cdht-xa-tt25-2023"])
def test_workbook_round_trip(db, code):
    load_defaults(publish=True)
    cs = CriteriaSet.objects.get(code=code)
    data = to_workbook(cs)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["criteria", "outcomes", "settings"]
    assert [c.value for c in wb["criteria"][1]][:5] == ["code", "type", "label::vi", "label::en", "hint::vi"]
    doc = parse_workbook(data)
    again = build_from_document(_bump(doc, cs.version + 1))
    assert to_document(again)["groups"] == to_document(cs)["groups"]
    assert to_document(again)["outcomes"] == to_document(cs)["outcomes"]
    assert content_hash(again) == cs.content_hash
    # and the workbook of the copy is the same workbook
    assert parse_workbook(to_workbook(again))["outcomes"] == parse_workbook(data)["outcomes"]


def test_yaml_round_trip(db):
    load_defaults(publish=True)
    cs = CriteriaSet.objects.get(code="gdht-448")
    text = to_yaml(cs)
    assert "Việc học tập của trẻ em trong gia đình" in text  # UTF-8, not escaped
    again = build_from_document(_bump(parse_yaml(text), 7))
    assert canonical_json(to_document(again)) == canonical_json(to_document(cs))
    assert again.version == 7 and again.status == "draft"


def _workbook(criteria_rows, outcome_rows=None, settings_row=None, criteria_header=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "criteria"
    ws.append(criteria_header or ["code", "type", "label::vi", "points", "min", "mandatory", "rule"])
    for r in criteria_rows:
        ws.append(r)
    wo = wb.create_sheet("outcomes")
    wo.append(["level", "min_total", "condition"])
    for r in outcome_rows if outcome_rows is not None else [["dat", 80, ""]]:
        wo.append(r)
    wsettings = wb.create_sheet("settings")
    wsettings.append(["title", "code", "version", "name::vi", "source", "year_from", "year_to", "province"])
    wsettings.append(settings_row or ["CDHT", "thu-bang-tinh", 1, "Bộ thử", "QĐ thử", 2025, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["A", "group", "Nhóm A", None, None, None, None],
    ["1", "criterion", "Tiêu chí 1", None, None, None, None],
    ["1.1", "indicator", "Chỉ số 1.1", 10, 5, "yes", None],
    ["1.2", "indicator", "Chỉ số 1.2", 10, 5, "no", "person.digital_skill >= 2 ? 10 : 0"],
]


def test_a_good_workbook_builds(db):
    cs = build_from_document(parse_workbook(_workbook(GOOD)))
    assert [i.code for i in cs.indicators] == ["1.1", "1.2"]
    assert cs.indicator_set.get(code="1.2").mandatory is False
    assert cs.indicator_set.get(code="1.2").rule.startswith("person.digital_skill")


def _errors(data) -> list[str]:
    with pytest.raises(AuthoringErrors) as exc:
        build_from_document(parse_workbook(data))
    return [str(e) for e in exc.value.errors]


def test_malformed_workbook_errors_name_sheet_row_and_column(db):
    rows = [
        *GOOD[:2],
        ["1.1", "indicator", "Chỉ số", "mười", 5, "yes", None],  # row 4: points not a number
        ["1.2", "indicator", "", 10, 12, "có lẽ", None],  # row 5: label empty, min > points, bad yes/no
        [
            "1.1",
            "indicator",
            "Trùng mã",
            10,
            5,
            "yes",
            "person.digital_skil > 1",
        ],  # row 6: duplicate, bad field
    ]
    errs = _errors(
        _workbook(rows, settings_row=["CDHT", "thu-loi", 1, "Bộ thử", "QĐ", "năm nay", None, "77"])
    )
    assert "trang «criteria», dòng 4, cột «points»: «mười» không phải là số." in errs
    assert "trang «criteria», dòng 5, cột «label::vi»: Không được để trống." in errs
    assert "trang «criteria», dòng 5, cột «min»: Mức tối thiểu 12 lớn hơn điểm tối đa 10." in errs
    assert "trang «criteria», dòng 5, cột «mandatory»: «có lẽ» không hợp lệ; dùng yes hoặc no." in errs
    assert "trang «criteria», dòng 6, cột «code»: Mã «1.1» bị trùng." in errs
    assert any(e.startswith("trang «criteria», dòng 6, cột «rule»: ") and "digital_skil" in e for e in errs)
    assert "trang «settings», dòng 2, cột «year_from»: «năm nay» không phải là số nguyên." in errs
    assert "trang «settings», dòng 2, cột «province»: Không có tỉnh mã «77»." in errs


def test_structure_errors(db):
    errs = _errors(
        _workbook(
            [["1.1", "indicator", "Chỉ số", 10, 5, "yes", None]], outcome_rows=[["muc_3", 80, "total >="]]
        )
    )
    assert (
        "trang «criteria», dòng 2, cột «type»: Chỉ số phải nằm sau một dòng tiêu chí (type = criterion)."
        in errs
    )
    errs = _errors(
        _workbook(
            [GOOD[0], GOOD[1], ["1.1", "chi_so", "x", 10, 5, "yes", None]],
            outcome_rows=[["muc_3", 80, "total >="]],
        )
    )
    assert (
        "trang «criteria», dòng 4, cột «type»: Loại «chi_so» không hợp lệ; dùng group, criterion hoặc indicator."
        in errs
    )
    errs = _errors(_workbook(GOOD, outcome_rows=[["muc_3", 80, ""], ["dat", "tám mươi", "total >="]]))
    assert (
        "trang «outcomes», dòng 2, cột «level»: Mức «muc_3» không hợp lệ; dùng dat, muc_1 hoặc muc_2." in errs
    )
    assert "trang «outcomes», dòng 3, cột «min_total»: «tám mươi» không phải là số." in errs
    assert any(
        e.startswith("trang «outcomes», dòng 3, cột «condition»: Biểu thức CEL không hợp lệ") for e in errs
    )
    errs = _errors(
        _workbook(
            GOOD, criteria_header=["code", "type", "label::vi", "points", "min", "mandatory", "quy_tac"]
        )
    )
    assert "trang «criteria», dòng 1, cột «G»: Cột «quy_tac» không được hỗ trợ." in errs


def test_missing_sheet_and_not_a_workbook():
    wb = Workbook()
    wb.active.title = "criteria"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(AuthoringErrors) as exc:
        parse_workbook(buf.getvalue())
    assert [str(e) for e in exc.value.errors] == [
        "trang «outcomes»: Thiếu trang «outcomes».",
        "trang «settings»: Thiếu trang «settings».",
    ]
    with pytest.raises(AuthoringErrors, match="không phải là bảng tính"):
        parse_workbook(b"not a workbook")


def test_yaml_errors_name_the_place(db):
    with pytest.raises(AuthoringErrors) as exc:
        parse_yaml("settings: [\n  - a\n b")
    assert "YAML" in str(exc.value) and "dòng" in str(exc.value)
    doc = parse_yaml(
        "settings: {title: XYZ, name: Bộ, year_from: 2025}\n"
        "groups: [{code: A, label: Nhóm, criteria: [{code: '1', label: T, indicators: [{code: '1.1', label: C, points: -3}]}]}]\n"
        "outcomes: [{level: dat}]\n"
    )
    with pytest.raises(AuthoringErrors) as exc:
        build_from_document(doc)
    errs = [str(e) for e in exc.value.errors]
    assert any(e.startswith("trang «settings», cột «title»: Danh hiệu «XYZ» không có") for e in errs)
    assert "trang «groups[1] > criteria[1] > indicators[1]», cột «points»: Không được là số âm." in errs


def test_an_existing_version_is_refused(db):
    load_defaults(publish=True)
    cs = CriteriaSet.objects.get(code="cdht-324")
    with pytest.raises(AuthoringErrors, match="tăng số phiên bản"):
        build_from_document(parse_yaml(to_yaml(cs)))
