"""Builders for the recognition tests (also used by the portal and browser tests)."""

from __future__ import annotations

import datetime as dt
import itertools

from tests import factories
from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.registry.models import Household, HouseholdMember, Person, Relation

_seq = itertools.count(1)


def published_set(title: str = Title.GDHT, *, rule: str = "", year_from: int = 2020):
    """A small published criteria set: two scored indicators (50 points each, minimum 20), one pass/fail
    indicator, optionally one rule-computed number; "đạt" at 80 points with every minimum met."""
    from xhht.criteria.authoring import build_from_document
    from xhht.criteria.services import publish_set

    n = next(_seq)
    indicators = [
        {
            "code": "1.1",
            "label": "Trẻ em trong độ tuổi đều đến trường",
            "hint": "Hộ không có trẻ em được đủ điểm.",
            "points": "50",
            "min": "20",
            "evidence": "Xác nhận của nhà trường",
        },
        {"code": "1.2", "label": "Người lớn tham gia học tập thường xuyên", "points": "50", "min": "20"},
        {"code": "2.1", "label": "Gia đình hòa thuận", "kind": "pass_fail", "points": "0"},
    ]
    if rule:
        indicators.append(
            {
                "code": "3.1",
                "label": "Số thành viên của hộ",
                "kind": "number",
                "mandatory": False,
                "rule": rule,
            }
        )
    doc = {
        "settings": {
            "title": str(title),
            "code": f"test-{str(title).lower().replace('_', '-')}-{n}",
            "version": 1,
            "name": f"Bộ thử {title} {n}",
            "year_from": year_from,
            "source": "Thử nghiệm",
        },
        "groups": [
            {
                "code": "G",
                "label": "Phiếu đánh giá",
                "points": "100",
                "criteria": [
                    {"code": "1", "label": "Việc học tập", "points": "100", "indicators": indicators}
                ],
            }
        ],
        "outcomes": [{"level": "dat", "label": "Đạt", "min_total": "80", "check_minimums": True}],
    }
    admin = factories.make_user(Role.ADMIN, factories.unit("VN/"))
    cs = build_from_document(doc, created_by=admin)
    return publish_set(user=admin, criteria_set=cs)


def person(
    village,
    name: str,
    *,
    cccd: str | None = None,
    birth_date: dt.date | None = None,
    user=None,
    phone: str = "",
) -> Person:
    p = Person(
        full_name=name,
        village=village,
        cccd=cccd,
        birth_date=birth_date or dt.date(1980, 5, 17),
        user=user,
        phone=phone,
    )
    p.save()
    return p


def household(village, head_name: str, *, head_user=None, members: int = 0) -> Household:
    head = person(village, head_name, user=head_user)
    h = Household(code=f"H{next(_seq):06d}", village=village, head=head)
    h.save()
    HouseholdMember.objects.create(household=h, person=head, relation=Relation.HEAD)
    for i in range(members):
        m = person(village, f"{head_name.split()[0]} Văn Con {i}")
        HouseholdMember.objects.create(household=h, person=m, relation=Relation.CHILD)
    return h


SIGN = {
    "date": dt.date(2025, 12, 15),
    "signer_name": "A Thắng",
    "signer_position": "KT. Chủ tịch\nPhó Chủ tịch",
}

GOOD = {"1.1": {"value": 45}, "1.2": {"value": 40}, "2.1": {"value": True}}


def proposed_file(campaign, subject_id, *, officer, reviewer, answers=None):
    """Register (on behalf), self-assess, submit and propose one file."""
    from xhht.recognition import services

    a = services.register(user=officer, campaign=campaign, subject_id=subject_id)
    a = services.answers_save(user=officer, assessment=a, answers=answers or GOOD)
    a = services.submit(user=officer, assessment=a)
    return services.review_save(user=reviewer, assessment=a, outcome="propose")
