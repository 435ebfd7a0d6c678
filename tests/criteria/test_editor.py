"""The in-page editor of a draft set: change, add and remove indicators; published sets stay immutable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xhht.accounts.models import Role
from xhht.criteria import services
from xhht.criteria.authoring import content_hash
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet, CriteriaSetLocked, SetStatus


@pytest.fixture
def published(db):
    load_defaults(publish=True)
    return CriteriaSet.objects.get(code="cdht-324")


@pytest.fixture
def manager(make_user, units):
    return make_user(Role.SO_GDDT, units.province)


def _data(ind, **kw):
    d = {f: getattr(ind, f) for f in services.INDICATOR_FIELDS}
    d = {k: ("" if v is None else v) for k, v in d.items()}
    d["mandatory"] = "on" if d["mandatory"] else ""
    d.update(kw)
    return d


def test_edit_an_indicator_of_a_draft(published, manager, login):
    draft = services.clone_set(user=manager, criteria_set=published)
    ind = draft.indicator_set.get(code="2.1")
    c = login(manager)
    html = c.get(f"/tieu-chi/{draft.pk}/").content.decode()
    assert f"/tieu-chi/{draft.pk}/chi-so/{ind.pk}/sua/" in html
    assert c.get(f"/tieu-chi/{draft.pk}/chi-so/{ind.pk}/sua/").status_code == 200
    r = c.post(
        f"/tieu-chi/{draft.pk}/chi-so/{ind.pk}/sua/",
        _data(
            ind,
            label="Dùng được máy tính, điện thoại",
            max_points="12",
            min_points="6",
            rule="person.digital_skill >= 2 ? 12 : 0",
            mandatory="",
        ),
    )
    assert r.status_code == 302 and r["Location"].endswith("#ind-2.1")
    ind.refresh_from_db()
    assert ind.label == "Dùng được máy tính, điện thoại"
    assert (ind.max_points, ind.min_points, ind.mandatory) == (Decimal("12"), Decimal("6"), False)
    assert ind.rule == "person.digital_skill >= 2 ? 12 : 0"
    assert "Dùng được máy tính, điện thoại" in c.get(f"/tieu-chi/{draft.pk}/").content.decode()
    # the published original did not move
    assert published.indicator_set.get(code="2.1").max_points == Decimal("10")
    assert content_hash(published) == published.content_hash
    # the edited draft publishes with its own hash
    new = services.publish_set(user=manager, criteria_set=draft)
    assert new.content_hash and new.content_hash != published.content_hash


def test_rejected_values_are_explained_and_kept(published, manager, login):
    draft = services.clone_set(user=manager, criteria_set=published)
    ind = draft.indicator_set.get(code="1.1")
    c = login(manager)
    r = c.post(
        f"/tieu-chi/{draft.pk}/chi-so/{ind.pk}/sua/",
        _data(ind, label="Nhãn mới đã gõ", min_points="15", rule="person.shoe_size > 3"),
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Mức tối thiểu 15 lớn hơn điểm tối đa 10." in html
    assert "không có trường «shoe_size»" in html
    assert "Nhãn mới đã gõ" in html and "person.shoe_size &gt; 3" in html
    ind.refresh_from_db()
    assert ind.label != "Nhãn mới đã gõ" and ind.rule == ""


def test_add_and_remove_indicators(published, manager, login):
    draft = services.clone_set(user=manager, criteria_set=published)
    crit = draft.criterion_set.get(code="3")
    c = login(manager)
    url = f"/tieu-chi/{draft.pk}/tieu-chi/{crit.pk}/them-chi-so/"
    assert c.get(url).status_code == 200
    new = {
        "code": "3.3",
        "label": "Tham gia câu lạc bộ đọc sách",
        "kind": "pass_fail",
        "mandatory": "",
        "max_points": "",
        "min_points": "",
        "level": "",
        "label_en": "Joins a reading club",
        "hint": "",
        "evidence": "",
        "rule": "",
    }
    assert c.post(url, new).status_code == 302
    added = draft.indicator_set.get(code="3.3")
    assert added.criterion_id == crit.pk and added.kind == "pass_fail" and not added.mandatory
    assert [i.code for i in draft.indicators][-1] == "3.3"
    r = c.post(url, {**new, "code": "1.1"})  # codes are unique inside a set
    assert r.status_code == 400 and "Mã «1.1» bị trùng" in r.content.decode()
    r = c.post(f"/tieu-chi/{draft.pk}/chi-so/{added.pk}/xoa/")
    assert r.status_code == 302
    assert not draft.indicator_set.filter(code="3.3").exists()
    # a criterion keeps at least one indicator
    first, last = list(crit.indicator_set.all())
    assert c.post(f"/tieu-chi/{draft.pk}/chi-so/{first.pk}/xoa/").status_code == 302
    r = c.post(f"/tieu-chi/{draft.pk}/chi-so/{last.pk}/xoa/", follow=True)
    assert "Không xoá được chỉ số cuối cùng của tiêu chí «3»" in r.content.decode()
    assert list(crit.indicator_set.all()) == [last]


def test_published_sets_cannot_be_edited(published, manager, login, make_user, units):
    ind = published.indicator_set.get(code="1.1")
    c = login(manager)
    assert f"/chi-so/{ind.pk}/sua/" not in c.get(f"/tieu-chi/{published.pk}/").content.decode()
    assert c.get(f"/tieu-chi/{published.pk}/chi-so/{ind.pk}/sua/").status_code == 404
    assert c.post(f"/tieu-chi/{published.pk}/chi-so/{ind.pk}/xoa/").status_code == 404
    with pytest.raises(CriteriaSetLocked):
        services.save_indicator(
            user=manager, criteria_set=published, indicator=ind, data=_data(ind, label="x")
        )
    with pytest.raises(CriteriaSetLocked):
        services.delete_indicator(user=manager, indicator=ind)
    published.refresh_from_db()
    assert published.status == SetStatus.PUBLISHED and content_hash(published) == published.content_hash
    # an officer who may only read cannot edit a draft either
    draft = services.clone_set(user=manager, criteria_set=published)
    reader = login(make_user(Role.HKH_XA, units.commune_a))
    d_ind = draft.indicator_set.get(code="1.1")
    assert reader.get(f"/tieu-chi/{draft.pk}/chi-so/{d_ind.pk}/sua/").status_code == 403
    assert reader.post(f"/tieu-chi/{draft.pk}/chi-so/{d_ind.pk}/xoa/").status_code == 403
