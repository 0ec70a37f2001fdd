"""Generated scope matrix: every API route and every model page, anonymous / outsider / insider.

Endpoints are discovered, not listed: every DRF viewset under ``/api/v1/`` (``*-list`` and
``*-detail`` routes) and every ``ModelViews`` registered by an installed app. For each scoped
model one object is created in 燕店镇 through the owning app's ``tests/factories.py``
(``TEST_FACTORIES``). Then:

- anonymous: API 401, pages redirect to the login page;
- ``outsider`` (admin over the sibling township 古云镇, so every *permission* but the wrong
  *area*): the API list and the list page do not show the object, every detail, update,
  delete and history URL is a 404;
- ``township_staff`` (admin over 燕店镇): sees it (200).

An engine or module that adds an endpoint for a scoped model without a factory fails
``test_every_scoped_endpoint_has_a_factory``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jiceng.core.models import ScopedModel
from jiceng.core.views import registered_model_views

pytestmark = pytest.mark.django_db

TOWNSHIP_A = "燕店镇"
EXTRA_ROLES = {"township_staff": ["admin"], "outsider": ["admin"]}


@dataclass(frozen=True)
class ApiRoute:
    name: str  # URL name, e.g. "person-detail"
    kind: str  # "list" | "detail"
    viewset: Any
    actions: frozenset[str]

    @property
    def model(self) -> type:
        return self.viewset.queryset.model


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        else:
            yield prefix + str(pattern.pattern), pattern, namespace


def discover_api_routes() -> list[ApiRoute]:
    routes: dict[str, ApiRoute] = {}
    for route, pattern, namespace in _walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/") or not pattern.name:
            continue
        kind = pattern.name.rsplit("-", 1)[-1]
        viewset = getattr(pattern.callback, "cls", None)
        if kind not in ("list", "detail") or getattr(viewset, "queryset", None) is None:
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        actions = frozenset(
            (getattr(pattern.callback, "actions", None) or {}).values()
        )  # action names: "update", "destroy"…
        routes.setdefault(name, ApiRoute(name, kind, viewset, actions))  # first match wins, like the resolver
    return sorted(routes.values(), key=lambda r: r.name)


def discover_factories() -> dict[type, Callable[..., Any]]:
    found: dict[type, Callable[..., Any]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("jiceng."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.factories")
        except ModuleNotFoundError as exc:
            if exc.name in (f"{config.name}.tests", f"{config.name}.tests.factories"):
                continue  # an app without factories: fine unless it serves a scoped model (meta-test)
            raise
        found.update(getattr(module, "TEST_FACTORIES", {}))
    return found


def is_scoped(model: type) -> bool:
    return issubclass(model, ScopedModel)


API_ROUTES = discover_api_routes()
SCOPED_API_ROUTES = [r for r in API_ROUTES if is_scoped(r.model)]
UI_VIEWS = sorted((v for v in registered_model_views() if is_scoped(v.model)), key=lambda v: v.url_name("list"))
FACTORIES = discover_factories()


def test_discovery_finds_the_foundation_endpoints():
    names = {r.name for r in API_ROUTES}
    assert {"person-list", "person-detail", "area-detail", "user-list"} <= names
    ui_models = {v.model._meta.label for v in UI_VIEWS}
    assert {"directory.Person", "directory.Area", "accounts.User"} <= ui_models


def test_every_scoped_endpoint_has_a_factory():
    """The meta-test: a scoped model served by the API or a page needs a factory in its app."""
    served = {r.model for r in SCOPED_API_ROUTES} | {v.model for v in UI_VIEWS}
    missing = sorted(m._meta.label for m in served if m not in FACTORIES)
    assert not missing, f"add TEST_FACTORIES entries in <app>/tests/factories.py for: {', '.join(missing)}"


@pytest.fixture
def world(db):
    from jiceng.core.testing import build_cast

    return build_cast(extra_roles=EXTRA_ROLES)


def _make(model: type, cast: Any) -> Any:
    factory = FACTORIES.get(model)
    if factory is None:
        pytest.fail(f"no test factory for {model._meta.label}")
    return factory(cast.area(TOWNSHIP_A))


def _detail_url(route: ApiRoute, obj: Any) -> str:
    viewset = route.viewset
    lookup_field = getattr(viewset, "lookup_field", "pk")
    kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
    return reverse(route.name, kwargs={kwarg: getattr(obj, lookup_field)})


def _list_url(route: ApiRoute) -> str:
    return reverse(route.name)


# --- API ----------------------------------------------------------------------------------

API_CASES: list[Any] = []
for _route in SCOPED_API_ROUTES:
    if _route.kind == "list":
        API_CASES += [
            pytest.param(_route, case, id=f"{_route.name}-{case}") for case in ("anonymous", "outsider", "staff")
        ]
    else:
        cases = ["anonymous", "outsider_get", "staff_get"]
        if {"partial_update", "update"} & _route.actions:
            cases.append("outsider_update")
        if "update" in _route.actions:
            cases.append("outsider_put")
        if "destroy" in _route.actions:
            cases.append("outsider_delete")
        API_CASES += [pytest.param(_route, case, id=f"{_route.name}-{case}") for case in cases]


def _marker(route: ApiRoute, obj: Any) -> str:
    lookup_field = getattr(route.viewset, "lookup_field", "pk")
    return str(getattr(obj, "pk" if lookup_field == "pk" else lookup_field))


def _listed(body: Any, route: ApiRoute, obj: Any) -> bool:
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    lookup_field = getattr(route.viewset, "lookup_field", "pk")
    key = "id" if lookup_field == "pk" else lookup_field
    wanted = _marker(route, obj)
    return any(str(row.get(key)) == wanted for row in rows)


@pytest.mark.parametrize(("route", "case"), API_CASES)
def test_api_scope(world, api, route, case):
    obj = _make(route.model, world)
    if route.kind == "list":
        url = _list_url(route)
        if case == "anonymous":
            assert api().get(url).status_code == 401
            return
        user = world.outsider if case == "outsider" else world.township_staff
        response = api(user).get(url, {"page_size": 500})
        assert response.status_code == 200, response.content
        assert _listed(response.json(), route, obj) is (case == "staff")
        return
    url = _detail_url(route, obj)
    if case == "anonymous":
        response = api().get(url)
        assert response.status_code == 401
        assert {"code", "message"} <= set(response.json())
    elif case == "staff_get":
        assert api(world.township_staff).get(url).status_code == 200
    elif case == "outsider_get":
        response = api(world.outsider).get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    elif case == "outsider_update":
        response = api(world.outsider).patch(url, {}, format="json")
        assert response.status_code == 404
    elif case == "outsider_put":
        from jiceng.core.audit import snapshot

        before = snapshot(type(obj)._base_manager.get(pk=obj.pk))
        response = api(world.outsider).put(url, {"name": "越权修改"}, format="json")
        assert response.status_code == 404
        assert snapshot(type(obj)._base_manager.get(pk=obj.pk)) == before
    elif case == "outsider_delete":
        response = api(world.outsider).delete(url)
        assert response.status_code == 404
        assert type(obj)._base_manager.filter(pk=obj.pk).exists()


# --- pages --------------------------------------------------------------------------------

UI_CASES: list[Any] = []
for _views in UI_VIEWS:
    label = _views.url_name("list").replace(":", "-")
    cases = ["anonymous_list", "anonymous_detail", "outsider_list", "staff_list", "staff_detail"]
    cases += ["outsider_detail", "outsider_history"]
    if _views.form is not None:
        cases += ["outsider_edit", "outsider_delete"]
    UI_CASES += [pytest.param(_views, case, id=f"{label}-{case}") for case in cases]


@pytest.mark.parametrize(("views", "case"), UI_CASES)
def test_page_scope(world, client, views, case):
    obj = _make(views.model, world)
    detail = reverse(views.url_name("detail"), args=[obj.pk])
    list_url = reverse(views.url_name("list"))
    if case.startswith("anonymous"):
        response = client.get(list_url if case == "anonymous_list" else detail)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    user = world.outsider if case.startswith("outsider") else world.township_staff
    client.force_login(user)
    if case in ("outsider_list", "staff_list"):
        response = client.get(list_url, {"per_page": 500})
        assert response.status_code == 200
        assert (f'href="{detail}"' in response.content.decode()) is (case == "staff_list")
        return
    if case == "staff_detail":
        assert client.get(detail).status_code == 200
        return
    url = {
        "outsider_detail": detail,
        "outsider_history": reverse(views.url_name("history"), args=[obj.pk]),
        "outsider_edit": reverse(views.url_name("edit"), args=[obj.pk]) if views.form else "",
        "outsider_delete": reverse(views.url_name("delete"), args=[obj.pk]) if views.form else "",
    }[case]
    assert client.get(url).status_code == 404
    if case in ("outsider_edit", "outsider_delete"):
        assert client.post(url, {}).status_code == 404
        assert type(obj)._base_manager.filter(pk=obj.pk).exists()
