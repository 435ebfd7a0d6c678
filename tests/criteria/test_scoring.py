"""Outcome rules on edge values: the CDHT rule "total ≥ 80 and no indicator below 5", levels, pass/fail."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet
from xhht.criteria.services import ScoreError, score


@pytest.fixture
def cdht(db):
    load_defaults(publish=True)
    return CriteriaSet.objects.get(code="cdht-324")


def answers(cs, **overrides):
    base = {i.code: 8 for i in cs.indicators}
    base.update({k.replace("_", "."): v for k, v in overrides.items()})
    return base


def test_shipped_cdht_has_3_criteria_and_10_indicators_of_10_points(cdht):
    assert cdht.criterion_set.count() == 3
    assert [i.code for i in cdht.indicators] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
    ]
    assert {i.max_points for i in cdht.indicators} == {Decimal("10")}


def test_exactly_80_passes(cdht):
    r = score(cdht, answers(cdht))  # 10 × 8 = 80
    assert r.total == Decimal("80")
    assert r.passed and r.level == "dat" and r.failures == []
    assert r.per_group == {"CDHT": Decimal("80")}
    assert r.per_criterion == {"1": Decimal("32"), "2": Decimal("32"), "3": Decimal("16")}


def test_79_5_fails_with_the_total_named(cdht):
    r = score(cdht, answers(cdht, **{"3_2": Decimal("7.5")}))
    assert not r.passed and r.level is None
    assert r.failures == ["Tổng điểm 79,5, chưa đạt 80 điểm."]


def test_one_indicator_at_4_fails_even_with_a_high_total(cdht):
    a = {i.code: 10 for i in cdht.indicators}
    a["2.4"] = 4  # total 94
    r = score(cdht, a)
    assert r.total == Decimal("94")
    assert not r.passed
    assert len(r.failures) == 1
    assert "2.4" in r.failures[0] and "4 điểm" in r.failures[0] and "tối thiểu 5" in r.failures[0]


def test_indicator_at_exactly_5_is_allowed(cdht):
    a = {i.code: 10 for i in cdht.indicators}
    a["1.1"] = 5
    assert score(cdht, a).passed


def test_unanswered_mandatory_indicator_fails(cdht):
    a = {i.code: 10 for i in cdht.indicators}
    del a["3.1"]
    r = score(cdht, a)
    assert not r.passed
    assert any("3.1" in f and "chưa được đánh giá" in f for f in r.failures)


def test_out_of_range_and_unknown_codes_are_refused(cdht):
    with pytest.raises(ScoreError, match="ngoài khoảng 0–10"):
        score(cdht, answers(cdht, **{"1_1": 11}))
    with pytest.raises(ScoreError, match="9.9"):
        score(cdht, {"9.9": 1})


def test_cel_condition_equivalent_to_structured_rule(make_set):
    cs = make_set(
        outcomes=[
            {
                "level": "dat",
                "check_minimums": False,
                "condition": "total >= 80.0 && indicators.all(k, indicators[k] >= 5.0)",
            }
        ]
    )
    assert score(cs, {str(n): 8 for n in range(1, 11)}).passed
    low = {str(n): 10 for n in range(1, 11)} | {"4": 4}
    r = score(cs, low)
    assert not r.passed
    assert r.failures == ["Chưa đạt điều kiện: indicators.all(k, indicators[k] >= 5.0)"]
    r = score(cs, {str(n): 7 for n in range(1, 11)})
    assert r.failures == ["Chưa đạt điều kiện: total >= 80.0"]


def test_levels_dvht_90_and_95_percent(db):
    load_defaults(publish=True)
    cs = CriteriaSet.objects.get(code="dvht-tt24-2023")
    passes = {i.code: True for i in cs.indicators if i.kind == "pass_fail"}
    r = score(cs, passes | {"2.3": 50, "3.1": Decimal("95")})
    assert r.level == "muc_2"
    r = score(cs, passes | {"2.3": 50, "3.1": Decimal("94.9")})
    assert r.level == "muc_1" and r.passed
    r = score(cs, passes | {"2.3": 50, "3.1": Decimal("89.9")})
    assert not r.passed and any("3.1" in f and "tối thiểu 90" in f for f in r.failures)
    # an indicator required only at level 2 does not block level 1
    r = score(cs, passes | {"3.3": False, "3.1": 99})
    assert r.level == "muc_1"
    r = score(cs, passes | {"1.1": False, "3.1": 99})
    assert not r.passed and any("1.1" in f and "không đạt" in f for f in r.failures)


def test_pass_fail_answers_accept_vietnamese_words(make_set):
    cs = make_set(
        indicators=[{"code": "a", "kind": "pass_fail", "points": "0"}, {"code": "b", "kind": "pass_fail"}],
        outcomes=[{"level": "dat", "check_minimums": True}],
    )
    assert score(cs, {"a": "đạt", "b": "Có"}).passed
    assert not score(cs, {"a": "không đạt", "b": True}).passed
