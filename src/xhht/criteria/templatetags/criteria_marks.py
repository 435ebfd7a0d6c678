"""``{% provisional_mark item assessment %}``: "Tạm tính — địa phương cần xác nhận" beside a
provisional indicator or set in the self-assessment and review screens (with its note), or, once the
assessment's province has confirmed the set, who confirmed it and when."""

from __future__ import annotations

from django import template

register = template.Library()

_UNSET = object()


def _confirmation(assessment):
    cached = getattr(assessment, "_xhht_confirmation", _UNSET)
    if cached is _UNSET:
        from xhht.criteria.services import confirmation_for

        cached = confirmation_for(assessment.criteria_set, assessment.unit_path)
        assessment._xhht_confirmation = cached
    return cached


@register.inclusion_tag("criteria/_provisional_mark.html")
def provisional_mark(item, assessment=None):
    provisional = bool(getattr(item, "provisional", False))
    confirmation = _confirmation(assessment) if provisional and assessment is not None else None
    return {"item": item, "provisional": provisional, "confirmation": confirmation}


@register.inclusion_tag("criteria/_provisional_badge.html")
def provisional_badge(item):
    """A short "Tạm tính" badge with the note as its title (tables, lists)."""
    return {"item": item}
