"""The public side: no login, only declared fields, every visit recorded."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jiceng.core.errors import DomainError
from jiceng.core.publicpages import services
from jiceng.core.publicpages.registry import spec_for


def _page_or_404(token: str):
    page = services.get_active_page(token)
    if page is None or page.subject is None:
        raise Http404
    return page


@never_cache
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str) -> HttpResponse:
    public_page = _page_or_404(token)
    context = {"page": public_page, "rows": services.public_rows(public_page), "sent": False, "error": None}
    status = 200
    if request.method == "POST":
        try:
            services.check_feedback(
                public_page,
                message=request.POST.get("message", ""),
                contact=request.POST.get("contact", ""),
                honeypot=request.POST.get("website", ""),
                stamp=request.POST.get("stamp", ""),
                request=request,
            )
            context["sent"] = True
        except DomainError as exc:
            context["error"] = exc.message
            status = exc.status
    else:
        services.record_scan(public_page, request)
    context["stamp"] = services.feedback_form_stamp()
    spec = spec_for(type(public_page.subject))
    return render(request, spec.template if spec else "publicpages/page.html", context, status=status)


def qr(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    public_page = _page_or_404(token)
    content = services.qr_code(services.absolute_public_url(public_page, request), kind)
    return HttpResponse(content, content_type="image/svg+xml" if kind == "svg" else "image/png")
