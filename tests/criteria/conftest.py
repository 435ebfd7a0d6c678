"""Helpers for criteria tests: build small criteria sets from documents."""

from __future__ import annotations

import itertools

import pytest

from xhht.criteria.authoring import build_from_document
from xhht.criteria.services import publish_internal

_seq = itertools.count(1)


def document(title="CDHT", indicators=None, outcomes=None, **settings):
    """A one-group, one-criterion document; ``indicators`` are dicts (code, points, min, kind, rule…)."""
    if indicators is None:
        indicators = [
            {"code": f"{n}", "label": f"Chỉ số {n}", "points": "10", "min": "5"} for n in range(1, 11)
        ]
    for i in indicators:
        i.setdefault("label", f"Chỉ số {i['code']}")
    if outcomes is None:
        outcomes = [{"level": "dat", "label": "Đạt", "min_total": "80", "check_minimums": True}]
    s = {
        "title": title,
        "code": f"thu-{next(_seq)}",
        "version": 1,
        "name": "Bộ tiêu chí thử",
        "source": "QĐ thử",
        "year_from": 2020,
    }
    s.update(settings)
    return {
        "settings": s,
        "groups": [
            {
                "code": "G",
                "label": "Nhóm",
                "criteria": [{"code": "C", "label": "Tiêu chí", "indicators": indicators}],
            }
        ],
        "outcomes": outcomes,
    }


@pytest.fixture
def make_set(db):
    def _make(*, publish=False, **kw):
        cs = build_from_document(document(**kw))
        if publish:
            cs = publish_internal(cs)
        return cs

    return _make
