"""Pages: who sees and who manages criteria sets; upload with a dry run; download; clone; publish."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xhht.accounts.models import Role
from xhht.criteria.authoring import to_yaml
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet, SetStatus


@pytest.fixture
def sets(db):
    load_defaults(publish=True)
    return {cs.code: cs for cs in CriteriaSet.objects.all()}


@pytest.fixture
def manager(make_user, units):
    return make_user(Role.SO_GDDT, units.province)


@pytest.fixture
def officer(make_user, units):
    return make_user(Role.HKH_XA, units.commune_a)


def test_list_and_detail_for_a_read_only_officer(sets, officer, login):
    c = login(officer)
    r = c.get("/tieu-chi/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Bộ tiêu chí Công dân học tập (QĐ 324/QĐ-KHVN)" in html and "Đã ban hành" in html
    assert "Tải lên bộ tiêu chí" not in html
    cdht = sets["cdht-324"]
    html = c.get(f"/tieu-chi/{cdht.pk}/").content.decode()
    assert "Năng lực tự học, học tập suốt đời" in html
    assert "Gợi ý từ sổ đăng ký theo mức kỹ năng số" in html  # guidance beside the indicator
    assert cdht.content_hash in html
    assert "Tạo phiên bản mới" not in html and "Ban hành…" not in html
    assert c.post(f"/tieu-chi/{cdht.pk}/phien-ban-moi/").status_code == 403
    assert c.get("/tieu-chi/tai-len/").status_code == 403
    assert CriteriaSet.objects.filter(code="cdht-324").count() == 1


def test_users_without_an_officer_role_and_anonymous_users_cannot_see_the_pages(
    sets, make_user, login, client
):
    nobody = make_user()
    assert login(nobody).get("/tieu-chi/").status_code == 403
    assert login(nobody).get(f"/tieu-chi/{sets['cdht-324'].pk}/").status_code == 403
    r = client.get("/tieu-chi/")
    assert r.status_code == 302 and "dang-nhap" in r["Location"]


def test_download_xlsx_and_yaml(sets, officer, login):
    c = login(officer)
    cs = sets["dvht-tt24-2023"]
    r = c.get(f"/tieu-chi/{cs.pk}/tai-ve.xlsx")
    assert r.status_code == 200 and "dvht-tt24-2023-v1.xlsx" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    codes = [row[0] for row in wb["criteria"].iter_rows(min_row=2, values_only=True)]
    assert "3.1" in codes
    r = c.get(f"/tieu-chi/{cs.pk}/tai-ve.yaml")
    assert r.status_code == 200 and "organisation.staff.filter(p, p.cdht)" in r.content.decode()
    assert c.get(f"/tieu-chi/{cs.pk}/tai-ve.pdf").status_code == 404


def test_upload_dry_run_then_create_then_publish(sets, manager, login):
    c = login(manager)
    text = to_yaml(sets["gdht-448"]).replace("version: 1", "version: 2")
    upload = io.BytesIO(text.encode())
    upload.name = "gdht.yaml"
    r = c.post("/tieu-chi/tai-len/", {"file": upload, "action": "check"})
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        "Tệp gdht.yaml hợp lệ." in html
        and "phiên bản 2: 1 nhóm, 4 tiêu chí, 9 chỉ số (1 tính tự động)" in html
    )
    assert CriteriaSet.objects.filter(code="gdht-448").count() == 1  # dry run created nothing
    upload.seek(0)
    r = c.post("/tieu-chi/tai-len/", {"file": upload, "action": "create"})
    new = CriteriaSet.objects.get(code="gdht-448", version=2)
    assert r.status_code == 302 and r["Location"] == f"/tieu-chi/{new.pk}/"
    assert new.status == SetStatus.DRAFT and new.created_by == manager
    r = c.get(f"/tieu-chi/{new.pk}/ban-hanh/")
    assert r.status_code == 200 and 'id="preview-pass"' in r.content.decode()
    r = c.post(f"/tieu-chi/{new.pk}/ban-hanh/")
    new.refresh_from_db()
    assert r.status_code == 302 and new.status == SetStatus.PUBLISHED and new.published_by == manager


def test_upload_errors_are_shown_with_sheet_row_column(sets, manager, login):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "criteria"
    ws.append(["code", "type", "label::vi", "points"])
    ws.append(["A", "group", "Nhóm", None])
    ws.append(["1", "criterion", "Tiêu chí", None])
    ws.append(["1.1", "indicator", "Chỉ số", "mười"])
    wb.create_sheet("outcomes").append(["level"])
    wb["outcomes"].append(["dat"])
    wb.create_sheet("settings").append(["title", "name::vi", "year_from"])
    wb["settings"].append(["CDHT", "Bộ thử", 2025])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "bo-thu.xlsx"
    r = login(manager).post("/tieu-chi/tai-len/", {"file": buf, "action": "create"})
    assert r.status_code == 400
    assert "trang «criteria», dòng 4, cột «points»: «mười» không phải là số." in r.content.decode()
    assert not CriteriaSet.objects.filter(name="Bộ thử").exists()


def test_clone_makes_an_editable_draft(sets, manager, login):
    c = login(manager)
    cdht = sets["cdht-324"]
    r = c.post(f"/tieu-chi/{cdht.pk}/phien-ban-moi/")
    new = CriteriaSet.objects.get(code="cdht-324", version=2)
    assert r.status_code == 302 and new.parent == cdht and new.status == SetStatus.DRAFT
    assert c.post(f"/tieu-chi/{new.pk}/xoa/").status_code == 302
    assert not CriteriaSet.objects.filter(pk=new.pk).exists()
    r = c.post(f"/tieu-chi/{cdht.pk}/xoa/")
    assert r.status_code == 302 and CriteriaSet.objects.filter(pk=cdht.pk).exists()


def test_a_province_set_is_managed_only_by_that_province(sets, make_user, login, units):
    from tests.criteria.conftest import document
    from xhht.criteria.authoring import build_from_document

    other = build_from_document(document(title="GDHT", province="01"))
    ours = build_from_document(document(title="GDHT", province="51"))
    manager = make_user(Role.HKH_TINH, units.province)
    c = login(manager)
    assert c.post(f"/tieu-chi/{other.pk}/ban-hanh/").status_code == 403
    assert c.post(f"/tieu-chi/{ours.pk}/ban-hanh/").status_code == 302
    other.refresh_from_db()
    ours.refresh_from_db()
    assert other.status == SetStatus.DRAFT and ours.status == SetStatus.PUBLISHED


def test_a_zip_bomb_workbook_is_refused_before_it_is_inflated(sets, manager, login, tmp_path):
    """The criteria upload uses the importers' XLSX checks (issue 12: a 2.9 MB bomb held a request 238 s)."""
    from tests.imports.hostile_files import zip_bomb_xlsx

    path = zip_bomb_xlsx(tmp_path / "bom.xlsx", expanded=600_000_000)
    assert path.stat().st_size < 5 * 1024 * 1024
    with open(path, "rb") as f:
        r = login(manager).post("/tieu-chi/tai-len/", {"file": f, "action": "check"})
    body = r.content.decode()
    import re

    main = " ".join(re.sub(r"<[^>]+>", " ", body[body.find("<main") :]).split())
    assert r.status_code == 400 and "khi giải nén nặng" in main and "vượt giới hạn" in main, main[:1500]
    assert CriteriaSet.objects.filter(status=SetStatus.DRAFT).count() == 0
