"""Rule-computed indicators with the date they were computed on ("tính ngày 15/12/2025"), in the
review screens, the wizard and the citizen's file.

``{% computed_value entry assessment %}`` — one computed value, its date, or "chưa đánh giá — người
dân tự khai" where the registry lacks the data. ``{% computed_list assessment %}`` — every
rule-computed indicator of a file (the citizen's file page).
"""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


def _date(assessment, entry) -> dt.date | None:
    from xhht.recognition.services import computed_on

    iso = computed_on(assessment, entry or {}) if assessment is not None else (entry or {}).get("computed_on")
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


@register.filter
def iso_date(value):
    """'2025-12-15' → a date (for ``|date:"d/m/Y"``); anything else → None."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


@register.inclusion_tag("recognition/_computed_value.html")
def computed_value(entry, assessment=None, explain=False):
    entry = entry or {}
    return {
        "entry": entry,
        "value": entry.get("value"),
        "unknown": entry.get("value") is None,
        "on": _date(assessment, entry),
        "explain": explain,
    }


@register.inclusion_tag("recognition/_computed_list.html")
def computed_list(assessment):
    computed = assessment.computed or {}
    rows = []
    if computed and assessment.criteria_set_id:
        for ind in assessment.criteria_set.indicators:
            if ind.code in computed:
                rows.append({"ind": ind, "entry": computed[ind.code]})
    return {"rows": rows, "a": assessment}
