import pytest
from django.db import DatabaseError, connection, transaction

from xhht.accounts import audit
from xhht.accounts.models import AuditEvent, Role
from xhht.geo import services

pytestmark = pytest.mark.django_db


def test_change_records_who_when_where_and_before_after(units, make_user, login):
    officer = make_user(Role.UBND_XA, units.commune_a)
    c = login(officer)
    r = c.post(
        f"/don-vi/{units.commune_a.pk}/thon/them/",
        {"name": "Thôn Kon Rờ Bàng", "kind": "thon", "effective": "2026-01-01"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert r.status_code == 302
    ev = AuditEvent.objects.filter(model="geo.adminunit", action="create").latest("id")
    assert ev.actor == officer
    assert ev.ip == "10.1.2.3"
    assert ev.changes["after"]["name"] == "Thôn Kon Rờ Bàng"
    assert ev.unit_path.startswith(units.commune_a.path)
    village = units.commune_a.children.get(name="Thôn Kon Rờ Bàng")
    with audit.actor_context(officer, ip="10.1.2.4", source="web"):
        services.village_rename(actor=officer, village=village, new_name="Thôn Kon Rờ Bàng 2")
    upd = AuditEvent.objects.filter(model="geo.adminunit", action="update", object_pk=str(village.pk)).latest(
        "id"
    )
    assert upd.changes["before"]["name"] == "Thôn Kon Rờ Bàng"
    assert upd.changes["after"]["name"] == "Thôn Kon Rờ Bàng 2"
    assert upd.ip == "10.1.2.4"


def test_audit_rows_cannot_be_updated_even_by_sql(units):
    ev = audit.record("other", note="kiểm tra")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(note="sửa")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=ev.pk).delete()
    assert AuditEvent.objects.get(pk=ev.pk).note == "kiểm tra"


def test_admin_cannot_edit_audit(units, make_user, login):
    admin = make_user(None, None, is_superuser=True, is_staff=True)
    c = login(admin)
    ev = audit.record("other", note="x")
    assert c.get(f"/quan-tri/accounts/auditevent/{ev.pk}/change/").status_code in (200, 403)
    r = c.post(f"/quan-tri/accounts/auditevent/{ev.pk}/change/", {"note": "y"})
    assert r.status_code == 403
    assert c.post(f"/quan-tri/accounts/auditevent/{ev.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=ev.pk).note == "x"


def test_audit_page_is_scoped_to_units(units, make_user, login):
    with audit.actor_context(None, source="test"):
        audit.record("other", note="ở Đăk Mar", unit_path=units.village_a1.path)
        audit.record("other", note="ở Kon Tum", unit_path=units.village_b1.path)
    approver = make_user(Role.UBND_XA, units.commune_a)  # UBND xã may audit their commune
    body = login(approver).get("/tai-khoan/nhat-ky/").content.decode()
    assert "ở Đăk Mar" in body and "ở Kon Tum" not in body
    assert login(approver).get("/tai-khoan/nhat-ky/", {"unit": units.commune_b.pk}).status_code == 404
    reviewer = make_user(Role.HKH_XA, units.commune_a)  # no audit permission
    assert login(reviewer).get("/tai-khoan/nhat-ky/").status_code == 403


def test_login_and_failed_login_are_recorded(units, make_user, client):
    user = make_user(Role.HKH_XA, units.commune_a, username="hoa")
    client.post("/tai-khoan/dang-nhap/", {"username": "hoa", "password": "sai-mat-khau"})
    assert AuditEvent.objects.filter(action="login_failed", note__contains="hoa").exists()
    client.post("/tai-khoan/dang-nhap/", {"username": "hoa", "password": "mat-khau-thu-nghiem"})
    assert AuditEvent.objects.filter(action="login", actor=user).exists()


def test_file_fields_are_recorded_by_name():
    from django.db.models import FileField
    from django.db.models.fields.files import FieldFile

    from xhht.accounts.audit import _jsonable

    class Holder:
        pass

    ff = FieldFile(Holder(), FileField(name="f"), "minh-chung/anh.pdf")
    assert _jsonable(ff) == "minh-chung/anh.pdf"
