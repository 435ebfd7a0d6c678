"""Every CSV and XLSX the product writes, downloaded through its page by an officer, with hostile text
stored through the real models: the text arrives neutralised (a leading apostrophe, OWASP), no XLSX
cell is a formula, and numbers — negative ones too — arrive as numbers.

The attack (issue 12): a village named ``=HYPERLINK("http://evil.example/","x")`` became a live
formula in the dashboard and report workbooks; the people and dashboard CSVs carried cells starting
with ``=``, ``+``, ``-``, ``@`` as they were.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from tests import factories
from tests.criteria.conftest import document
from xhht.accounts.models import Role
from xhht.analytics.models import Fact
from xhht.criteria.authoring import build_from_document, parse_workbook, to_document
from xhht.imports.models import ImportKind
from xhht.plans.models import Commendation, Indicator, Plan, Target
from xhht.registry import services as registry
from xhht.reports.models import ReportRun, ReportTemplate

HOSTILE = ['=HYPERLINK("http://evil.example/","x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutral(stored: str) -> str:
    """What a stored text must look like in a file (written out here, not taken from the helper)."""
    return "'" + stored if stored.startswith(TRIGGERS) else stored


def csv_rows(body: bytes | str) -> list[list[str]]:
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            if cell.startswith(TRIGGERS):  # only a real number may start with "-" or "+"
                float(cell)
    return rows


def xlsx_sheets(data: bytes) -> dict[str, list[list]]:
    """Every sheet's values; fails if any cell is a formula or any text could start one."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            values = []
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                v = unescape(c.value) if isinstance(c.value, str) else c.value  # _x000D_ is "\r"
                assert not (isinstance(v, str) and v.startswith(TRIGGERS)), (ws.title, c.coordinate, v)
                values.append(v)
            rows.append(values)
        out[ws.title] = rows
    return out


@pytest.fixture
def officer(units, make_user):
    return make_user(Role.HKH_XA, units.commune_a)


@pytest.fixture
def hostile_villages(units):
    """One village of commune A per hostile name, as stored (names are normalised: a leading tab goes)."""
    return [factories.village(units.commune_a, h) for h in HOSTILE]


# ------------------------------------------------------------------ registry: people CSV and XLSX


def test_people_export_neutralises_names_and_villages(units, officer, hostile_villages, login):
    people = [
        registry.person_create(actor=officer, village=v, full_name=h, birth_year=1990)
        for v, h in zip(hostile_villages, HOSTILE, strict=True)
    ]
    for p in people:
        p.refresh_from_db()
    assert people[0].full_name == HOSTILE[0] and hostile_villages[0].name == HOSTILE[0]
    c = login(officer)

    rows = csv_rows(b"".join(c.get("/so-dang-ky/cong-dan/xuat.csv").streaming_content))
    by_id = {r[0]: r for r in rows[1:]}
    for p in people:
        row = by_id[str(p.pk)]
        assert row[1] == neutral(p.full_name) and row[8] == neutral(p.village.name)
        assert row[3] == "1990"
    assert by_id[str(people[0].pk)][1] == "'" + HOSTILE[0]

    resp = c.get("/so-dang-ky/cong-dan/xuat.xlsx")
    (sheet,) = xlsx_sheets(b"".join(resp.streaming_content)).values()
    by_id = {r[0]: r for r in sheet[1:]}
    for p in people:
        row = by_id[p.pk]  # the id is a number, not text
        assert row[1] == neutral(p.full_name) and row[8] == neutral(p.village.name)
        assert row[3] == 1990
    assert by_id[people[2].pk][1] == "'-2+3"


# ------------------------------------------------------------------ plans: dashboard tables, reports


@pytest.fixture
def hostile_plan(units, hostile_villages):
    """A commune plan whose target texts and indicator code are hostile, over a count that fell
    (20, 10, 4 in 2023–2025), so the dashboard's pace and projection are negative numbers."""
    plan = Plan.objects.create(
        code="kh-thu-doc-hai",
        kind="tinh",
        title="Kế hoạch thử",
        territory=units.commune_a,
        start_year=2024,
        end_year=2030,
    )
    ind = Indicator.objects.create(code="@IND", name="Số công nhận", unit="count", numerator="rec:GDHT")
    for n, h in enumerate(HOSTILE, start=1):
        Target.objects.create(plan=plan, indicator=ind, year=2030, value=Decimal(100), text=h, order=n)
    for year, value in ((2023, 20), (2024, 10), (2025, 4)):
        Fact.objects.create(measure="rec:GDHT", year=year, path=units.commune_a.path, value=value)
    return plan


