import subprocess
import sys


def test_engine_imports_and_checks_without_django() -> None:
    code = (
        "import sys, jingxiang.wages, jingxiang.wages.__main__;"
        "from jingxiang.wages import load_agreement_text, find_level;"
        "from jingxiang.wages.loading import read_resource;"
        "from jingxiang.wages.amounts import parse_month;"
        "a = load_agreement_text(read_resource('agreements', 'linhai-eyewear.yaml'));"
        "a.norm(a.find_post('抛光'), find_level('中级工'), parse_month('2026-03'));"
        "assert 'django' not in sys.modules, 'django imported'"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
