from jingxiang.academy.tests.conftest import academy, rules  # noqa: F401 - fixtures for certified levels
