"""Shared fixtures. The official map (14,150 units, 10,665 successions) is loaded once per test
session; each test then runs in a transaction that is rolled back.

Browser tests (transactional, they run last) build what they need with ``tests.factories``.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from xhht.geo.loader import load_units

    with django_db_blocker.unblock():
        load_units()


@pytest.fixture
def units(db):
    """Quảng Ngãi (51) with two communes (Xã Đăk Mar, Phường Kon Tum) and their villages."""
    return factories.demo_map()


@pytest.fixture
def make_user(db):
    return factories.make_user


@pytest.fixture
def login():
    """``login(user)`` returns a test client logged in as ``user``."""

    def _login(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return _login


@pytest.fixture(autouse=True)
def _vietnamese_thread_language():
    """A request in English leaves the test thread's language in English; every test starts in Vietnamese."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in memory for the process: each test starts with none."""
    from xhht.accounts import throttle
    from xhht.portal import sms

    throttle.reset_all()
    sms.outbox.clear()
    yield
