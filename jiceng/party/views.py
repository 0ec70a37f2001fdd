"""Party organisation pages: organisations (tree, members, posts, terms, set-up findings),
posts, terms due for re-election, recording an election, set-up findings and coverage by area."""

from __future__ import annotations

from typing import Any

import django_filters as filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import DomainError
from jiceng.core.policies.services import PolicyMissing, get_policy
from jiceng.core.scope import permission_name, user_can, user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.core.views import ModelViews
from jiceng.core.views.generic import ObjectDetailView
from jiceng.directory.dashboard import parent_in_scope, scope_root
from jiceng.directory.filtersets import AreaSubtreeFilter
from jiceng.directory.models import Person
from jiceng.party import services
from jiceng.party.checks import findings_by_org, org_counts, setup_findings
from jiceng.party.models import OrgKind, OrgLevel, OrgPosition, OrgTerm, PartyOrg, PositionRole, add_months
from jiceng.party.selectors import coverage, positions_on


# --- organisations --------------------------------------------------------------------------
class OrgFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    level = filters.ChoiceFilter(choices=OrgLevel.choices, label=_("level"))
    kind = filters.ChoiceFilter(choices=OrgKind.choices, label=_("kind"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = PartyOrg
        fields = ["q", "level", "kind", "area"]


class OrgTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = PartyOrg
        fields = ("name", "level", "kind", "area", "parent")


class OrgForm(forms.ModelForm):
    class Meta:
        model = PartyOrg
        fields = [
            "name",
            "short_name",
            "level",
            "kind",
            "parent",
            "area",
            "host_unit",
            "host_enterprise",
            "covered_units",
            "covered_enterprises",
            "founded_on",
            "dissolved_on",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "dissolved_on": forms.DateInput(attrs={"type": "date"}),
        }


class OrgDetailView(ObjectDetailView):
    def base_context(self, **extra: Any) -> dict[str, Any]:
        context = super().base_context(**extra)
        org = extra.get("object")
        if isinstance(org, PartyOrg):
            context.update(org_page_context(org, self.request.user))
        return context


def org_page_context(org: PartyOrg, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    counts = org_counts([org], on=today)[org.pk]
    terms = list(org.terms.order_by("-elected_on"))
    try:
        status = services.term_status(terms[0], on=today)[0] if terms else ""
    except PolicyMissing:
        status = ""
    return {
        "children": org.children.restrict(user, "view").order_by("level", "name"),
        "counts": counts,
        "findings": setup_findings(org, on=today, counts=counts),
        "positions": positions_on(on=today, org_ids=[org.pk]).select_related("person").order_by("role"),
        "terms": terms,
        "term_status": status,
        "may_record_election": org.level != OrgLevel.GROUP and user_can(user, org, "change"),
    }


class OrgViews(ModelViews):
    model = PartyOrg
    filterset = OrgFilterSet
    table = OrgTable
    form = OrgForm
    url_plural = "orgs"
    select_related = ["area", "parent", "host_unit", "host_enterprise"]
    detail_template = "party/partyorg_detail.html"
    detail_fields = [
        "name",
        "short_name",
        "level",
        "kind",
        "parent",
        "area",
        "host_unit",
        "host_enterprise",
        "founded_on",
        "dissolved_on",
    ]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> PartyOrg:
        return services.do_create_org(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> PartyOrg:
        return services.do_update_org(obj, data=form.cleaned_data, acting_user=user)

    @classmethod
    def urls(cls) -> list[Any]:
        patterns = super().urls()
        detail = cls.name("detail")
        return [
            path(p.pattern._route, OrgDetailView.as_view(views=cls), name=detail) if p.name == detail else p
            for p in patterns
        ]


# --- posts ----------------------------------------------------------------------------------
class PositionFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="person__name", lookup_expr="icontains", label=_("Search"))
    role = filters.ChoiceFilter(choices=PositionRole.choices, label=_("role"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("in post"))
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = OrgPosition
        fields = ["q", "role", "current", "area"]


class PositionTable(tables.Table):
    person = tables.Column(linkify=False)
    org = tables.Column(linkify=True)
    role = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = OrgPosition
        fields = ("org", "role", "person", "started_on", "ended_on", "from_management")


class PositionForm(forms.ModelForm):
    class Meta:
        model = OrgPosition
        fields = ["org", "person", "role", "started_on", "ended_on", "from_management"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
        }


class PositionViews(ModelViews):
    model = OrgPosition
    filterset = PositionFilterSet
    table = PositionTable
    form = PositionForm
    url_plural = "positions"
    select_related = ["org", "person"]
    detail_fields = ["org", "person", "role", "started_on", "ended_on", "from_management", "term"]

    @classmethod
    def create(cls, form: forms.BaseForm, user: Any) -> OrgPosition:
        return services.do_create_position(data=form.cleaned_data, acting_user=user)

    @classmethod
    def update(cls, obj: Any, form: forms.BaseForm, user: Any) -> OrgPosition:
        return services.do_update_position(obj, data=form.cleaned_data, acting_user=user)


# --- terms ----------------------------------------------------------------------------------
class TermStatusFilter(filters.ChoiceFilter):
    """``?status=``: ``latest`` (each organisation's current term), ``due`` (expires within the
    reminder lead time), ``overdue`` (expired, no new term), ``attention`` (due or overdue)."""

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        later = OrgTerm.objects.filter(org=OuterRef("org"), elected_on__gt=OuterRef("elected_on"))
        qs = qs.filter(~Exists(later), org__dissolved_on__isnull=True)
        today = timezone.localdate()
        lead = get_policy("party.org.renewal_reminder_months", on=today).value
        horizon = add_months(today, lead)
        if value == "overdue":
            return qs.filter(expires_on__lt=today)
        if value == "due":
            return qs.filter(expires_on__gte=today, expires_on__lte=horizon)
        if value == "attention":
            return qs.filter(expires_on__lte=horizon)
        return qs


class TermFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="org__name", lookup_expr="icontains", label=_("Search"))
    status = TermStatusFilter(
        choices=[
            ("latest", _("current terms")),
            ("attention", _("due or overdue")),
            ("due", _("due for re-election")),
            ("overdue", _("re-election overdue")),
        ],
        label=_("status"),
    )
    area = AreaSubtreeFilter(label=_("Area (code, subtree)"))

    class Meta:
        model = OrgTerm
        fields = ["q", "status", "area"]


class TermTable(tables.Table):
    org = tables.Column(linkify=True)
    elected_on = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = OrgTerm
        fields = ("org", "elected_on", "term_months", "change_months", "expires_on", "approved_on", "filed_on")


class TermViews(ModelViews):
    model = OrgTerm
    filterset = TermFilterSet
    table = TermTable
    url_plural = "terms"
    select_related = ["org"]
    detail_fields = [
        "org",
        "elected_on",
        "term_months",
        "term_policy_key",
        "change_months",
        "change_document",
        "change_approved_on",
        "expires_on",
        "approved_on",
        "filed_on",
        "notes",
    ]


class ElectionForm(forms.Form):
    elected_on = forms.DateField(label=_("elected on"), widget=forms.DateInput(attrs={"type": "date"}))
    secretary = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("secretary"), required=False)
    secretary_from_management = forms.BooleanField(
        label=_("secretary is from the enterprise's management"), required=False
    )
    deputies = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), label=_("deputy secretaries"), required=False
    )
    members = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), label=_("committee members"), required=False
    )
    approved_on = forms.DateField(
        label=_("result approved on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    filed_on = forms.DateField(
        label=_("result filed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, org: PartyOrg, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user, "view").filter(area__path__startswith=org.area.path).order_by("name")
        for name in ("secretary", "deputies", "members"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]

    def positions(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rows: list[dict[str, Any]] = []
        if data.get("secretary"):
            rows.append(
                {
                    "person": data["secretary"],
                    "role": PositionRole.SECRETARY,
                    "from_management": data.get("secretary_from_management"),
                }
            )
        rows += [{"person": p, "role": PositionRole.DEPUTY_SECRETARY} for p in data.get("deputies") or []]
        rows += [{"person": p, "role": PositionRole.COMMITTEE_MEMBER} for p in data.get("members") or []]
        return rows


@login_required
def record_election(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a (re-)election of an organisation: the new term and the posts elected."""
    org = access_object(request.user, PartyOrg, {"pk": pk}, "change")
    if not user_scope_paths(request.user, permission_name(OrgTerm, "add")):
        raise PermissionDenied
    form = ElectionForm(request.POST or None, org=org, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.do_record_election(
                    org,
                    elected_on=form.cleaned_data["elected_on"],
                    positions=form.positions(),
                    approved_on=form.cleaned_data.get("approved_on"),
                    filed_on=form.cleaned_data.get("filed_on"),
                    notes=form.cleaned_data.get("notes", ""),
                    acting_user=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return HttpResponseRedirect(org.get_absolute_url())
    return render(request, "party/election.html", {"org": org, "form": form}, status=status)


# --- findings and coverage --------------------------------------------------------------------
@login_required
def findings(request: HttpRequest) -> HttpResponse:
    """Organisations whose set-up breaks a rule, grouped by area (``?area=<code>`` narrows)."""
    root = scope_root(request, "party.view_partyorg")
    if root is None:
        raise PermissionDenied
    today = timezone.localdate()
    orgs = (
        PartyOrg.objects.restrict(request.user, "view")
        .filter(area__path__startswith=root.path)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
        .select_related("area")
        .order_by("area__path", "name")
    )
    rows = [(org, counts, found) for org, counts, found in findings_by_org(orgs, on=today) if found]
    groups: dict[Any, list[Any]] = {}
    for org, counts, found in rows:
        groups.setdefault(org.area, []).append((org, counts, found))
    return render(request, "party/findings.html", {"root": root, "groups": groups, "count": len(rows), "on": today})


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    """Coverage of enterprises by party organisations under an area, with a drill-down by child area."""
    root = scope_root(request, "party.view_partyorg")
    if root is None:
        raise PermissionDenied
    up = parent_in_scope(root, request.user, "party.view_partyorg")
    return render(request, "party/coverage.html", {**coverage(root, request.user, on=timezone.localdate()), "up": up})
