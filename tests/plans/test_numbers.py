"""Data-set entry accepts numbers as typed in Vietnam ("1.234", "1.234,5") and names the field when
it refuses one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xhht.accounts.models import Role
from xhht.plans import services
from xhht.plans.models import DataEntry, DataSet
from xhht.plans.numbers import parse_vn_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234", Decimal("1234")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        (" 12 345 ", Decimal("12345")),
        ("12,75", Decimal("12.75")),
        ("12.5", Decimal("12.5")),
        ("-7", Decimal("-7")),
        ("", None),
    ],
)
def test_parse_vn_number(text, value):
    assert parse_vn_number(text) == value


@pytest.mark.parametrize("text", ["1,2,3", "1.23,4", "abc", "1.2.3", "12,", ","])
def test_parse_vn_number_refuses(text):
    with pytest.raises(ValueError):
        parse_vn_number(text)


def test_entry_form_with_thousands_separators(units, make_user, login):
    services.load_plans()
    ds = DataSet.objects.get(code="DAI_HOC_SO")
    c = login(make_user(Role.SO_GDDT, units.province))
    url = f"/ke-hoach/so-lieu/{ds.code}/{units.province.pk}/2025/"
    r = c.post(url, {"univ_total": "1.234,5", "univ_digital": "12"})
    assert r.status_code == 400
    html = r.content.decode()
    name = ds.elements.get(code="univ_total").name
    assert name in html and "1.234,5" in html  # the field is named and what was typed is kept
    assert not DataEntry.objects.filter(dataset=ds, unit=units.province, year=2025).exists()
    r = c.post(url, {"univ_total": "1.234", "univ_digital": "1.200,0"})
    assert r.status_code == 302
    entry = DataEntry.objects.get(dataset=ds, unit=units.province, year=2025)
    got = {v.element.code: v.value for v in entry.values.select_related("element")}
    assert got == {"univ_total": 1234, "univ_digital": 1200}
