from django import template

register = template.Library()


@register.filter
def getfield(form, name):
    return form[name]


@register.filter
def getitem(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def cccd_for(person, mask):
    """The CCCD as the viewer may see it (masked unless they hold the PII permission)."""
    return mask.cccd(person)


@register.filter
def phone_for(person, mask):
    return mask.phone(person)
