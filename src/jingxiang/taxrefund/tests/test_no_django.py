import subprocess
import sys


def test_engine_imports_and_evaluates_without_django() -> None:
    code = (
        "import sys, jingxiang.taxrefund, jingxiang.taxrefund.__main__;"
        "from jingxiang.taxrefund import evaluate;"
        "e = evaluate({'traveller': {'category': 'foreigner', 'document': {'type': 'passport'},"
        " 'last_entry_date': '2025-06-01'}, 'stores': [{'id': 'S1', 'filed': True, 'credit_rating': 'A',"
        " 'region': 'zhejiang'}], 'purchases': [{'store': 'S1', 'date': '2025-06-05', 'lines': [{'amount':"
        " '1130.00', 'vat_rate': 13, 'kind': 'goods', 'unused': True, 'category': 'spectacles'}]}]});"
        "assert str(e.net_refund) == '101.70', e.net_refund;"
        "assert 'django' not in sys.modules, 'django imported'"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
