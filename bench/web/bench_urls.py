"""The project's URLs plus ``/bench/floor/``: a bare Django view rendering a 50-row table from the
database, through the same middleware as every page (issue 13's floor)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from jingxiang.organisations.models import Organisation

FLOOR = engines["django"].from_string(
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>floor</title></head><body><table>'
    "<thead><tr><th>#</th><th>name</th><th>kind</th><th>region</th><th>employees</th></tr></thead><tbody>"
    "{% for o in rows %}<tr><td>{{ o.pk }}</td><td>{{ o.name }}</td><td>{{ o.get_kind_display }}</td>"
    "<td>{{ o.region }}</td><td>{{ o.employee_count }}</td></tr>{% endfor %}</tbody></table></body></html>"
)


def floor(request: HttpRequest) -> HttpResponse:
    rows = Organisation.objects.order_by("pk")[:50]
    # No request in the context: the project's context processors (menu, roles, notification count) are
    # part of what a page costs, not of the floor.
    return HttpResponse(FLOOR.render({"rows": rows}))


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("jingxiang.config.urls")),
]
handler404 = "jingxiang.core.errors.not_found"
handler500 = "jingxiang.core.errors.server_error"
