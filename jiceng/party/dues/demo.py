"""Demo dues, status records and study credits for the members of 张鲁回族镇.

Incomes are made up (salaried 2,600–12,000 yuan, pensions 1,800–6,500); dues are paid month by
month this year, except for a few members in arrears; one member lost contact seven months ago;
most members took the county's online course hours (灯塔在线), some too few (Q4 alerts).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_TOWNSHIP_CODE
from jiceng.party.dues import models as m
from jiceng.party.dues import services
from jiceng.party.members.models import DuesCategory, PartyMember, Stage
from jiceng.party.members.rules import add_months

IN_ARREARS = 6  # members who stopped paying some months ago
LOST_CONTACT_MONTHS_AGO = 7
ONLINE_HOURS = (26, 48)


def build(ctx: Any) -> None:
    if m.DuesPayment.objects.filter(is_demo=True).exists():
        return
    rng = ctx.rng
    today = timezone.localdate()
    township = ctx.area(DEMO_TOWNSHIP_CODE)
    members = list(
        PartyMember.objects.filter(
            is_demo=True, area__path__startswith=township.path, stage__in=[Stage.PROBATIONARY, Stage.FULL]
        )
        .select_related("area", "person")
        .order_by("pk")
    )
    declarations, payments, credits = [], [], []
    for member in members:
        if member.dues_category == DuesCategory.SALARIED:
            income = Decimal(rng.randrange(2600, 12000, 50))
        elif member.dues_category == DuesCategory.RETIRED:
            income = Decimal(rng.randrange(1800, 6500, 50))
        else:
            income = None
        if income is not None:
            declarations.append(
                m.IncomeDeclaration(
                    member=member, effective_month=dt.date(today.year, 1, 1), monthly_income=income, is_demo=True
                )
            )
    do_bulk_create(m.IncomeDeclaration, declarations, acting_user=None, comment="demo data", validate=False)
    arrears = {member.pk for member in members[5 : 5 + IN_ARREARS]}
    for member in members:
        # The income is declared once for the year: one assessment serves every month after admission.
        current = services.assess(member, services.month_start(today)).amount
        admitted = services.month_start(member.probationary_on or member.full_on or today)
        for month in services.months(dt.date(today.year, 1, 1), services.month_start(today)):
            if member.pk in arrears and month >= add_months(dt.date(today.year, 1, 1), 4):
                continue
            amount = current if month >= admitted else Decimal(0)
            if amount > 0 and month < services.month_start(today):
                payments.append(
                    m.DuesPayment(
                        member=member,
                        month=month,
                        amount=amount,
                        paid_on=month + dt.timedelta(days=rng.randint(2, 20)),
                        is_demo=True,
                    )
                )
    everyone = PartyMember.objects.filter(is_demo=True, stage__in=[Stage.PROBATIONARY, Stage.FULL]).order_by("pk")
    for member in everyone:  # the online course is county-wide (the park and the health bureau too)
        credits.append(
            m.StudyCredit(
                member=member,
                source=m.CreditSource.ONLINE_COURSE,
                title="“灯塔—党建在线”网上班级",
                earned_on=dt.date(today.year, rng.randint(3, max(3, today.month)), 15),
                hours=Decimal(rng.randint(*ONLINE_HOURS)),
                is_demo=True,
            )
        )
    do_bulk_create(m.DuesPayment, payments, acting_user=None, comment="demo data", validate=False)
    do_bulk_create(
        m.StudyCredit,
        [c for c in credits if c.earned_on <= today],
        acting_user=None,
        comment="demo data",
        validate=False,
    )
    if members:
        lost = members[-1]
        do_bulk_create(
            m.ContactLoss,
            [
                m.ContactLoss(
                    member=lost,
                    lost_since=add_months(today, -LOST_CONTACT_MONTHS_AGO),
                    note="外出务工，电话停机",
                    is_demo=True,
                )
            ],
            acting_user=None,
            comment="demo data",
        )
        do_bulk_create(
            m.AssignedTask,
            [
                m.AssignedTask(
                    member=member, task=task, assigned_on=add_months(today, -ago), done_on=done, is_demo=True
                )
                for member, task, ago, done in [
                    (members[0], "联系帮扶两户困难群众", 2, None),
                    (members[1], "参与村庄环境整治", 3, add_months(today, -2)),
                    (members[2], "担任网格联络员", 8, None),
                ]
            ],
            acting_user=None,
            comment="demo data",
        )
    # The daily jobs scan everybody; the demo scans the members it set up to show each alert.
    flagged = [mb for mb in members if mb.pk in arrears] + members[:3] + members[-1:]
    for member in flagged:
        services.scan_member(member, on=today)
    services.scan_study_hours(today)
    ctx.figures["dues payments"] = len(payments)
    ctx.figures["members in arrears"] = len(arrears)
