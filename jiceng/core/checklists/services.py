"""Checklist campaigns: assign, tick items with evidence, completion by area, overdue alerts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.checklists.models import (
    Campaign,
    ChecklistItem,
    ChecklistRun,
    ChecklistTemplate,
    EvidenceKind,
    ItemResult,
    ItemStatus,
    SupervisionVisit,
)
from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditAction
from jiceng.core.scope import object_area_path

SEED_FILE = Path(__file__).resolve().parent / "seed" / "checklists.json"
SEGMENT = 13  # a 12-digit division code and its separator in an area path
OVERDUE_RULE = "checklists.item_overdue"


def load_templates(path: Path = SEED_FILE) -> tuple[int, int]:
    """Create or update templates and their items from a JSON file (idempotent by key and item code)."""
    created = updated = 0
    with transaction.atomic():
        for spec in json.loads(path.read_text(encoding="utf-8")):
            template, was_created = ChecklistTemplate.objects.update_or_create(
                key=spec["key"],
                defaults={
                    "name": spec["name"],
                    "version": spec.get("version", ""),
                    "source_document": spec.get("source_document", ""),
                    "wording": spec.get("wording", "exact"),
                },
            )
            created += was_created
            updated += not was_created
            for order, item in enumerate(spec["items"]):
                ChecklistItem.objects.update_or_create(
                    template=template,
                    code=item["code"],
                    defaults={
                        "text": item["text"],
                        "evidence": item.get("evidence", EvidenceKind.NONE),
                        "points": Decimal(str(item["points"])) if item.get("points") is not None else None,
                        "order": order,
                    },
                )
    return created, updated


def do_create_campaign(
    template: ChecklistTemplate,
    subjects: Iterable[models.Model],
    *,
    name: str,
    period: str,
    due_on: dt.date,
    area_path: str,
    acting_user: Any = None,
) -> Campaign:
    """A campaign with one run per subject (each inside ``area_path``) and one pending result per item."""
    subjects = list(subjects)
    items = list(template.items.all())
    with transaction.atomic():
        campaign = Campaign.objects.create(
            template=template, name=name, period=period, due_on=due_on, area_path=area_path, created_by=acting_user
        )
        runs = []
        for subject in subjects:
            path = object_area_path(subject)
            if not path.startswith(area_path):
                raise InvalidInput(_("%(subject)s lies outside the campaign's area.") % {"subject": subject})
            runs.append(
                ChecklistRun(
                    campaign=campaign,
                    content_type=ContentType.objects.get_for_model(subject),
                    object_id=str(subject.pk),
                    subject_repr=str(subject)[:200],
                    area_path=path,
                    due_on=due_on,
                )
            )
        runs = ChecklistRun.objects.bulk_create(runs)
        ItemResult.objects.bulk_create([ItemResult(run=run, item=item) for run in runs for item in items])
        audit.record(
            AuditAction.CREATE, campaign, actor=acting_user, after=audit.snapshot(campaign), comment=f"{len(runs)} runs"
        )
    return campaign


def do_mark_item(result: ItemResult, *, status: str, evidence_note: str = "", acting_user: Any = None) -> ItemResult:
    """Record one item's outcome. An item that requires evidence cannot be done without it."""
    if status not in ItemStatus.values:
        raise InvalidInput(_("Unknown status “%(status)s”.") % {"status": status}, field="status")
    item = result.item
    if status == ItemStatus.DONE and item.evidence != EvidenceKind.NONE and not evidence_note.strip():
        raise InvalidInput(
            _("“%(template)s” item %(code)s (%(text)s) requires evidence (%(kind)s) before it can be marked done.")
            % {
                "template": item.template.name,
                "code": item.code,
                "text": item.text,
                "kind": EvidenceKind(item.evidence).label,
            },
            code="evidence_required",
            field="evidence_note",
        )
    with transaction.atomic():
        locked = ItemResult.objects.select_for_update(no_key=True).select_related("run").get(pk=result.pk)
        before = audit.snapshot(locked)
        locked.status, locked.evidence_note = status, evidence_note
        locked.reviewer, locked.reviewed_at = acting_user, timezone.now()
        locked.save(update_fields=["status", "evidence_note", "reviewer", "reviewed_at"])
        audit.record(
            AuditAction.UPDATE,
            locked.run,
            actor=acting_user,
            before=before,
            after=audit.snapshot(locked),
            comment=f"item {item.code}",
        )
        run = locked.run
        open_items = run.results.filter(status__in=[ItemStatus.PENDING, ItemStatus.NOT_DONE]).exists()
        completed_at = None if open_items else (run.completed_at or timezone.now())
        if completed_at != run.completed_at:
            ChecklistRun.objects.filter(pk=run.pk).update(completed_at=completed_at)
    return locked


