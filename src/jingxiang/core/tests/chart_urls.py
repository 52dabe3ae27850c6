"""A page with one chart, for the browser test of the chart block (the real pages come with the apps)."""

from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import include, path

from jingxiang.core.charts import Chart, Series


def chart_page(request: HttpRequest) -> HttpResponse:
    chart = Chart(
        key="demo",
        title="季度专利",
        kind="bar",
        categories=["一季度", "二季度"],
        series=[Series("专利", [3, 5])],
        unit="件",
        links=["/a/", None],
        target=4,
    )
    page = Template(
        '{% extends "base.html" %}{% block title %}图表{% endblock %}'
        '{% block content %}{% include "includes/chart.html" with chart=chart export_url="?export=demo" %}'
        "{% endblock %}"
    )
    return HttpResponse(page.render(RequestContext(request, {"chart": chart})))


urlpatterns = [
    path("chart/", chart_page),
    path("", include("jingxiang.config.urls")),
]
