import subprocess
import sys


def test_engine_imports_without_django() -> None:
    code = (
        "import sys, jingxiang.quality, jingxiang.quality.__main__;"
        "from jingxiang.quality import judge;"
        "judge({'product_type': 'frame', 'standard': 'GB/T 14214-2019',"
        " 'measured': {'nickel_release': 0.1}});"
        "assert 'django' not in sys.modules, 'django imported'"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