def do_record_visit(
    run: ChecklistRun, *, visited_on: dt.date, findings: dict[str, str], acting_user: Any = None
) -> SupervisionVisit:
    codes = set(run.campaign.template.items.values_list("code", flat=True))
    unknown = sorted(set(findings) - codes)
    if unknown:
        raise InvalidInput(_("No such items in this checklist: %(codes)s.") % {"codes": ", ".join(unknown)})
    visit = SupervisionVisit.objects.create(run=run, visitor=acting_user, visited_on=visited_on, findings=findings)
    audit.record(
        AuditAction.CREATE,
        run,
        actor=acting_user,
        after={"visit": visit.pk, "findings": findings},
        comment="supervision visit",
    )
    return visit


def completion_by_area(campaign: Campaign, root_path: str) -> list[dict[str, Any]]:
    """Per child area of ``root_path``: items done / applicable items and runs complete (one GROUP BY)."""
    prefix = len(root_path) + SEGMENT
    rows = (
        ItemResult.objects.filter(run__campaign=campaign, run__area_path__startswith=root_path)
        .annotate(child=Substr("run__area_path", 1, prefix))
        .values("child")
        .annotate(
            done=Count("id", filter=Q(status=ItemStatus.DONE)),
            applicable=Count("id", filter=~Q(status=ItemStatus.NOT_APPLICABLE)),
            runs=Count("run", distinct=True),
            complete_runs=Count("run", distinct=True, filter=Q(run__completed_at__isnull=False)),
        )
        .order_by("child")
    )
    result = []
    for row in rows:
        rate = (Decimal(row["done"]) / row["applicable"] * 100).quantize(Decimal("0.1")) if row["applicable"] else None
        result.append({**row, "rate": rate})
    return result


def scan_overdue_runs(today: dt.date | None = None) -> int:
    """Raise one alert per overdue, incomplete run (the alerts engine keeps one open per run)."""
    try:
        from jiceng.core.alerts.services import raise_alert
    except ImportError:  # the alerts engine is not installed in this deployment
        return 0
    today = today or timezone.localdate()
    raised = 0
    overdue = ChecklistRun.objects.filter(completed_at__isnull=True, due_on__lt=today).select_related(
        "campaign__template"
    )
    for run in overdue.iterator():
        pending = list(
            run.results.filter(status__in=[ItemStatus.PENDING, ItemStatus.NOT_DONE]).values_list(
                "item__code", flat=True
            )
        )
        explanation = _(
            "“%(template)s” for %(subject)s was due on %(due)s and is %(days)d days overdue; open items: %(items)s."
        ) % {
            "template": run.campaign.template.name,
            "subject": run.subject_repr,
            "due": run.due_on,
            "days": (today - run.due_on).days,
            "items": "、".join(pending),
        }
        alert = raise_alert(
            rule=OVERDUE_RULE,
            subject=run,
            severity="yellow",
            explanation=explanation,
            evidence={"due_on": run.due_on.isoformat(), "open_items": pending},
            area_path=run.area_path,
        )
        raised += alert is not None
    return raised
