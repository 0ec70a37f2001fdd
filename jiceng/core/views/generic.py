"""Generic object views: one definition per model gives list, detail, edit, delete, history, export.

A concrete app declares a ``ModelViews`` subclass with a few attributes and includes
``PersonViews.urls()`` in its URLconf. URL names are ``<model>_list``, ``<model>_detail``,
``<model>_add``, ``<model>_edit``, ``<model>_delete``, ``<model>_history`` inside the app's
namespace. Everything goes through ``restrict()``/``access_object()`` (404 outside the
area subtree) and the write services (audit, conformance).
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.forms import BaseForm, ModelChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.views import View
from django_filters import FilterSet

from jiceng.core import audit, services
from jiceng.core.errors import DomainError
from jiceng.core.export import xlsx_response
from jiceng.core.filters import restrict_filter_choices
from jiceng.core.scope import permission_name, user_can, user_scope_paths
from jiceng.core.selectors import access_object

MAX_PER_PAGE = 500  # the API's max_page_size too


def restrict_form_choices(form: BaseForm, user: Any) -> None:
    """Limit every related-object choice to objects the user may view."""
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField) and hasattr(field.queryset, "restrict"):
            field.queryset = field.queryset.restrict(user, "view")


class ModelViews:
    """The declaration of one model's pages."""

    model: ClassVar[type[models.Model]]
    filterset: ClassVar[type[FilterSet]]
    table: ClassVar[type[tables.Table]]
    form: ClassVar[type[BaseForm] | None] = None
    detail_fields: ClassVar[list[str]] = []
    select_related: ClassVar[list[str]] = []
    detail_template: ClassVar[str] = "core/object_detail.html"
    per_page: ClassVar[int] = 50
    url_plural: ClassVar[str | None] = None  # URL segment; default "<model name>s"

    # --- hooks a module overrides to call its own services -----------------------------
    @classmethod
    def create(cls, form: BaseForm, user: Any) -> models.Model:
        return services.do_create(cls.model, data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: models.Model, form: BaseForm, user: Any) -> models.Model:
        return services.do_update(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def delete(cls, obj: models.Model, user: Any) -> None:
        services.do_delete(obj, acting_user=user)

    @classmethod
    def detail_rows(cls, obj: models.Model, user: Any) -> list[tuple[str, Any]]:
        rows = []
        for name in cls.detail_fields:
            field = cls.model._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if callable(display) else getattr(obj, name)
            rows.append((str(field.verbose_name), value))
        return rows

    @classmethod
    def detail_context(cls, obj: models.Model, user: Any) -> dict[str, Any]:
        """Extra template context of the detail page (related rows, figures); ``{}`` by default."""
        return {}

    @classmethod
    def history_changes(cls, entry: Any, obj: models.Model, user: Any) -> list[tuple[str, Any, Any]]:
        """(field, before, after) rows of one audit entry as ``user`` may see them (mask here)."""
        return list(entry.changed_fields())

    # --- URL plumbing ------------------------------------------------------------------
    @classmethod
    def name(cls, action: str) -> str:
        return f"{cls.model._meta.model_name}_{action}"

    @classmethod
    def url_name(cls, action: str) -> str:
        return f"{cls.model._meta.app_label}:{cls.name(action)}"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = cls.url_plural or f"{cls.model._meta.model_name}s"
        patterns = [
            path(f"{slug}/", ObjectListView.as_view(views=cls), name=cls.name("list")),
            path(f"{slug}/<int:pk>/", ObjectDetailView.as_view(views=cls), name=cls.name("detail")),
            path(f"{slug}/<int:pk>/history/", ObjectHistoryView.as_view(views=cls), name=cls.name("history")),
        ]
        if cls.form is not None:
            patterns += [
                path(f"{slug}/add/", ObjectEditView.as_view(views=cls), name=cls.name("add")),
                path(f"{slug}/<int:pk>/edit/", ObjectEditView.as_view(views=cls), name=cls.name("edit")),
                path(f"{slug}/<int:pk>/delete/", ObjectDeleteView.as_view(views=cls), name=cls.name("delete")),
            ]
        _registry.append(cls)
        return patterns


_registry: list[type[ModelViews]] = []


def registered_model_views() -> list[type[ModelViews]]:
    """Every ModelViews whose URLs are installed (the scope test matrix iterates over this)."""
    return list(dict.fromkeys(_registry))


class _BaseObjectView(LoginRequiredMixin, View):
    views: type[ModelViews] = ModelViews
    action = "view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not user_scope_paths(
            request.user, permission_name(self.views.model, self.action)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, pk: int, action: str | None = None) -> models.Model:
        qs = self.views.model.objects.select_related(*self.views.select_related) if self.views.select_related else None
        return access_object(self.request.user, self.views.model, {"pk": pk}, action or self.action, queryset=qs)

    def base_context(self, **extra: Any) -> dict[str, Any]:
        opts = self.views.model._meta
        user = self.request.user
        return {
            "views": self.views,
            "verbose_name": opts.verbose_name,
            "verbose_name_plural": opts.verbose_name_plural,
            "list_url": reverse(self.views.url_name("list")),
            "add_url": reverse(self.views.url_name("add")) if self.views.form else None,
            "can_add": bool(self.views.form) and bool(user_scope_paths(user, permission_name(self.views.model, "add"))),
            **extra,
        }