def test_dashboard_csv_and_xlsx_neutralise_text_and_keep_negative_numbers(
    units, officer, hostile_villages, hostile_plan, login
):
    c = login(officer)
    base = f"/ke-hoach/{hostile_plan.code}/du-lieu"
    q = {"nam": 2025, "don_vi": units.commune_a.pk}
    villages = {neutral(v.name) for v in hostile_villages}

    r = c.get(f"{base}/chi-tieu.csv", q)
    assert r.status_code == 200
    header, *rows = csv_rows(r.content)
    pace, projected = header.index("Tốc độ hiện tại (điểm %/năm)"), header.index("Dự báo đến mốc")
    assert [row[1] for row in rows] == [neutral(h) for h in HOSTILE]
    assert {row[2] for row in rows} == {"'@IND"}
    assert {row[pace] for row in rows} == {"-8.0"} and {row[projected] for row in rows} == {"-36.0"}
    header, *rows = csv_rows(c.get(f"{base}/xep-hang.csv", q).content)
    assert header[2] == "'@IND" and villages <= {row[0] for row in rows}
    header, *rows = csv_rows(c.get(f"{base}/xu-huong.csv", q).content)
    assert rows == [["'@IND", "20.0", "10.0", "4.0"]]

    sheets = xlsx_sheets(c.get(f"{base}/tat-ca.xlsx", q).content)
    header, *rows = sheets["chi-tieu"]
    assert [row[1] for row in rows] == [neutral(h) for h in HOSTILE]
    assert {row[pace] for row in rows} == {-8} and {row[projected] for row in rows} == {-36}
    assert villages <= {row[0] for row in sheets["xep-hang"][1:]}
    assert sheets["xu-huong"][1] == ["'@IND", 20, 10, 4]
    (one,) = xlsx_sheets(c.get(f"{base}/xep-hang.xlsx", q).content).values()
    assert villages <= {row[0] for row in one[1:]}


def test_report_xlsx_neutralises_units_targets_and_commendations(
    units, officer, hostile_villages, hostile_plan, login, django_capture_on_commit_callbacks
):
    for n, h in enumerate(HOSTILE):
        Commendation.objects.create(
            kind="giay_khen",
            issuer=h,
            decision_number=f"{h}/{n}",
            date=dt.date(2025, 5, 1),
            reason=h,
            subject_type="person",
            subject_name=h,
            unit=units.commune_a,
        )
    c = login(officer)
    assert c.get("/bao-cao/", {"don_vi": units.commune_a.pk, "nam": 2025}).status_code == 200
    tpl = ReportTemplate.objects.filter(kind="nam", is_default=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/bao-cao/",
            {"don_vi": units.commune_a.pk, "nam": 2025, "ke_hoach": hostile_plan.code, "mau": tpl.pk},
        )
    assert r.status_code == 302
    run = ReportRun.objects.get()
    assert run.status == "done", run.step
    sheets = xlsx_sheets(c.get(f"/bao-cao/{run.pk}/tai/xlsx/").content)

    header, *rows = sheets["Chỉ tiêu - thực hiện"]
    assert [row[1] for row in rows] == [neutral(h) for h in HOSTILE]
    assert {row[header.index("Tốc độ hiện tại (điểm %/năm)")] for row in rows} == {-8}
    header, *rows = sheets["Đơn vị - chỉ số"]
    assert header[2] == "'@IND"
    assert {neutral(v.name) for v in hostile_villages} <= {row[0] for row in rows}
    assert rows[0][:3] == [units.commune_a.name, units.commune_a.code, 4]
    header, *rows = sheets["Khen thưởng"]
    got = sorted(tuple(row[i] for i in (0, 4, 5, 6)) for row in rows)
    assert got == sorted(
        (neutral(f"{h}/{n}"), neutral(h), neutral(h), neutral(h)) for n, h in enumerate(HOSTILE)
    )
    assert ("'\rx", "'\rx") in {
        (row[4], row[5]) for row in rows
    }  # a carriage return was kept, and neutralised


# ------------------------------------------------------------------ criteria authoring workbook


def test_criteria_workbook_neutralises_text_and_reads_back_the_same(units, officer, login):
    indicators = [
        {"code": str(n), "label": h, "hint": h, "points": "10", "min": "5"}
        for n, h in enumerate(HOSTILE, start=1)
    ]
    doc = document(indicators=indicators, name=HOSTILE[0])
    doc["groups"][0]["label"] = "-Nhóm"
    cs = build_from_document(doc)
    stored = to_document(cs)
    labels = [i["label"] for i in stored["groups"][0]["criteria"][0]["indicators"]]
    assert labels[:4] == HOSTILE[:4]

    r = login(officer).get(f"/tieu-chi/{cs.pk}/tai-ve.xlsx")
    assert r.status_code == 200
    sheets = xlsx_sheets(r.content)
    header, *rows = sheets["criteria"]
    label = header.index("label::vi")
    assert [row[label] for row in rows if row[1] == "indicator"] == [neutral(x) for x in labels]
    assert rows[0][label] == "'-Nhóm"
    assert sheets["settings"][1][sheets["settings"][0].index("name::vi")] == "'" + HOSTILE[0]
    # what the product wrote, it reads back as it was: the copy is the same set
    again = parse_workbook(r.content)
    again["settings"]["version"] = 2
    copy = build_from_document(again)
    assert to_document(copy)["groups"] == stored["groups"]
    assert to_document(copy)["settings"]["name"] == HOSTILE[0]


# ------------------------------------------------------------------ import templates


@pytest.mark.parametrize("kind", ImportKind.values)
def test_import_templates_hold_no_formula(units, officer, login, kind):
    r = login(officer).get(f"/nhap-du-lieu/mau/{kind}.xlsx")
    assert r.status_code == 200
    sheets = xlsx_sheets(r.content)
    assert len(sheets) == 2 and all(len(rows) > 1 for rows in sheets.values())
