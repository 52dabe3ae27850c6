import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_p(cast):
    c = Client(raise_request_exception=False)
    c.force_login(cast.operator)
    r = c.get("/sharing/statements/", {"year": "0", "q": "0", "status": "0", "month": "0"})
    print("STATUS", r.status_code)
    r = c.get("/sharing/statements/", {"year": "0"})
    print("STATUS", r.status_code)
