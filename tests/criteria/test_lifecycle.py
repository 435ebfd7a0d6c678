"""Versioning: only published sets are used, published sets are immutable, hashes are stable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.criteria.authoring import content_hash
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet, CriteriaSetLocked, Indicator, OutcomeRule, SetStatus
from xhht.criteria.services import NoCriteriaSet, clone_set, criteria_set_for, publish_set, retire_set, score


def test_unpublished_set_cannot_be_used(make_set):
    draft = make_set(title=Title.GDHT)
    with pytest.raises(NoCriteriaSet, match="Chưa có bộ tiêu chí nào đã ban hành"):
        criteria_set_for(Title.GDHT, 2025)
    assert draft.status == SetStatus.DRAFT


def test_published_set_is_found_by_year_and_province(make_set, units):
    national = make_set(title=Title.GDHT, publish=True, year_from=2021, year_to=2025)
    assert criteria_set_for(Title.GDHT, 2023) == national
    with pytest.raises(NoCriteriaSet):
        criteria_set_for(Title.GDHT, 2026)
    with pytest.raises(NoCriteriaSet):
        criteria_set_for(Title.GDHT, 2020)
    own = make_set(title=Title.GDHT, publish=True, year_from=2024, province="51")
    assert own.province == units.province
    # the province's own set wins inside the province (given a commune or a village), not elsewhere
    assert criteria_set_for(Title.GDHT, 2025, units.province) == own
    assert criteria_set_for(Title.GDHT, 2025, units.village_a1) == own
    assert criteria_set_for(Title.GDHT, 2025, units.commune_c) == national
    assert criteria_set_for(Title.GDHT, 2025) == national
    # a newer national version replaces the older one
    newer = make_set(title=Title.GDHT, publish=True, year_from=2025)
    assert criteria_set_for(Title.GDHT, 2025) == newer
    assert criteria_set_for(Title.GDHT, 2024) == national


def test_published_set_cannot_be_edited(make_set):
    cs = make_set(publish=True)
    cs.name = "Tên khác"
    with pytest.raises(CriteriaSetLocked, match="đã ban hành thì không được sửa"):
        cs.save()
    ind = cs.indicators.first()
    ind.max_points = 20
    with pytest.raises(CriteriaSetLocked):
        ind.save()
    with pytest.raises(CriteriaSetLocked):
        Indicator.objects.filter(criteria_set=cs).update(min_points=0)
    with pytest.raises(CriteriaSetLocked):
        OutcomeRule.objects.filter(criteria_set=cs).delete()
    with pytest.raises(CriteriaSetLocked):
        Indicator.objects.create(criteria_set=cs, criterion=ind.criterion, code="moi", label="Mới")
    with pytest.raises(CriteriaSetLocked):
        CriteriaSet.objects.filter(pk=cs.pk).update(year_from=1999)
    with pytest.raises(CriteriaSetLocked):
        cs.delete()
    fresh = CriteriaSet.objects.get(pk=cs.pk)
    assert fresh.name == "Bộ tiêu chí thử" and fresh.content_hash == content_hash(fresh)


def test_draft_can_be_edited_and_publishing_fixes_the_hash(make_set):
    cs = make_set()
    ind = cs.indicators.first()
    ind.max_points = 20
    ind.save()
    cs.name = "Đã sửa"
    cs.save()
    assert cs.content_hash == ""
    admin = _manager()
    cs = publish_set(user=admin, criteria_set=cs)
    assert cs.status == SetStatus.PUBLISHED and len(cs.content_hash) == 64
    assert cs.published_by == admin and cs.published_at is not None
    with pytest.raises(ValidationError, match="Chỉ bản nháp"):
        publish_set(user=admin, criteria_set=cs)


def _manager():
    from tests.factories import make_user, unit

    return make_user(Role.ADMIN, unit("VN/"))


def test_content_hash_is_stable_and_content_sensitive(db):
    load_defaults(publish=True)
    load_defaults(publish=True)  # idempotent
    assert CriteriaSet.objects.filter(code="cdht-324").count() == 1
    cdht = CriteriaSet.objects.get(code="cdht-324")
    h = cdht.content_hash
    assert h == content_hash(cdht) == content_hash(CriteriaSet.objects.get(pk=cdht.pk))
    clone = clone_set(user=_manager(), criteria_set=cdht)
    assert clone.version == 2 and clone.parent == cdht and clone.status == SetStatus.DRAFT
    assert content_hash(clone) == h  # same content, other version: same hash
    ind = clone.indicator_set.get(code="1.1")
    ind.hint = "Hướng dẫn mới"
    ind.save()
    assert content_hash(clone) != h
    assert CriteriaSet.objects.get(pk=cdht.pk).content_hash == h


def test_every_title_has_a_published_default_set(db):
    load_defaults(publish=True)
    for title in Title.values:
        cs = criteria_set_for(title, 2025)
        assert cs.is_published and cs.description and cs.source
        assert cs.indicators.exists() and cs.outcome_rules.exists()
    assert criteria_set_for(Title.TTHTCD, 2025).unofficial
    assert "CHƯA RÕ" in criteria_set_for(Title.GDHT, 2025).description
    g = criteria_set_for(Title.GDHT, 2025)
    assert g.criterion_set.count() == 4 and g.criterion_set.get(code="1").max_points == 30
    xa = criteria_set_for(Title.CDHT_XA, 2025)
    assert xa.criterion_set.count() == 5 and {r.level for r in xa.outcome_rules} == {"muc_1", "muc_2"}
    dvht = criteria_set_for(Title.DVHT, 2025)
    assert "organisation.staff.filter(p, p.cdht)" in dvht.indicator_set.get(code="3.1").rule


def test_retire_and_scoring_a_retired_set(make_set):
    cs = make_set(publish=True)
    cs = retire_set(user=_manager(), criteria_set=cs)
    assert cs.status == SetStatus.RETIRED
    with pytest.raises(NoCriteriaSet):
        criteria_set_for(Title.CDHT, 2025)
    assert score(cs, {str(n): 9 for n in range(1, 11)}).passed  # old decisions can still be re-scored


@pytest.mark.parametrize(
    "role,where,allowed",
    [
        (Role.ADMIN, "country", True),
        (Role.SO_GDDT, "province", True),
        (Role.HKH_TINH, "province", True),
        (Role.HKH_XA, "commune_a", False),
        (Role.UBND_XA, "commune_a", False),
        (Role.SO_GDDT, "other_province", False),
    ],
)
def test_who_may_publish_a_province_set(make_set, make_user, units, role, where, allowed):
    cs = make_set(province="51")
    user = make_user(role, getattr(units, where))
    if allowed:
        assert publish_set(user=user, criteria_set=cs).is_published
    else:
        with pytest.raises(PermissionDenied):
            publish_set(user=user, criteria_set=cs)
