"""Decision numbers under concurrent requests: real threads, real row locks (PostgreSQL).

SQLite serialises every write transaction (``transaction_mode=IMMEDIATE``), so there is no race to
test there; CI runs this file on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests import factories
from tests.recognition import helpers
from xhht.accounts.models import Role
from xhht.core.titles import Title
from xhht.recognition import services
from xhht.recognition.models import Assessment, Decision, DecisionNumberSequence, Recognition

SIGN = {"date": dt.date(2025, 12, 15), "signer_name": "A Thắng", "signer_position": "Phó Chủ tịch"}

pytestmark = [pytest.mark.postgres_only]


@pytest.fixture
def race_setup(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL: khoá hàng SELECT … FOR UPDATE giữa các luồng")
    m = factories.demo_map()
    helpers.published_set(Title.GDHT)
    manager = factories.make_user(Role.HKH_XA, m.commune_a)
    chairs = [factories.make_user(Role.UBND_XA, m.commune_a) for _ in range(2)]
    camp = services.campaign_create(user=manager, title=Title.GDHT, year=2025, unit=m.commune_a)
    files = []
    for i in range(8):
        h = helpers.household(m.village_a1, f"Nguyễn Văn Số {i}")
        files.append(helpers.proposed_file(camp, h.pk, officer=manager, reviewer=manager))
    return camp, chairs, files


def _run_concurrently(jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test inspects
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_approvers_racing_on_the_same_files_produce_one_decision(race_setup):
    camp, chairs, files = race_setup
    ids = [f.pk for f in files]
    results = _run_concurrently(
        [
            lambda u=u: services.decision_issue(user=u, campaign=camp, assessment_ids=ids, **SIGN)
            for u in chairs
        ]
    )
    decisions = [r for r in results if isinstance(r, Decision)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(decisions) == 1 and len(refused) == 1, results
    assert Decision.objects.count() == 1
    assert Decision.objects.get().number == 1
    assert Recognition.objects.count() == len(files)
    assert DecisionNumberSequence.objects.get().last_number == 1
    assert set(Assessment.objects.values_list("decision_id", flat=True)) == {decisions[0].pk}


def test_concurrent_decisions_on_different_files_get_distinct_gap_free_numbers(race_setup):
    camp, chairs, files = race_setup
    jobs = [
        lambda f=f, u=chairs[i % 2]: services.decision_issue(
            user=u, campaign=camp, assessment_ids=[f.pk], **SIGN
        )
        for i, f in enumerate(files)
    ]
    results = _run_concurrently(jobs)
    assert all(isinstance(r, Decision) for r in results), results
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(files) + 1))
    assert DecisionNumberSequence.objects.get().last_number == len(files)
