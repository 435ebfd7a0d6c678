"""The yearly report: a background task with progress, an XLSX whose totals match the dashboard and
a PDF with the narrative skeleton and tables."""

from __future__ import annotations

import io
import subprocess

import openpyxl

from tests.analytics.gen import generate
from xhht.accounts.models import Role
from xhht.analytics import services as analytics
from xhht.geo.models import AdminUnit
from xhht.plans.services import load_plans
from xhht.reports.models import ReportRun, ReportTemplate


def test_yearly_report_xlsx_and_pdf(units, make_user, login, django_capture_on_commit_callbacks, tmp_path):
    load_plans()
    generate(units)
    analytics.rebuild()
    c = login(make_user(Role.SO_GDDT, units.province))
    assert c.get(f"/bao-cao/?don_vi={units.province.pk}&nam=2025").status_code == 200
    tpl = ReportTemplate.objects.get(kind="nam", is_default=True)
    tpl.intro = "Mở đầu tùy chỉnh cho {don_vi} năm {nam}."
    tpl.save()
    # the Kon Tum plan reports on its own (former) territory, not on today's whole Quảng Ngãi
    kontum = AdminUnit.objects.get(path="VN/L62/")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/bao-cao/",
            {"don_vi": kontum.pk, "nam": 2025, "ke_hoach": "kh-1514-kon-tum-2022", "mau": tpl.pk},
        )
    run = ReportRun.objects.get()
    assert r.status_code == 302 and run.status == "done" and run.progress == 100
    assert "Hoàn thành" in c.get(f"/bao-cao/{run.pk}/").content.decode()
    dash = c.get(f"/ke-hoach/kh-1514-kon-tum-2022/bang-dieu-khien/?nam=2025&don_vi={kontum.pk}").context
    wb = openpyxl.load_workbook(io.BytesIO(c.get(f"/bao-cao/{run.pk}/tai/xlsx/").content))
    assert wb.sheetnames == ["Chỉ tiêu - thực hiện", "Đơn vị - chỉ số", "Đăng ký - công nhận", "Khen thưởng"]
    ws = wb["Chỉ tiêu - thực hiện"]
    header = [c.value for c in ws[1]]
    got = {(row[0], row[2]): row for row in ws.iter_rows(min_row=2, values_only=True)}
    for x in dash["rows"]:
        row = got[(x.target.year, x.indicator.code)]
        actual = row[header.index("Thực hiện")]
        assert (actual is None and x.current.value is None) or abs(actual - float(x.current.value)) < 1e-9
        assert row[header.index("Tử số")] == x.current.numerator
    # registered vs recognised: the province row equals the sum of its communes
    ws = wb["Đăng ký - công nhận"]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    col = header.index("GDHT công nhận")
    assert rows[0][col] == sum(r[col] for r in rows[1:]) > 0
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(c.get(f"/bao-cao/{run.pk}/tai/pdf/").content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Mở đầu tùy chỉnh cho Tỉnh Kon Tum năm 2025." in text
    assert "Kết quả thực hiện các chỉ tiêu" in text and "GDHT_RATE" in text


def test_report_of_another_province_is_not_reachable(units, make_user, login):
    c = login(make_user(Role.HKH_XA, units.commune_a))
    assert c.get(f"/bao-cao/?don_vi={units.commune_b.pk}").status_code == 404
