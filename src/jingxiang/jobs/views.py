from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from jingxiang.core.excel import xlsx_response
from jingxiang.core.imports import ImportSpec, get_spec
from jingxiang.core.listing import paginate
from jingxiang.core.rendering import render_page
from jingxiang.jobs import selectors, texts
from jingxiang.jobs.forms import ImportUploadForm
from jingxiang.jobs.permissions import access_job, may_import
from jingxiang.jobs.services import job_enqueue


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.job_list(request.user)
    return render_page(request, "jobs/list.html", {"page": paginate(request, jobs)})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_job(request.user, pk)
    return render_page(request, "jobs/detail.html", {"job": job}, partial="jobs/_progress.html")


@login_required
def job_output(request: HttpRequest, pk: int) -> FileResponse:
    job = access_job(request.user, pk)
    if not job.output_file:
        raise Http404
    return FileResponse(
        job.output_file.open("rb"),
        as_attachment=True,
        filename=(job.output_file.name or "").rsplit("/", 1)[-1],
    )


def _spec_or_404(user: object, spec_name: str) -> ImportSpec:
    try:
        spec = get_spec(spec_name)
    except KeyError as error:
        raise Http404 from error
    if not may_import(user, spec_name):
        raise Http404
    return spec


@login_required
def import_start(request: HttpRequest, spec_name: str) -> HttpResponse:
    spec = _spec_or_404(request.user, spec_name)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_enqueue(
            kind="import",
            title=texts.IMPORT_TITLE(what=spec.title, file=form.cleaned_data["file"].name),
            created_by=request.user,
            params={"spec": spec.name},
            input_file=form.cleaned_data["file"],
        )
        return redirect("jobs:detail", pk=job.pk)
    return render_page(request, "jobs/import.html", {"form": form, "spec": spec})


@login_required
def import_template(request: HttpRequest, spec_name: str) -> HttpResponse:
    spec = _spec_or_404(request.user, spec_name)
    return xlsx_response(f"{spec.name}-template", spec.template())
