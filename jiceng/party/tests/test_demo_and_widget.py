"""The party demo part (terms, the park, the health bureau) and the coverage widget."""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from django.utils import timezone

from jiceng.party.models import OrgKind, OrgLevel, OrgPosition, OrgTerm, PartyOrg

pytestmark = pytest.mark.django_db


def build_party_demo(scale=0.2, seed=7):
    from jiceng.accounts import demo as accounts_demo
    from jiceng.core.policies import demo as policies_demo
    from jiceng.demo import DemoContext
    from jiceng.directory import demo as directory_demo
    from jiceng.party import demo as party_demo

    ctx = DemoContext(scale=scale, rng=random.Random(seed))
    for module in (directory_demo, accounts_demo, policies_demo, party_demo):
        with transaction.atomic():
            module.build(ctx)
    return ctx


def test_demo_terms_park_and_health_bureau():
    from jiceng.core.alerts.models import Alert
    from jiceng.party.selectors import coverage

    ctx = build_party_demo()
    orgs = PartyOrg.objects.filter(is_demo=True).exclude(level=OrgLevel.GROUP)
    assert not orgs.filter(terms__isnull=True).exists()  # every org has a term
    assert ctx.figures["party terms overdue"] == 1
    assert ctx.figures["party terms due for re-election"] == 3
    assert Alert.objects.filter(rule="party.term_overdue").count() == 1
    park = PartyOrg.objects.get(is_demo=True, level=OrgLevel.WORKING_COMMITTEE, kind=OrgKind.PARK)
    assert park.children.filter(level=OrgLevel.COMMITTEE).count() == 4
    totals = coverage(park.area, None, on=timezone.localdate(), restricted=False)["totals"]
    assert totals["enterprises"] > 0 and totals["own"] == totals["enterprises"]
    assert totals["management_share"] > 90
    retired = PartyOrg.objects.filter(is_demo=True, kind=OrgKind.RETIRED)
    serving = PartyOrg.objects.filter(is_demo=True, kind=OrgKind.SERVING)
    assert (retired.count(), serving.count()) == (2, 3)
    for org in [*retired, *serving]:
        terms = list(org.terms.order_by("elected_on"))
        assert len(terms) == 2 and terms[1].elected_on == terms[0].expires_on  # re-elected on time
    # secretaries hold one post each, and current posts belong to the latest term
    current = OrgPosition.objects.filter(ended_on__isnull=True, role="secretary")
    assert current.values("person").distinct().count() == current.count()
    before = OrgTerm.objects.count()
    build_party_demo()  # idempotent
    assert OrgTerm.objects.count() == before


def test_coverage_widget_scoped_and_bounded(party_cast, rf, django_assert_max_num_queries):
    from jiceng.directory.tests.factories import make_enterprise
    from jiceng.party.dashboard import party_coverage
    from jiceng.party.testing import make_org

    village = party_cast.area("东村")
    enterprise = make_enterprise(village)
    make_enterprise(village)
    make_org(village, kind="new_economic", host_enterprise=enterprise)
    request = rf.get("/dashboard/")
    request.user = party_cast.township_staff
    with django_assert_max_num_queries(8):
        widget = party_coverage(request)
    assert str(widget["totals"]["coverage"]) == "50.0"
    assert widget["root"] == party_cast.area("燕店镇")
    request = rf.get("/dashboard/", {"area": "371522109000"})
    request.user = party_cast.outsider
    widget = party_coverage(request)
    assert widget["root"] == party_cast.area("古云镇") and widget["totals"]["enterprises"] == 0
