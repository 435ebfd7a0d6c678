"""The self-assessment, one question per screen (phones), shared by the staff pages (an officer on
someone's behalf) and the citizen pages. Each screen saves its answer, so a half-finished
self-assessment is kept and resumes where it stopped (``Assessment.step``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .models import Assessment


def _indicators(a: Assessment) -> list:
    return list(a.criteria_set.indicators.select_related("criterion__group"))


def fill_step(request, a: Assessment, n: int, *, ns: str, detail_url: str):
    """Screen ``n`` (0-based) of the self-assessment; screen ``len(indicators)`` is the summary."""
    indicators = _indicators(a)
    n = max(0, min(n, len(indicators)))
    step_url = lambda i: reverse(f"{ns}:fill", args=[a.pk, i])  # noqa: E731
    if not a.is_editable:
        messages.info(request, _("Hồ sơ đã nộp; không sửa được nữa."))
        return redirect(detail_url)
    error = None
    posted = None
    if request.method == "POST":
        action = request.POST.get("action", "next")
        try:
            if action == "submit":
                services.submit(user=request.user, assessment=a)
                messages.success(request, _("Đã nộp hồ sơ tự đánh giá. Hội Khuyến học sẽ thẩm định."))
                return redirect(detail_url)
            if n < len(indicators):
                ind = indicators[n]
                posted = {"value": request.POST.get("value", ""), "note": request.POST.get("note", "")}
                nxt = n + 1 if action == "next" else (n - 1 if action == "back" else n)
                a = services.answers_save(
                    user=request.user, assessment=a, answers={ind.code: posted}, step=max(0, nxt)
                )
                upload = request.FILES.get("evidence")
                if upload:
                    services.evidence_add(
                        user=request.user, assessment=a, indicator_code=ind.code, upload=upload
                    )
                if action == "save":
                    messages.success(request, _("Đã lưu. Bạn có thể quay lại làm tiếp bất cứ lúc nào."))
                    return redirect(detail_url)
                return redirect(step_url(max(0, nxt)))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            raise
    ctx = {"a": a, "n": n, "total": len(indicators), "ns": ns, "detail_url": detail_url, "error": error}
    if n < len(indicators):
        ind = indicators[n]
        saved = (a.answers or {}).get(ind.code, {})
        computed = (a.computed or {}).get(ind.code)
        value = posted["value"] if posted else saved.get("value")
        ctx.update(
            {
                "ind": ind,
                "computed": computed,
                "value": "" if value is None else value,
                "note": posted["note"] if posted else saved.get("note", ""),
                "evidence": a.evidence.filter(indicator_code=ind.code),
                "prev_url": step_url(n - 1) if n > 0 else None,
                "progress": int(100 * n / max(1, len(indicators))),
            }
        )
        return render(request, "recognition/fill_step.html", ctx)
    values = services.effective_answers(a)
    result = services._score(a.criteria_set, values)
    ctx.update(
        {
            "result": result,
            "missing": services.missing_mandatory(a),
            "prev_url": step_url(n - 1),
            "rows": [
                (i, values.get(i.code), result.points.get(i.code), (a.computed or {}).get(i.code))
                for i in indicators
            ],
            "progress": 100,
        }
    )
    return render(request, "recognition/fill_summary.html", ctx)