class ObjectListView(_BaseObjectView):
    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.views.model.objects.restrict(request.user, "view")
        if self.views.select_related:
            qs = qs.select_related(*self.views.select_related)
        filterset = restrict_filter_choices(
            self.views.filterset(request.GET, queryset=qs, request=request), request.user
        )
        table = self.views.table(filterset.qs, request=request)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(table, str(self.views.model._meta.verbose_name_plural))
        tables.RequestConfig(request, paginate=False).configure(table)  # ordering from the request
        _paginate(table, request, self.views.per_page)
        context = self.base_context(table=table, filterset=filterset)
        if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "object-table":
            return render(request, "core/partials/object_table.html", context)
        return render(request, "core/object_list.html", context)


class ObjectDetailView(_BaseObjectView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        context = self.base_context(
            object=obj,
            rows=self.views.detail_rows(obj, request.user),
            can_change=bool(self.views.form) and user_can(request.user, obj, "change"),
            can_delete=bool(self.views.form) and user_can(request.user, obj, "delete"),
            may_change=user_can(request.user, obj, "change"),
            history_url=reverse(self.views.url_name("history"), args=[obj.pk]),
            edit_url=reverse(self.views.url_name("edit"), args=[obj.pk]) if self.views.form else None,
            delete_url=reverse(self.views.url_name("delete"), args=[obj.pk]) if self.views.form else None,
            **_public_page_context(obj, request.user),
            **self.views.detail_context(obj, request.user),
        )
        return render(request, self.views.detail_template, context)


class ObjectHistoryView(_BaseObjectView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        page = Paginator(audit.history(obj), 25).get_page(request.GET.get("page"))
        for entry in page:  # the template reads ``changed_fields``: give it the rows this user may see
            entry.changed_fields = self.views.history_changes(entry, obj, request.user)
        context = self.base_context(
            object=obj, page=page, detail_url=reverse(self.views.url_name("detail"), args=[obj.pk])
        )
        return render(request, "core/object_history.html", context)


class ObjectEditView(_BaseObjectView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.action = "change" if "pk" in kwargs else "add"
        return super().dispatch(request, *args, **kwargs)

    def _form(self, obj: models.Model | None, data: Any = None) -> BaseForm:
        assert self.views.form is not None
        form = self.views.form(data=data, instance=obj) if obj is not None else self.views.form(data=data)
        restrict_form_choices(form, self.request.user)
        if hasattr(form, "bind_user"):
            form.bind_user(self.request.user)
        return form

    def _render(self, form: BaseForm, obj: models.Model | None, status: int = 200) -> HttpResponse:
        context = self.base_context(form=form, object=obj)
        return render(self.request, "core/object_edit.html", context, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk, "change") if pk is not None else None
        return self._render(self._form(obj), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk, "change") if pk is not None else None
        form = self._form(obj, request.POST)
        if not form.is_valid():
            return self._render(form, obj, status=400)
        try:
            saved = (
                self.views.update(obj, form, request.user) if obj is not None else self.views.create(form, request.user)
            )
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self._render(form, obj, status=400)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self._render(form, obj, status=exc.status)
        target = reverse(self.views.url_name("detail"), args=[saved.pk])
        return _redirect(request, target)


class ObjectDeleteView(_BaseObjectView):
    action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        return render(request, "core/object_delete.html", self.base_context(object=obj))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        try:
            self.views.delete(obj, request.user)
        except (DjangoValidationError, DomainError) as exc:
            message = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
            context = self.base_context(object=obj, error=message)
            return render(request, "core/object_delete.html", context, status=400)
        return _redirect(request, reverse(self.views.url_name("list")))


def _paginate(table: tables.Table, request: HttpRequest, default: int) -> None:
    """Paginate like django-tables2, but ``?per_page=`` is capped (1000000 must not load a county)."""
    try:
        per_page = int(request.GET.get(table.prefixed_per_page_field, default))
    except ValueError:
        per_page = default
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    try:
        table.paginate(page=request.GET.get(table.prefixed_page_field, 1), per_page=per_page)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)


def _public_page_context(obj: models.Model, user: Any) -> dict[str, Any]:
    """The object's QR public page, or the URL to publish one when it may be published."""
    from django.contrib.contenttypes.models import ContentType

    from jiceng.core.publicpages.models import PublicPage
    from jiceng.core.publicpages.registry import spec_for

    spec = spec_for(type(obj))
    if spec is None:
        return {}
    page = PublicPage.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), is_active=True
    ).first()
    if page is not None and user_can(user, page, "view"):
        return {"public_page": page}
    if spec.publishable(obj) and user_can(user, obj, "change"):
        opts = obj._meta
        return {"publish_url": reverse("publicpages:publish", args=[opts.app_label, opts.model_name, obj.pk])}
    return {}


def _redirect(request: HttpRequest, target: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Location"] = target
        return response
    return HttpResponseRedirect(target)


__all__ = [
    "ModelViews",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectHistoryView",
    "ObjectListView",
    "registered_model_views",
]
