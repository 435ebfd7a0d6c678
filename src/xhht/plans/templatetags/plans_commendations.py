"""``{% subject_commendations "person" p %}``: the commendations section of a registry detail page.

Provided by the plans app so the registry templates need only load this library and place the tag;
the rows are read through ``plans.selectors.subject_commendations`` with the viewer's access.
"""

from django import template

register = template.Library()


@register.inclusion_tag("plans/_subject_commendations.html", takes_context=True)
def subject_commendations(context, subject_type: str, subject) -> dict:
    from xhht.accounts.access import access_for

    from .. import selectors

    request = context.get("request")
    items = []
    if request is not None and subject is not None and getattr(subject, "pk", None):
        items = list(
            selectors.subject_commendations(access_for(request.user), subject_type, subject.pk)[:100]
        )
    return {"commendations": items}
