"""Production mode (DEBUG off, manifest static storage) starts: collectstatic succeeds on the
vendored files and a page renders with hashed static URLs."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys


def test_collectstatic_and_a_page_in_production_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("XHHT_TESTING", "DEBUG", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="xhht.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        XHHT_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="xhht.example",
    )
    cli = [os.path.join(os.path.dirname(sys.executable), "xhht")]
    out = subprocess.run([*cli, "collectstatic", "--noinput"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/tai-khoan/dang-nhap/', HTTP_HOST='xhht.example', secure=True)\n"
        "print(r.status_code); print(r.content.decode())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    status, body = out.stdout.split("\n", 1)
    assert status == "200" and "Đăng nhập" in body
    assert "/static/vendor/pico/pico." in body and "pico.min.css" not in body  # hashed name
