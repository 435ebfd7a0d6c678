"""The smaller holes of issue 12: keys, uploaded files, the API docs page, error pages, masked CCCD."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db


def _start(**env_over) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "XHHT_TESTING")}
    env.update(DJANGO_SETTINGS_MODULE="xhht.settings", **env_over)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "key",
    [
        None,  # the demo key
        "xhht-demo-secret-key-do-not-use-in-production-0000000000000000",
        "abc",
        "x" * 60,  # long but not random
        secrets.token_urlsafe(30),  # 40 characters
    ],
)
def test_production_mode_refuses_weak_keys_even_when_testing(key):
    env = {"DEBUG": "0", "XHHT_TESTING": "1"}
    if key is not None:
        env["SECRET_KEY"] = key
    out = _start(**env)
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


def test_production_mode_starts_with_a_strong_key():
    assert _start(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50)).returncode == 0


def test_uploaded_files_are_not_served_from_media_even_in_the_demo():
    env = {k: v for k, v in os.environ.items() if k not in ("XHHT_TESTING",)}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="xhht.settings")
    code = (
        "import django; django.setup()\n"
        "from django.urls import resolve, Resolver404\n"
        "for p in ('/media/evidence/2025/a.pdf', '/media/imports/x.csv'):\n"
        "    try:\n        resolve(p); print('SERVED', p)\n"
        "    except Resolver404:\n        print('404', p)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["404", "/media/evidence/2025/a.pdf", "404", "/media/imports/x.csv"]


def test_api_docs_load_nothing_from_a_cdn(units, make_user, login):
    from xhht.accounts.models import Role

    body = login(make_user(Role.HKH_XA, units.commune_a)).get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in body and "/static/ninja/swagger-ui-bundle.js" in body
    for cdn in ("cdn.", "jsdelivr", "unpkg", "cdnjs", "https://"):
        assert cdn not in body


def test_error_pages_are_vietnamese(client):
    from django.views.defaults import server_error

    assert "Không tìm thấy trang" in client.get("/khong-co-trang-nay/").content.decode()
    body = server_error(RequestFactory().get("/")).content.decode()
    assert "Hệ thống gặp lỗi" in body and "Server Error (500)" not in body
    r = Client(enforce_csrf_checks=True).post("/tai-khoan/dang-nhap/", {"username": "a", "password": "b"})
    assert r.status_code == 403 and "Không gửi được biểu mẫu" in r.content.decode()


def test_masked_cccd_hides_every_random_digit(units, make_user, login):
    from tests.recognition import helpers
    from xhht.accounts.models import Role

    helpers.person(units.village_a1, "Nguyễn Văn Mạnh", cccd="062190987654", phone="0905000111")
    page = login(make_user(Role.TRUONG_THON, units.village_a1)).get("/so-dang-ky/cong-dan/?q=manh")
    body = page.content.decode()
    assert "Nguyễn Văn Mạnh" in body and "062190******" in body
    for tail in ("987654", "7654", "654", "54"):
        assert f"{tail}<" not in body and f"*{tail}" not in body
