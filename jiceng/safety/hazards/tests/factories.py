"""Factories of the hazards app: one object of every served model in a given Area (scope matrix).

Rows are written directly (test set-up of leaf data, not a user's action); tests of the rules go
through the services.
"""

import datetime as dt

from django.utils import timezone

from jiceng.safety.hazards.models import (
    CampaignTarget,
    Hazard,
    Inspection,
    InspectionRecording,
    RectificationEvidence,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
    Verification,
)
from jiceng.safety.testing import make_enterprise

D = dt.date(2026, 3, 2)


def make_campaign(area, **kwargs):
    kwargs.setdefault("name", f"测试专项行动 {SafetyCampaign.objects.count() + 1}")
    kwargs.setdefault("starts_on", dt.date(2026, 1, 5))
    return SafetyCampaign.objects.create(area=area, **kwargs)


def make_group(area, *, campaign=None, **kwargs):
    kwargs.setdefault("name", "测试对象")
    return TargetGroup.objects.create(campaign=campaign or make_campaign(area), **kwargs)


def make_target(area, *, group=None, enterprise=None, **kwargs):
    group = group or make_group(area)
    return CampaignTarget.objects.create(
        campaign=group.campaign, group=group, enterprise=enterprise or make_enterprise(area), **kwargs
    )


def make_inspection(area, *, enterprise=None, **kwargs):
    kwargs.setdefault("inspected_on", D)
    kwargs.setdefault("officers", "张明 李强")
    return Inspection.objects.create(enterprise=enterprise or make_enterprise(area), **kwargs)


def make_recording(area, *, inspection=None, **kwargs):
    return InspectionRecording.objects.create(
        inspection=inspection or make_inspection(area),
        kind=kwargs.pop("kind", "photo"),
        file=kwargs.pop("file", "safety_hazards/recordings/test.png"),
        original_name="现场.png",
        content_type="image/png",
        size_bytes=10,
        sha256="0" * 64,
        recorded_at=timezone.now(),
        recorded_by="张明",
        **kwargs,
    )


def make_hazard(area, *, enterprise=None, **kwargs):
    kwargs.setdefault("description", "安全出口堵塞")
    kwargs.setdefault("found_on", D)
    return Hazard.objects.create(enterprise=enterprise or make_enterprise(area), **kwargs)


def make_plan(area, *, hazard=None, **kwargs):
    return RectificationPlan.objects.create(hazard=hazard or make_hazard(area, severity="major"), **kwargs)


def make_evidence(area, *, hazard=None, **kwargs):
    kwargs.setdefault("description", "已清理")
    return RectificationEvidence.objects.create(hazard=hazard or make_hazard(area), **kwargs)


def make_verification(area, *, hazard=None, **kwargs):
    kwargs.setdefault("verified_on", D)
    kwargs.setdefault("passed", True)
    return Verification.objects.create(hazard=hazard or make_hazard(area), **kwargs)


TEST_FACTORIES = {
    SafetyCampaign: make_campaign,
    TargetGroup: make_group,
    CampaignTarget: make_target,
    Inspection: make_inspection,
    InspectionRecording: make_recording,
    Hazard: make_hazard,
    RectificationPlan: make_plan,
    RectificationEvidence: make_evidence,
    Verification: make_verification,
}
