"""The directory bulletin (通报): registered persons, enterprises and grids per child area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.transfer.bulletins import DOCX_CONTENT_TYPE, Bulletin, Section, render_docx, render_pdf
from jiceng.directory.dashboard import overview


def build_directory_bulletin(request: HttpRequest) -> Bulletin | None:
    data = overview(request)
    if data is None:
        return None
    root = data["root"]
    totals = data["totals"]
    today = timezone.localdate()
    table = [[_("area"), _("Persons"), _("Enterprises"), _("Grids")]]
    table += [[r["name"], str(r["persons"]), str(r["enterprises"]), str(r["grids"])] for r in data["rows"]]
    summary = _("%(area)s has %(persons)d registered persons, %(enterprises)d enterprises and %(grids)d grids.") % {
        "area": root.full_name,
        **totals,
    }
    return Bulletin(
        title=_("Bulletin on the registration of persons and enterprises"),
        issuer=root.full_name,
        period=f"{today:%Y-%m}",
        issued_on=f"{today:%Y-%m-%d}",
        sections=[Section(heading=_("Overview"), paragraphs=[summary], table=table)],
    )


@login_required
def directory_bulletin(request: HttpRequest, fmt: str) -> HttpResponse:
    bulletin = build_directory_bulletin(request)
    if bulletin is None:
        raise PermissionDenied
    from urllib.parse import quote

    if fmt == "pdf":
        response = HttpResponse(render_pdf(bulletin), content_type="application/pdf")
    else:
        response = HttpResponse(render_docx(bulletin), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(bulletin.title)}.{fmt}"
    return response
