"""Operators edit the engine's tables in the UI: validated by the engine's loader, versioned, activated by a
background rebuild of the warm index."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from jingxiang.demands import services
from jingxiang.demands.models import KnowledgeVersion, KnowledgeVersionStatus
from jingxiang.jobs.models import Job, JobStatus
from jingxiang.matchindex.selectors import suggest_suppliers
from jingxiang.matching.knowledge import DATA_DIR

pytestmark = pytest.mark.django_db

SHIPPED = (DATA_DIR / "synonyms.yaml").read_text(encoding="utf-8")
WITH_NEW_TERM = (
    SHIPPED + "\n  - canonical: 蛤蟆纹\n    variants: [癞蛤蟆纹]\n    skills: [coating_adhesion]\n"
)


def test_only_operators_edit(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.knowledge_version_save(actor=cast.firm_admin, document="synonyms", content=SHIPPED, note="x")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("groups: [\n  - canonical: 1", "YAML 格式错误"),
        ("- just\n- a list", "键值对"),
        (
            SHIPPED + "\n  - canonical: 新词\n    skills: [no_such_skill]\n",
            "unknown skill code 'no_such_skill'",
        ),
        (SHIPPED + "\n  - variants: [无名组]\n", "needs a canonical term"),
    ],
)
def test_broken_tables_are_refused_with_every_problem(cast: Any, content: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.knowledge_version_save(
            actor=cast.operator, document="synonyms", content=content, note="试改"
        )
    assert any(fragment in message for message in excinfo.value.message_dict["content"])
    assert not KnowledgeVersion.objects.exists() and not Job.objects.exists()


def test_a_note_is_required(cast: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.knowledge_version_save(actor=cast.operator, document="synonyms", content=SHIPPED, note=" ")
    assert "note" in excinfo.value.message_dict


def test_saved_version_is_activated_by_the_rebuild_job(
    cast: Any, suppliers: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert suggest_suppliers(title="蛤蟆纹", description="蛤蟆纹") == []
    with django_capture_on_commit_callbacks(execute=True):
        first = services.knowledge_version_save(
            actor=cast.operator, document="synonyms", content=WITH_NEW_TERM, note="加入蛤蟆纹"
        )
    first.refresh_from_db()
    job = Job.objects.get(kind="matchindex_rebuild")
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100 and job.result["ok"]
    assert first.status == KnowledgeVersionStatus.ACTIVE and first.version == 1 and first.activated_at
    assert suggest_suppliers(title="蛤蟆纹", description="蛤蟆纹")[0].object_id == suppliers.coating.pk

    with django_capture_on_commit_callbacks(execute=True):
        second = services.knowledge_version_save(
            actor=cast.operator, document="synonyms", content=SHIPPED, note="撤回"
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.version) == (
        KnowledgeVersionStatus.SUPERSEDED,
        KnowledgeVersionStatus.ACTIVE,
        2,
    )
    assert suggest_suppliers(title="蛤蟆纹", description="蛤蟆纹") == []


def test_edit_page_shows_errors_and_keeps_the_text(cast: Any) -> None:
    client = Client()
    client.force_login(cast.operator)
    page = client.get("/demands/knowledge/synonyms/")
    assert "减反射膜" in page.content.decode()
    bad = SHIPPED + "\n  - canonical: 新词\n    skills: [no_such_skill]\n"
    response = client.post("/demands/knowledge/synonyms/", {"content": bad, "note": "试改"})
    text = response.content.decode()
    assert response.status_code == 200 and "no_such_skill" in text and "新词" in text
    assert client.get("/demands/knowledge/nonsense/").status_code == 404


def test_rerank_job_from_the_board(
    cast: Any, suppliers: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from jingxiang.demands.tests.conftest import make_demand

    demand = make_demand(cast)
    client = Client()
    client.force_login(cast.operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/demands/board/rerank/")
    job = Job.objects.get(kind="demands_rerank")
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    demand.refresh_from_db()
    assert (
        job.status == JobStatus.SUCCEEDED
        and job.result["demands"] == 1
        and job.result_url == "/demands/board/"
    )
    assert demand.ranking and demand.ranked_at
