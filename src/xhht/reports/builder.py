"""Builds a report: the tables (shared by the XLSX and the PDF), the XLSX and the PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from xhht.accounts.access import access_for
from xhht.analytics.selectors import measure_values
from xhht.core.titles import Title
from xhht.plans import selectors as plan_selectors
from xhht.plans.downloads import xlsx_bytes
from xhht.plans.models import Indicator

from .models import ReportRun, RunStatus


def _num(v):
    return None if v is None else float(v)


def report_tables(*, access, plan, unit, year) -> dict:
    d = plan_selectors.dashboard(access=access, plan=plan, unit=unit, year=year) if plan else None
    indicators = d["indicators"] if d and d["indicators"] else list(Indicator.objects.all())
    below = plan_selectors.units_below(unit)
    units = [unit, *below]
    from xhht.analytics.selectors import indicator_values

    ivals = indicator_values(indicators, [u.path for u in units], [year])
    tables = {}
    if d:
        tables["Chỉ tiêu - thực hiện"] = plan_selectors.tables(d)["chi-tieu"]
    tables["Đơn vị - chỉ số"] = (
        ["Đơn vị", "Mã", *[f"{i.code} (%)" if i.unit == "percent" else i.code for i in indicators]],
        [[u.name, u.code, *[_num(ivals[(i.code, year, u.path)].value) for i in indicators]] for u in units],
    )
    titles = Title.values
    codes = [f"reg:{t}" for t in titles] + [f"rec:{t}" for t in titles]
    mv = measure_values([u.path for u in units], codes, [year])
    headers = ["Đơn vị", "Mã"]
    for t in titles:
        headers += [f"{t} đăng ký", f"{t} công nhận"]
    rows = []
    for u in units:
        r = [u.name, u.code]
        for t in titles:
            r += [mv[(f"reg:{t}", year, u.path)], mv[(f"rec:{t}", year, u.path)]]
        rows.append(r)
    tables["Đăng ký - công nhận"] = (headers, rows)
    comms = plan_selectors.commendations(access, unit).filter(date__year=year)
    tables["Khen thưởng"] = (
        ["Số quyết định", "Ngày", "Hình thức", "Tập thể/cá nhân", "Đối tượng", "Thành tích", "Cấp khen"],
        [
            [
                c.decision_number,
                c.date.strftime("%d/%m/%Y"),
                str(c.get_kind_display()),
                "Tập thể" if c.collective else "Cá nhân",
                c.subject_name,
                c.reason,
                c.issuer,
            ]
            for c in comms[:2000]
        ],
    )
    return {"tables": tables, "dashboard": d, "units": units, "indicators": indicators}


def _bars(d) -> list[dict]:
    """Simple server-side bars for the PDF: target vs actual, in percent of a 100-wide scale."""
    out = []
    if not d:
        return out
    for r in d["rows"]:
        if r.indicator and r.target.value is not None:
            actual = float(r.current.value) if r.current and r.current.value is not None else 0.0
            out.append(
                {
                    "label": f"{r.indicator.code} ({r.target.year})",
                    "target": min(float(r.target.value), 100),
                    "actual": min(actual, 100),
                    "actual_text": f"{actual:.2f}",
                    "light": r.light,
                    "target_text": f"{float(r.target.value):g}",
                }
            )
    return out


def build(run: ReportRun) -> ReportRun:
    def step(p, text):
        run.progress, run.step = p, text
        run.save(update_fields=["progress", "step", "status"])

    run.status = RunStatus.RUNNING
    step(5, "Đang tổng hợp số liệu")
    access = access_for(run.created_by)
    data = report_tables(access=access, plan=run.plan, unit=run.unit, year=run.year)
    step(40, "Đang lập tệp XLSX")
    run.xlsx = xlsx_bytes(data["tables"])
    step(60, "Đang lập tệp PDF")
    tpl = run.template
    fmt = {"don_vi": run.unit.name, "nam": run.year, "ke_hoach": str(run.plan) if run.plan else ""}

    def fill(text):
        try:
            return text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            return text

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "run": run,
            "template": tpl,
            "intro": fill(tpl.intro),
            "closing": fill(tpl.closing),
            "recipients": tpl.recipients,
            "sections": tpl.section_list(),
            "tables": data["tables"],
            "bars": _bars(data["dashboard"]),
            "now": timezone.localtime(),
        },
    )
    from weasyprint import HTML

    run.pdf = HTML(string=html).write_pdf()
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.progress, run.step = 100, "Hoàn thành"
    run.save()
    return run
