"""The project's settings plus the benchmark's floor page (bench_urls): the same server, middleware and
database as every measured page, so each page is compared with what any Django page costs here."""

from jingxiang.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
