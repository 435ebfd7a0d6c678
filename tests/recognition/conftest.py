from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.core.titles import Title


@pytest.fixture
def cycle(units, make_user):
    """A GDHT campaign in Xã Đăk Mar with its officers and three households of Thôn 1."""
    cs = helpers.published_set(Title.GDHT)
    manager = make_user(Role.HKH_XA, units.commune_a, full_name="Nguyễn Thị Hoa")
    chair = make_user(Role.UBND_XA, units.commune_a, full_name="A Thắng")
    from xhht.recognition import services

    today = dt.date.today()
    campaign = services.campaign_create(
        user=manager,
        title=Title.GDHT,
        year=2025,
        unit=units.commune_a,
        registration_deadline=today + dt.timedelta(days=30),
        review_deadline=today + dt.timedelta(days=60),
    )
    households = [
        helpers.household(units.village_a1, name)
        for name in ("Nguyễn Văn Ánh", "Trần Thị Hương", "Lê Đức Thắng")
    ]
    return SimpleNamespace(
        units=units,
        cs=cs,
        manager=manager,
        reviewer=manager,
        chair=chair,
        campaign=campaign,
        households=households,
    )


@pytest.fixture
def decided(cycle):
    """The cycle's three households proposed and recognised by Decision 1/QĐ-UBND."""
    from xhht.recognition import services

    c = cycle
    files = [
        helpers.proposed_file(c.campaign, h.pk, officer=c.manager, reviewer=c.reviewer) for h in c.households
    ]
    c.decision = services.decision_issue(
        user=c.chair, campaign=c.campaign, assessment_ids=[f.pk for f in files], **helpers.SIGN
    )
    return c
