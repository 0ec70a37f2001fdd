"""The transfers demo on the base education demo: approved ones inside the window that obey every rule,
rejected ones with their recorded reasons, a few pending; a second run adds nothing."""

import random
from pathlib import Path

import pytest

from jiceng.core.policies.services import SEED_FILE, do_load_policies, read_seed_file
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.education import demo as base
from jiceng.education import sizes
from jiceng.education.choices import EnrollmentReason
from jiceng.education.models import Enrollment
from jiceng.education.transfers import demo, rules
from jiceng.education.transfers.choices import TransferState
from jiceng.education.transfers.models import Transfer

SCALE = 0.02
SEEDS = [
    Path(base.__file__).resolve().parent / "seed" / "policies.json",
    Path(demo.__file__).resolve().parent / "seed" / "policies.json",
]


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=SCALE, rng=random.Random(7))
    for label in ["directory", "accounts"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    do_load_policies(read_seed_file(SEED_FILE) + [r for p in SEEDS for r in read_seed_file(p)], acting_user=None)
    base.build(ctx)
    demo.build(ctx)
    assert DEMO_APPS.index("education.transfers") > DEMO_APPS.index("education")
    return ctx


def test_the_demo_transfers_follow_the_rules(built):
    rows = list(Transfer.objects.select_related("to_class__school__area", "student", "from_enrollment"))
    assert rows and all(row.is_demo for row in rows)
    district = built.area(demo.DISTRICT_CODE)
    assert all(row.area.path.startswith(district.path) for row in rows)
    statuses = {row.status for row in rows}
    assert {TransferState.APPROVED, TransferState.REJECTED, TransferState.APPLIED} <= statuses
    for row in rows:
        window = rules.window_of(row.to_school, row.to_class.year, row.on)
        if row.status == TransferState.APPROVED:
            assert window.contains(row.on) and window.contains(row.applied_on), row
            moved = Enrollment.objects.get(student=row.student, school_class=row.to_class)
            assert moved.reason == EnrollmentReason.TRANSFER and moved.started_on == row.on
            assert row.handover_due_on is not None
        if row.status == TransferState.REJECTED:
            assert row.refusal_reasons and all(r["source"] in r["message"] for r in row.refusal_reasons)
    recorded = {r["policy"] for row in rows for r in row.refusal_reasons}
    assert {sizes.CAP, rules.WINDOW_MONTHS} <= recorded
    # no class ended over the cap through a transfer
    for row in rows:
        if row.status == TransferState.APPROVED:
            assert sizes.class_size(row.to_class) <= sizes.cap_policy(row.to_school, row.on).value


def test_the_demo_is_idempotent(built):
    counts = (Transfer.objects.count(), Enrollment.objects.count())
    demo.build(built)
    assert (Transfer.objects.count(), Enrollment.objects.count()) == counts
