from django import template

register = template.Library()


@register.filter
def get_item(d, key):
    return d.get(key) if hasattr(d, "get") else None


@register.filter
def measure_label(code):
    """A measure's label in the reader's language (``analytics.measures``)."""
    from xhht.analytics.measures import label

    return label(code) if code else ""
