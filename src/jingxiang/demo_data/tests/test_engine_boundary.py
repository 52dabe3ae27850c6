"""The engines must stay importable without Django (the loader, CLI and benchmarks rely on it)."""

from __future__ import annotations

import subprocess
import sys


def test_identifiers_and_demo_data_do_not_import_django() -> None:
    code = (
        "import sys, jingxiang.identifiers, jingxiang.demo_data, jingxiang.demo_data.__main__; "
        "sys.exit(1 if any(name == 'django' or name.startswith('django.') for name in sys.modules) else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr or "django was imported"
