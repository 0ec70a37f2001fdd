import datetime as dt

from jiceng.party.models import OrgPosition, OrgTerm, PartyOrg
from jiceng.party.testing import make_org, make_person


def make_term(area, *, org=None, elected_on=dt.date(2024, 3, 1), term_months=36, **kwargs):
    """A term written directly (set-up, not the election service)."""
    return OrgTerm.objects.create(org=org or make_org(area), elected_on=elected_on, term_months=term_months, **kwargs)


def make_position(area, *, org=None, role="secretary", person=None, started_on=dt.date(2024, 3, 1), **kwargs):
    org = org or make_org(area)
    return OrgPosition.objects.create(
        org=org, person=person or make_person(org.area), role=role, started_on=started_on, **kwargs
    )


TEST_FACTORIES = {PartyOrg: make_org, OrgPosition: make_position, OrgTerm: make_term}
