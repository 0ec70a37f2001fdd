"""Import pages: pick a registry, download its template, upload, see the result or the errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiceng.core.errors import DomainError
from jiceng.core.export import XLSX_CONTENT_TYPE
from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.transfer import services
from jiceng.core.transfer.registry import get_importer, importers

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _allowed(request: HttpRequest) -> list:
    return [i for i in importers() if user_scope_paths(request.user, permission_name(i.model, "add"))]


def _importer_or_404(request: HttpRequest, key: str):
    importer = get_importer(key)
    if importer is None or importer not in _allowed(request):
        raise Http404
    return importer


def _xlsx(content: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    runs = services.list_runs(request.user)[:20]
    return render(request, "transfer/index.html", {"importers": _allowed(request), "runs": runs})


@login_required
def template(request: HttpRequest, key: str) -> HttpResponse:
    importer = _importer_or_404(request, key)
    return _xlsx(services.build_template(importer), f"{importer.title}-导入模板.xlsx")


@login_required
def upload(request: HttpRequest, key: str) -> HttpResponse:
    importer = _importer_or_404(request, key)
    if request.method != "POST":
        return render(request, "transfer/upload.html", {"importer": importer})
    upload_file = request.FILES.get("file")
    if upload_file is None or upload_file.size > MAX_UPLOAD_BYTES:
        context = {"importer": importer, "error": _("Choose an .xlsx file of at most 50 MB.")}
        return render(request, "transfer/upload.html", context, status=400)
    try:
        result = services.do_import(importer, upload_file.read(), file_name=upload_file.name, acting_user=request.user)
    except DomainError as exc:
        return render(request, "transfer/upload.html", {"importer": importer, "error": exc.message}, status=exc.status)
    status = 200 if result.ok else 400
    return render(request, "transfer/result.html", {"importer": importer, "result": result}, status=status)


@login_required
def error_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    run = services.list_runs(request.user).filter(pk=pk).first()
    if run is None or not run.error_workbook:
        raise Http404
    return _xlsx(bytes(run.error_workbook), f"{run.file_name.rsplit('.', 1)[0]}-错误标注.xlsx")
