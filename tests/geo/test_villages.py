import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xhht.accounts.models import Role
from xhht.geo import services
from xhht.geo.models import AdminUnit, Kind, UnitEvent, UnitSuccession
from xhht.geo.selectors import unit_history

pytestmark = pytest.mark.django_db
D = dt.date(2026, 1, 1)


@pytest.fixture
def officer(units, make_user):
    return make_user(Role.UBND_XA, units.commune_a)


def test_create_rename_keeps_identity_and_old_name(units, officer):
    v = services.village_create(actor=officer, commune=units.commune_a, name="Thôn Đăk Lấp", effective=D)
    assert v.path == f"{units.commune_a.path}{v.code}/" and v.valid_from == D
    services.village_rename(
        actor=officer, village=v, new_name="Thôn Đăk Lấp Mới", effective=dt.date(2026, 3, 1)
    )
    v.refresh_from_db()
    assert v.name == "Thôn Đăk Lấp Mới"
    ev = UnitEvent.objects.get(unit=v, type=UnitEvent.Type.RENAME)
    assert (ev.old_name, ev.new_name, ev.effective) == (
        "Thôn Đăk Lấp",
        "Thôn Đăk Lấp Mới",
        dt.date(2026, 3, 1),
    )


def test_merge_never_deletes_history(units, officer):
    a = services.village_create(actor=officer, commune=units.commune_a, name="Thôn A", effective=D)
    b = services.village_create(actor=officer, commune=units.commune_a, name="Thôn B", effective=D)
    n_before = AdminUnit.objects.count()
    merged = services.villages_merge(
        actor=officer, villages=[a, b], name="Thôn AB", effective=dt.date(2026, 6, 1)
    )
    assert AdminUnit.objects.count() == n_before + 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.valid_to == b.valid_to == dt.date(2026, 5, 31)
    assert a.name == "Thôn A"  # still readable
    assert set(UnitSuccession.objects.filter(successor=merged).values_list("predecessor", flat=True)) == {
        a.pk,
        b.pk,
    }
    hist = unit_history(merged)
    assert {s.predecessor.name for s in hist["before"]} == {"Thôn A", "Thôn B"}
    with pytest.raises(ValidationError):
        services.village_rename(actor=officer, village=a, new_name="Thôn A2")  # retired units are read-only


def test_split_has_one_default_successor(units, officer):
    v = services.village_create(actor=officer, commune=units.commune_a, name="Thôn Lớn", effective=D)
    parts = services.village_split(
        actor=officer, village=v, names=["Thôn Lớn 1", "Thôn Lớn 2"], effective=dt.date(2026, 7, 1)
    )
    rows = UnitSuccession.objects.filter(predecessor=v)
    assert rows.count() == 2 and rows.filter(is_default=True).get().successor == parts[0]
    assert all(p.kind == Kind.VILLAGE for p in parts)


def test_cannot_merge_across_communes_or_outside_scope(units, officer, make_user):
    b_officer = make_user(Role.UBND_XA, units.commune_b)
    with pytest.raises(PermissionDenied):
        services.village_create(actor=officer, commune=units.commune_b, name="Tổ 9", effective=D)
    with pytest.raises(PermissionDenied):
        services.villages_merge(
            actor=officer, villages=[units.village_a1, units.village_b1], name="X", effective=D
        )
    with pytest.raises(ValidationError):
        admin = make_user(Role.ADMIN, units.country)
        services.villages_merge(
            actor=admin, villages=[units.village_a1, units.village_b1], name="X", effective=D
        )
    with pytest.raises(PermissionDenied):
        services.village_rename(actor=b_officer, village=units.village_a1, new_name="Y")


def test_duplicate_active_name_is_refused_in_vietnamese(units, officer):
    with pytest.raises(ValidationError) as e:
        services.village_create(actor=officer, commune=units.commune_a, name="Thôn 1", effective=D)
    assert "đã có" in str(e.value)


def test_form_error_keeps_what_was_typed(units, officer, login):
    c = login(officer)
    r = c.post(
        f"/don-vi/{units.commune_a.pk}/thon/them/",
        {"name": "Thôn 1", "kind": "thon", "effective": "2026-01-01", "legal_basis": "NQ 05/NQ-HĐND"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "đã có" in body and 'value="NQ 05/NQ-HĐND"' in body


def test_merge_page_end_to_end(units, officer, login):
    c = login(officer)
    r = c.post(
        f"/don-vi/{units.commune_a.pk}/sap-nhap/",
        {
            "villages": [units.village_a1.pk, units.village_a2.pk],
            "name": "Thôn 1-2",
            "kind": "thon",
            "effective": "2026-02-01",
        },
    )
    assert r.status_code == 302
    merged = AdminUnit.objects.get(name="Thôn 1-2", valid_to__isnull=True)
    body = c.get(f"/don-vi/{merged.pk}/").content.decode()
    assert "Trước đây là" in body and "Thôn 1" in body and "Thôn 2" in body


def test_succession_with_iso_string_date_saves_and_is_audited(units):
    from xhht.accounts.models import AuditEvent

    s = UnitSuccession.objects.create(
        predecessor=units.village_a1, successor=units.village_a2, effective="2026-02-01", kind="merge"
    )
    assert "01/02/2026" not in str(s)  # as given until reloaded
    s.refresh_from_db()
    assert str(s).endswith("(01/02/2026)")
    assert AuditEvent.objects.filter(
        model="geo.unitsuccession", object_pk=str(s.pk), action="create"
    ).exists()
