"""In production the app serves its static files itself (WhiteNoise): hashed names, compressed, cached
for a year."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]

CHECK = """
import re, django
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("jingxiang/app.css")
assert re.search(r"app\\.[0-9a-f]{12}\\.css$", url), url
client = Client(HTTP_HOST="jingxiang.example")
response = client.get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
assert response.status_code == 200, response.status_code
assert response.headers.get("Content-Encoding") == "gzip", dict(response.headers)
cache = response.headers["Cache-Control"]
assert "immutable" in cache and "max-age=315360000" in cache, cache
print("ok")
"""


@pytest.mark.slow
def test_hashed_compressed_static_files_with_long_cache_headers(tmp_path):
    env = {
        **os.environ,
        "JINGXIANG_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-0123456789",
        "ALLOWED_HOSTS": "jingxiang.example",
        "PUBLIC_BASE_URL": "https://jingxiang.example",
        "DATABASE_URL": "sqlite:///:memory:",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "jingxiang.config.settings",
    }
    env.pop("PYTEST_VERSION", None)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    served = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert served.returncode == 0 and "ok" in served.stdout, served.stdout + served.stderr
