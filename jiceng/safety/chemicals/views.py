"""Chemical registration pages: products (with their code and chain of scans), recording a scan,
the label sheet of an enterprise's codes, the scans list, and the registration completion rate by
role and area (``?area=<code>`` drills down)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.errors import DomainError
from jiceng.core.publicpages.models import PublicPage
from jiceng.core.publicpages.services import label_sheet_pdf
from jiceng.core.scope import user_can
from jiceng.core.views import ModelViews
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.safety.chemicals import selectors, services
from jiceng.safety.chemicals.filtersets import ChemicalProductFilterSet, ProductScanFilterSet
from jiceng.safety.chemicals.forms import ChemicalProductForm, ProductScanForm
from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan
from jiceng.safety.chemicals.tables import ChemicalProductTable, ProductScanTable

VIEW_PRODUCTS = "safety_chemicals.view_chemicalproduct"


class ChemicalProductViews(ModelViews):
    model = ChemicalProduct
    filterset = ChemicalProductFilterSet
    table = ChemicalProductTable
    form = ChemicalProductForm
    url_plural = "products"
    select_related = ["enterprise", "area"]
    detail_template = "safety_chemicals/chemicalproduct_detail.html"
    detail_fields = [
        "enterprise",
        "name",
        "cas_number",
        "un_number",
        "hazard_classes",
        "emergency_phone",
        "sds_summary",
        "registration_number",
        "registered_on",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> ChemicalProduct:
        return services.do_create_product(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> ChemicalProduct:
        return services.do_update_product(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: Any, user: Any) -> None:
        services.do_delete_product(obj, acting_user=user)

    @classmethod
    def detail_context(cls, obj: Any, user: Any) -> dict[str, Any]:
        code = services.active_page(obj)
        return {
            "chain": selectors.product_chain(user, obj),
            "may_scan": obj.is_registered and user_can(user, ProductScan(product=obj), "add"),
            "code": code,
            "code_staff_view": code is not None and user_can(user, code, "view"),
        }


class ProductScanViews(ModelViews):
    """Scans are facts: listed and shown, recorded from the product's page (or the API), never edited."""

    model = ProductScan
    filterset = ProductScanFilterSet
    table = ProductScanTable
    url_plural = "scans"
    select_related = ["product__enterprise", "recorded_by"]
    detail_fields = ["product", "stage", "scanned_at", "scanner_name", "scanner_org", "location", "note", "recorded_by"]


@login_required
def record_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a scan of one product's code ("record a scan" on the product page)."""
    product = selectors.access_product(request.user, pk)
    if not user_can(request.user, ProductScan(product=product), "add"):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ProductScanForm(request.POST)
        if form.is_valid():
            try:
                services.do_record_scan(data={**form.cleaned_data, "product": product}, acting_user=request.user)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            except DjangoValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                return HttpResponseRedirect(product.get_absolute_url())
        else:
            status = 400
    else:
        form = ProductScanForm(initial={"scanned_at": timezone.localtime().replace(second=0, microsecond=0)})
    return render(request, "safety_chemicals/record_scan.html", {"product": product, "form": form}, status=status)


@login_required
def labels(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """An A4 sheet of the QR labels of one enterprise's registered products (3 × 4 per page)."""
    products = ChemicalProduct.objects.restrict(request.user, "view").filter(
        enterprise_id=enterprise_id, registered_on__isnull=False
    )
    ids = [str(pk) for pk in products.values_list("pk", flat=True)]
    pages = list(
        PublicPage.objects.filter(
            content_type=ContentType.objects.get_for_model(ChemicalProduct),
            object_id__in=ids,
            is_active=True,
        ).order_by("title")
    )
    if not pages:
        raise Http404
    response = HttpResponse(label_sheet_pdf(pages, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chemical-codes-{enterprise_id}.pdf"'
    return response


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The registration completion rate by hazardous-chemical role for an area and its children."""
    root = scope_root(request, VIEW_PRODUCTS)
    if root is None:
        raise PermissionDenied
    today = timezone.localdate()
    up = parent_in_scope(root, request.user, VIEW_PRODUCTS)
    completion = selectors.registration_completion(request.user, root, on=today)
    chart = {
        "title": _("Enterprises with a registered product, by role"),
        "categories": [row["label"] for row in completion["rows"]],
        "series": [
            {"name": _("Enterprises"), "data": [row["enterprises"] for row in completion["rows"]]},
            {"name": _("Registered"), "data": [row["registered"] for row in completion["rows"]]},
        ],
    }
    context = {
        "root": root,
        "up": up,
        "on": today,
        "completion": completion,
        "counts": selectors.product_counts(request.user, root, on=today),
        "chart": chart,
        "products_url": reverse("safety_chemicals:chemicalproduct_list"),
    }
    return render(request, "safety_chemicals/overview.html", context)
