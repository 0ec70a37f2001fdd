"""Staff pages: the public pages in one's areas, publishing, revoking, label sheets."""

from __future__ import annotations

from typing import Any

import django_filters as filters
import django_tables2 as tables
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jiceng.core.errors import DomainError
from jiceng.core.publicpages import services
from jiceng.core.publicpages.models import PublicPage
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews


class PublicPageFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    is_active = filters.BooleanFilter(label=_("published"))

    class Meta:
        model = PublicPage
        fields = ["q", "is_active"]


class PublicPageTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = PublicPage
        fields = ("title", "is_active", "scan_count", "created_by", "created_at")


class PublicPageViews(ModelViews):
    model = PublicPage
    filterset = PublicPageFilterSet
    table = PublicPageTable
    url_plural = "pages"
    detail_template = "publicpages/staff_detail.html"
    detail_fields = ["title", "is_active", "scan_count", "created_by", "created_at"]


@login_required
@require_POST
def publish(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    try:
        model: type[models.Model] = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    obj = access_object(request.user, model, {"pk": pk}, "change")
    try:
        page = services.do_publish(obj, acting_user=request.user)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    return HttpResponseRedirect(page.get_absolute_url())


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    page = access_object(request.user, PublicPage, {"pk": pk}, "change")
    services.do_revoke(page, acting_user=request.user)
    return HttpResponseRedirect(page.get_absolute_url())


@login_required
def labels(request: HttpRequest) -> HttpResponse:
    ids: list[Any] = [i for i in request.GET.getlist("id") if i.isdigit()]
    qs = PublicPage.objects.restrict(request.user, "view").filter(is_active=True)
    pages = list(qs.filter(pk__in=ids) if ids else qs[:120])
    if not pages:
        raise Http404
    response = HttpResponse(services.label_sheet_pdf(pages, request), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="qr-labels.pdf"'
    return response
