"""The criteria pages speak English when the user picks English (catalogue compiled by ``make``)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from xhht.accounts.models import Role
from xhht.criteria.loader import load_defaults
from xhht.criteria.models import CriteriaSet


@pytest.fixture(autouse=True)
def _back_to_vietnamese():
    """The locale middleware leaves the last request's language active in this thread."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_list_and_detail_in_english(db, units, make_user, login):
    load_defaults(publish=True)
    cs = CriteriaSet.objects.get(code="cdht-324")
    c = login(make_user(Role.SO_GDDT, units.province))
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})

    body = c.get("/tieu-chi/").content.decode()
    assert '<html lang="en"' in body
    assert "Upload a criteria set" in body and "Tải lên bộ tiêu chí" not in body
    assert "Published" in body and "Đã ban hành" not in body

    body = c.get(f"/tieu-chi/{cs.pk}/").content.decode()
    assert "Download Excel" in body and "Tải về Excel" not in body
    assert "Create a new version" in body and "Outcomes" in body and "Xếp loại" not in body
    # the set's own English text is shown when it has one
    assert "Learning citizen criteria (Decision 324/QĐ-KHVN)" in body
    assert "Self-learning and lifelong learning" in body

    body = c.get("/tieu-chi/tai-len/").content.decode()
    assert "Criteria set file (.xlsx, .yaml)" in body and "Check first" in body
