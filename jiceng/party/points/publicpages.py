"""The public points board a branch may choose to show (笑脸积分公示, catalogue P03).

Publishing the branch's QR page (the "Publish a QR page" button on the organisation page) shows
this year's board: each member's name, points and face — the declared fields only, never an ID
number or anything else of the member record. Revoking the page hides it again.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.publicpages.registry import PublicField, PublicSpec, public_field, register_public
from jiceng.party.models import PartyOrg
from jiceng.party.points.services import branch_ranking

FACES = {"smile": "😊", "neutral": "😐", "frown": "☹️"}


def board(org: PartyOrg) -> str:
    year = timezone.localdate().year
    rows = branch_ranking(org, year)
    return "；".join(f"{row['member'].person.name} {row['points']} {FACES[row['face']]}" for row in rows)


def year(org: Any) -> int:
    return timezone.localdate().year


register_public(
    PublicSpec(
        model=PartyOrg,
        title=lambda org: f"{org.short_name or org.name} 党员积分公示",
        fields=(
            public_field(_("party organisation"), "name"),
            PublicField(_("year"), year),
            PublicField(_("Points board"), board),
        ),
    )
)
