import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from xhht.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_argon2_is_the_production_hasher():
    env = {k: v for k, v in os.environ.items() if k != "XHHT_TESTING"}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), DJANGO_SETTINGS_MODULE="xhht.settings")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PASSWORD_HASHERS[0]); print(settings.SESSION_COOKIE_SECURE)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    hasher, secure = out.stdout.split()
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert secure == "True"


def test_refuses_production_mode_with_demo_secret():
    env = {k: v for k, v in os.environ.items() if k not in ("XHHT_TESTING", "SECRET_KEY")}
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="xhht.settings")
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_login_is_throttled_after_repeated_failures(units, make_user, client):
    make_user(Role.HKH_XA, units.commune_a, username="lan")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = client.post("/tai-khoan/dang-nhap/", {"username": "lan", "password": "sai"})
        assert r.status_code == 200
    client.post("/tai-khoan/dang-nhap/", {"username": "lan", "password": "sai"})
    r = client.post("/tai-khoan/dang-nhap/", {"username": "lan", "password": "mat-khau-thu-nghiem"})
    assert r.status_code == 429
    assert "Tạm khoá đăng nhập" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_message_is_vietnamese_and_keeps_username(units, make_user, client):
    make_user(Role.HKH_XA, units.commune_a, username="minh")
    r = client.post("/tai-khoan/dang-nhap/", {"username": "minh", "password": "sai"})
    body = r.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in body
    assert 'value="minh"' in body


def test_pages_need_login(client):
    r = client.get("/don-vi/")
    assert r.status_code == 302 and "/tai-khoan/dang-nhap/" in r["Location"]
