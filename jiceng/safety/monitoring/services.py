"""Writes of the monitoring app: sources and their grade, sensors and their set-points, the alarm
lifecycle (opened, escalated, re-activated, cleared by the ingest; acknowledged, handled, closed by
people), offline detection, the accountable persons' check scan, and retention.

Rules, each a policy (seed/policies.json and the bundled seeds):

- grade (GB 18218 / 暂行规定附件1): R = α·Σβᵢ·qᵢ/Qᵢ; grade 1 ≥ ``grade1_min_r``, 2 ≥ ``grade2_min_r``,
  3 ≥ ``grade3_min_r``, else 4; a unit is a major hazard source only when Σqᵢ/Qᵢ ≥
  ``identification_min_ratio``; α from the people within 500 m, β from the substance or its category;
- set-points (GB/T 50493-2019): a flammable-gas detector's first/second set-points ≤ 25/50 %LEL, a
  toxic-gas detector's ≤ 100/200 % of the exposure limit; the second set-point lies beyond the first;
- the state machine's repeat, duration, hysteresis and offline numbers (``safety.monitoring.*``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit, services
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditAction
from jiceng.core.policies.services import PolicyValue, get_policy
from jiceng.core.workflow import GuardFailed, Reason, policy_reason
from jiceng.core.workflow.services import apply_transition
from jiceng.safety.monitoring.models import (
    OPEN_ALARM_STATES,
    AccountablePerson,
    AccountableRole,
    Alarm,
    AlarmLevel,
    AlarmState,
    HazardousSubstance,
    MajorHazardSource,
    Reading,
    Sensor,
    SensorDirection,
    SensorKind,
    SensorState,
    SourceCheck,
    SourceSubstance,
    SubstanceCategory,
    WatcherShift,
)

logger = logging.getLogger(__name__)

SUBSTANCES_FILE = Path(__file__).resolve().parent / "seed" / "substances.json"
ALARM_RULE = "safety.sensor_alarm"
OFFLINE_RULE = "safety.sensor_offline"
CHECK_MISSING_RULE = "safety.source_check_missing"
SEVERITY = {AlarmLevel.LEVEL1: "orange", AlarmLevel.LEVEL2: "red", AlarmLevel.OFFLINE: "yellow"}
GRADE_KEYS = (
    "safety.major_hazard.grade1_min_r",
    "safety.major_hazard.grade2_min_r",
    "safety.major_hazard.grade3_min_r",
)


def _policy(key: str, area_path: str, on: dt.date) -> PolicyValue:
    return get_policy(key, area_path=area_path, on=on)


# --- substances -----------------------------------------------------------------------------
def load_substances(path: Path = SUBSTANCES_FILE) -> dict[str, int]:
    """Upsert the GB 18218 reference table by name (idempotent)."""
    counts = {"created": 0, "updated": 0}
    rows = json.loads(path.read_text(encoding="utf-8"))["substances"]
    with transaction.atomic():
        for row in rows:
            defaults = {
                "cas_number": row.get("cas_number", ""),
                "category": row["category"],
                "critical_quantity_t": Decimal(str(row["critical_quantity_t"])),
                "beta": Decimal(str(row["beta"])) if row.get("beta") is not None else None,
                "is_highly_toxic": bool(row.get("is_highly_toxic")),
                "verified": bool(row.get("verified")),
            }
            _obj, created = HazardousSubstance.objects.update_or_create(name=row["name"], defaults=defaults)
            counts["created" if created else "updated"] += 1
    return counts


# --- grade ----------------------------------------------------------------------------------
@dataclass
class GradeResult:
    """The R value of a source and how it was reached (for the page and the API)."""

    ratio: Decimal
    alpha: Decimal
    r_value: Decimal
    grade: int | None
    is_major: bool
    terms: list[dict[str, Any]] = field(default_factory=list)
    policies: list[PolicyValue] = field(default_factory=list)

    def explain(self) -> str:
        parts = " + ".join(f"{_num(t['beta'])}×{_num(t['q'])}/{_num(t['Q'])}" for t in self.terms) or "0"
        text = f"R = α·Σβq/Q = {_num(self.alpha)}×({parts}) = {self.r_value}"
        if self.grade:
            return f"{text}：{_('grade %(grade)s') % {'grade': self.grade}}"
        return text


def _num(value: Decimal) -> str:
    """``2``, ``1.5``, ``0.75`` — a plain decimal without exponent or trailing zeros."""
    return format(Decimal(value).normalize(), "f")


def beta_for(substance: HazardousSubstance, area_path: str, on: dt.date) -> tuple[Decimal, PolicyValue | None]:
    if substance.beta is not None:
        return Decimal(substance.beta), None
    key = {
        SubstanceCategory.EXPLOSIVE: "safety.major_hazard.beta_explosive",
        SubstanceCategory.FLAMMABLE_GAS: "safety.major_hazard.beta_flammable_gas",
        SubstanceCategory.TOXIC_GAS: "safety.major_hazard.beta_toxic_highly"
        if substance.is_highly_toxic
        else "safety.major_hazard.beta_toxic_unlisted",
    }.get(SubstanceCategory(substance.category), "safety.major_hazard.beta_other")
    policy = _policy(key, area_path, on)
    return Decimal(policy.value), policy


def alpha_for(population: int, area_path: str, on: dt.date) -> tuple[Decimal, PolicyValue]:
    """α for the people within 500 m outside the boundary: the first band whose minimum is reached."""
    for band in (1, 2, 3, 4):
        minimum = _policy(f"safety.major_hazard.alpha_band{band}_min_people", area_path, on)
        if population >= minimum.value:
            policy = _policy(f"safety.major_hazard.alpha_band{band}", area_path, on)
            return Decimal(policy.value), policy
    policy = _policy("safety.major_hazard.alpha_none", area_path, on)
    return Decimal(policy.value), policy


def grade_for(r_value: Decimal, area_path: str, on: dt.date) -> tuple[int, list[PolicyValue]]:
    edges = [_policy(key, area_path, on) for key in GRADE_KEYS]
    for grade, edge in enumerate(edges, start=1):
        if r_value >= Decimal(edge.value):
            return grade, edges
    return 4, edges


def compute_grade(
    holdings: list[tuple[HazardousSubstance, Decimal]], population: int, *, area_path: str, on: dt.date
) -> GradeResult:
    """Pure calculation of Σq/Q, α, R and the grade for the given holdings."""
    alpha, alpha_policy = alpha_for(population, area_path, on)
    ratio = Decimal(0)
    weighted = Decimal(0)
    terms = []
    policies = [alpha_policy]
    for substance, quantity in holdings:
        beta, beta_policy = beta_for(substance, area_path, on)
        if beta_policy is not None:
            policies.append(beta_policy)
        share = Decimal(quantity) / Decimal(substance.critical_quantity_t)
        ratio += share
        weighted += beta * share
        terms.append(
            {
                "substance": substance.name,
                "q": Decimal(quantity).normalize(),
                "Q": Decimal(substance.critical_quantity_t).normalize(),
                "beta": beta.normalize(),
            }
        )
    r_value = (alpha * weighted).quantize(Decimal("0.01"))
    minimum = _policy("safety.major_hazard.identification_min_ratio", area_path, on)
    policies.append(minimum)
    is_major = ratio >= Decimal(minimum.value)
    grade = None
    if is_major:
        grade, edges = grade_for(r_value, area_path, on)
        policies += edges
    return GradeResult(ratio.quantize(Decimal("0.0001")), alpha, r_value, grade, is_major, terms, policies)


def grade_of(source: MajorHazardSource, on: dt.date | None = None) -> GradeResult:
    holdings = [(row.substance, row.quantity_t) for row in source.substances.select_related("substance")]
    return compute_grade(holdings, source.population_500m, area_path=source.area.path, on=on or timezone.localdate())


def _refresh_grade(source: MajorHazardSource, *, acting_user: Any) -> MajorHazardSource:
    result = grade_of(source)
    return services.do_update(
        source,
        data={"quantity_ratio": result.ratio, "r_value": result.r_value, "grade": result.grade},
        acting_user=acting_user,
        comment=result.explain(),
    )


def do_create_source(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> MajorHazardSource:
    """Register a major hazard source (its grade follows once substances are added)."""
    installation = data.get("installation")
    enterprise = data.get("enterprise")
    if installation is not None and enterprise is not None and installation.enterprise_id != enterprise.pk:
        raise InvalidInput(_("The installation belongs to another enterprise."), field="installation")
    with transaction.atomic():
        source = services.do_create(MajorHazardSource, data=data, acting_user=acting_user, comment=comment)
        return _refresh_grade(source, acting_user=acting_user)


def do_update_source(
    source: MajorHazardSource, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> MajorHazardSource:
    if "enterprise" in data and data["enterprise"] != source.enterprise:
        raise InvalidInput(_("A source stays with its enterprise."), field="enterprise")
    with transaction.atomic():
        source = services.do_update(source, data=data, acting_user=acting_user, comment=comment)
        return _refresh_grade(source, acting_user=acting_user)


def do_set_substance(
    source: MajorHazardSource, *, substance: HazardousSubstance, quantity_t: Decimal, acting_user: Any
) -> SourceSubstance:
    """Record (or change) the maximum quantity of a substance held in a source; the grade follows."""
    if quantity_t is None or Decimal(quantity_t) <= 0:
        raise InvalidInput(_("The quantity is a positive number of tonnes."), field="quantity_t")
    with transaction.atomic():
        row = SourceSubstance.objects.filter(source=source, substance=substance).first()
        if row is None:
            row = services.do_create(
                SourceSubstance,
                data={"source": source, "substance": substance, "quantity_t": Decimal(quantity_t)},
                acting_user=acting_user,
            )
        else:
            row = services.do_update(row, data={"quantity_t": Decimal(quantity_t)}, acting_user=acting_user)
        _refresh_grade(source, acting_user=acting_user)
    return row


def do_remove_substance(row: SourceSubstance, *, acting_user: Any) -> None:
    with transaction.atomic():
        source = row.source
        services.do_delete(row, acting_user=acting_user)
        _refresh_grade(source, acting_user=acting_user)


# --- sensors --------------------------------------------------------------------------------
def setpoint_refusals(data: Mapping[str, Any], *, area_path: str, on: dt.date) -> list[Reason]:
    """Every rule a sensor's set-points break (empty: they may be saved)."""
    kind, unit = data.get("kind"), (data.get("unit") or "").strip()
    level1, level2 = data.get("level1"), data.get("level2")
    high = data.get("direction", SensorDirection.HIGH) == SensorDirection.HIGH
    reasons: list[Reason] = []
    if level1 is None or level2 is None:
        return [Reason(message=_("A sensor needs its first- and second-level alarm set-points."))]
    if (level2 <= level1) if high else (level2 >= level1):
        reasons.append(
            Reason(
                message=_("The second-level set-point (%(l2)s) must lie beyond the first (%(l1)s).")
                % {"l1": level1, "l2": level2}
            )
        )
    low, top = data.get("range_min", 0) or 0, data.get("range_max")
    if top is not None and not (low <= level1 <= top and low <= level2 <= top):
        reasons.append(
            Reason(
                message=_("Set-points must lie inside the measuring range %(low)s–%(top)s %(unit)s.")
                % {"low": low, "top": top, "unit": unit}
            )
        )
    if kind == SensorKind.FLAMMABLE_GAS:
        if unit != "%LEL":
            reasons.append(
                Reason(message=_("A flammable-gas detector measures in %%LEL (got “%(unit)s”).") % {"unit": unit})
            )
        for level, value in ((1, level1), (2, level2)):
            rule = _policy(f"safety.alarm.flammable_gas_level{level}_max_pct_lel", area_path, on)
            if value > float(rule.value):
                reasons.append(
                    policy_reason(
                        rule,
                        _("The level-%(level)s set-point %(set)s %%LEL is above the maximum of %(value)s %%LEL"),
                        level=level,
                        set=value,
                    )
                )
    elif kind == SensorKind.TOXIC_GAS:
        oel = data.get("oel")
        if not oel or oel <= 0:
            reasons.append(Reason(message=_("A toxic-gas detector needs the substance's exposure limit in its unit.")))
        else:
            for level, value in ((1, level1), (2, level2)):
                rule = _policy(f"safety.alarm.toxic_gas_level{level}_max_pct_oel", area_path, on)
                limit = oel * float(rule.value) / 100
                if value > limit:
                    reasons.append(
                        policy_reason(
                            rule,
                            _(
                                "The level-%(level)s set-point %(set)s %(unit)s is above %(value)s%% of the exposure "
                                "limit %(oel)s %(unit)s (%(limit)s %(unit)s)"
                            ),
                            level=level,
                            set=value,
                            unit=unit,
                            oel=oel,
                            limit=round(limit, 3),
                        )
                    )
    return reasons


def _sensor_data(data: Mapping[str, Any], sensor: Sensor | None) -> dict[str, Any]:
    merged = {f.name: getattr(sensor, f.name) for f in Sensor._meta.concrete_fields} if sensor else {}
    merged.update(dict(data.items()))
    if sensor is not None:
        merged["source"] = data.get("source", sensor.source)
    return merged


def _check_sensor(data: Mapping[str, Any], sensor: Sensor | None) -> None:
    merged = _sensor_data(data, sensor)
    source = merged.get("source")
    gateway = merged.get("gateway")
    if source is not None and gateway is not None and gateway.enterprise_id != source.enterprise_id:
        raise InvalidInput(_("The gateway belongs to another enterprise."), field="gateway")
    area_path = source.area.path if source is not None else ""
    reasons = setpoint_refusals(merged, area_path=area_path, on=timezone.localdate())
    if reasons:
        raise GuardFailed(reasons, transition="setpoints")


def default_setpoints(kind: str, *, area_path: str, on: dt.date, oel: float | None = None) -> tuple[float, float]:
    """The policy maxima as the default set-points of a gas detector."""
    if kind == SensorKind.FLAMMABLE_GAS:
        return tuple(
            float(_policy(f"safety.alarm.flammable_gas_level{n}_max_pct_lel", area_path, on).value) for n in (1, 2)
        )  # type: ignore[return-value]
    if kind == SensorKind.TOXIC_GAS and oel:
        return tuple(
            oel * float(_policy(f"safety.alarm.toxic_gas_level{n}_max_pct_oel", area_path, on).value) / 100
            for n in (1, 2)
        )  # type: ignore[return-value]
    raise InvalidInput(_("Only gas detectors have default set-points; enter this sensor's design values."))


def do_create_sensor(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Sensor:
    """Add a monitoring point; refused (409, every reason) when its set-points break a rule."""
    _check_sensor(data, None)
    with transaction.atomic():
        sensor = services.do_create(Sensor, data=data, acting_user=acting_user, comment=comment)
        SensorState.objects.create(sensor=sensor)
    return sensor


def do_update_sensor(sensor: Sensor, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Sensor:
    if "code" in data and data["code"] != sensor.code:
        raise InvalidInput(_("A sensor's code is its topic and does not change; add a new sensor."), field="code")
    _check_sensor(data, sensor)
    return services.do_update(sensor, data=data, acting_user=acting_user, comment=comment)


# --- alarms: opened, escalated, cleared by the ingest ---------------------------------------
def evidence_for(sensor_id: int, start: dt.datetime, end: dt.datetime) -> list[list[Any]]:
    rows = Reading.objects.filter(sensor_id=sensor_id, ts__gte=start, ts__lte=end).order_by("ts")
    return [[ts.isoformat(), value] for ts, value in rows.values_list("ts", "value")]


def evidence_digest(evidence: Mapping[str, Any]) -> str:
    canonical = json.dumps(evidence, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _alarm_explanation(config: Any, level: str, value: float, setpoint: float, count: int, ts: dt.datetime) -> str:
    local = timezone.localtime(ts)
    return _(
        "%(source)s · %(sensor)s (%(code)s): reading %(value)s %(unit)s at %(time)s is beyond the %(level)s "
        "set-point %(setpoint)s %(unit)s for %(count)s consecutive readings (%(rule)s; set-point rule: %(setrule)s)."
    ) % {
        "source": config.source_name,
        "sensor": config.name,
        "code": config.code,
        "value": value,
        "unit": config.unit,
        "time": local.strftime("%Y-%m-%d %H:%M:%S"),
        "level": AlarmLevel(level).label,
        "setpoint": setpoint,
        "count": count,
        "rule": config.repeat_policy.explain(),
        "setrule": config.setpoint_source or _("the installation's design value"),
    }


def open_alarm(config: Any, *, level: int, value: float, setpoint: float, ts: dt.datetime, count: int) -> Alarm:
    """A new alarm episode with its evidence fixed and its alert raised (in the caller's transaction)."""
    now = timezone.now()
    level_key = AlarmLevel.LEVEL2 if level == 2 else AlarmLevel.LEVEL1
    start = ts - dt.timedelta(seconds=config.evidence_seconds)
    evidence = {
        "sensor": config.code,
        "unit": config.unit,
        "set_points": [config.thresholds.level1, config.thresholds.level2],
        "direction": "high" if config.thresholds.high else "low",
        "window": [start.isoformat(), ts.isoformat()],
        "readings": evidence_for(config.id, start, ts),
    }
    explanation = _alarm_explanation(config, level_key, value, setpoint, count, ts)
    alarm = Alarm(
        sensor_id=config.id,
        source_id=config.source_id,
        area_path=config.area_path,
        level=level_key,
        raised_at=now,
        reading_ts=ts,
        reading_value=value,
        setpoint=setpoint,
        peak_value=value,
        explanation=explanation,
        discovered_at=now,
        evidence=evidence,
        evidence_sha256=evidence_digest(evidence),
        evidence_fixed_at=now,
    )
    alarm.save()
    _raise(alarm, explanation)
    audit.record(
        AuditAction.CREATE,
        alarm,
        actor=None,
        after={**audit.snapshot(alarm), "evidence_sha256": alarm.evidence_sha256},
        comment=ALARM_RULE,
    )
    return alarm


def _raise(alarm: Alarm, explanation: str) -> None:
    rule = OFFLINE_RULE if alarm.level == AlarmLevel.OFFLINE else ALARM_RULE
    alert = raise_alert(
        rule=rule,
        subject=alarm,
        severity=SEVERITY[AlarmLevel(alarm.level)],
        explanation=explanation,
        evidence={
            "sensor": alarm.sensor_id,
            "level": alarm.level,
            "reading": alarm.reading_value,
            "reading_ts": alarm.reading_ts.isoformat() if alarm.reading_ts else None,
            "evidence_sha256": alarm.evidence_sha256,
        },
        area_path=alarm.area_path,
    )
    alarm.warned_at = timezone.now()
    fields = ["warned_at"]
    if alert is not None:
        alarm.alert_id = alert.pk
        fields.append("alert_id")
    Alarm.objects.filter(pk=alarm.pk).update(**{name: getattr(alarm, name) for name in fields})


def escalate_alarm(config: Any, alarm_id: int, *, value: float, setpoint: float, ts: dt.datetime, count: int) -> Alarm:
    """The first-level alarm reached the second level: its level and alert rise (same episode)."""
    alarm = Alarm.objects.select_for_update(no_key=True).get(pk=alarm_id)
    before = audit.snapshot(alarm)
    alarm.level = AlarmLevel.LEVEL2
    alarm.setpoint, alarm.reading_value, alarm.reading_ts = setpoint, value, ts
    alarm.peak_value = _peak(alarm.peak_value, value, config.thresholds.high)
    alarm.explanation = _alarm_explanation(config, AlarmLevel.LEVEL2, value, setpoint, count, ts)
    alarm.save(update_fields=["level", "setpoint", "reading_value", "reading_ts", "peak_value", "explanation"])
    _raise(alarm, alarm.explanation)
    audit.record(AuditAction.UPDATE, alarm, actor=None, before=before, after=audit.snapshot(alarm), comment="escalated")
    return alarm


def reactivate_alarm(
    config: Any, alarm_id: int, *, level: int, value: float, setpoint: float, ts: dt.datetime
) -> Alarm:
    """A new crossing while the episode is still open: it is active again (no second alarm)."""
    alarm = Alarm.objects.select_for_update(no_key=True).get(pk=alarm_id)
    if alarm.state in (AlarmState.ACKNOWLEDGED, AlarmState.HANDLED):
        alarm = apply_transition(alarm, "reactivate", acting_user=None, comment=_("The reading crossed again."))  # type: ignore[assignment]
    update = {
        "cleared_at": None,
        "reactivations": alarm.reactivations + 1,
        "peak_value": _peak(alarm.peak_value, value, config.thresholds.high),
    }
    if level == 2 and alarm.level != AlarmLevel.LEVEL2:
        update["level"] = AlarmLevel.LEVEL2
    Alarm.objects.filter(pk=alarm.pk).update(**update)
    alarm.refresh_from_db()
    _raise(alarm, _alarm_explanation(config, alarm.level, value, setpoint, config.thresholds.repeat, ts))
    return alarm


def clear_alarm(alarm_id: int, *, ts: dt.datetime, value: float) -> Alarm:
    """The condition went away (hysteresis): 消警 once the handling is recorded too."""
    alarm = Alarm.objects.select_for_update(no_key=True).get(pk=alarm_id)
    Alarm.objects.filter(pk=alarm.pk).update(cleared_at=ts)
    alarm.cleared_at = ts
    if alarm.state == AlarmState.HANDLED or alarm.level == AlarmLevel.OFFLINE:
        _close(alarm, acting_user=None, comment=_("The reading returned to normal (%(value)s).") % {"value": value})
    return alarm


def note_peaks(peaks: Mapping[int, float], highs: Mapping[int, bool]) -> None:
    """Raise the stored peak of open alarms from a batch's extreme values (alarm id → value)."""
    if not peaks:
        return
    for alarm in Alarm.objects.filter(pk__in=list(peaks), state__in=OPEN_ALARM_STATES).only("pk", "peak_value"):
        peak = _peak(alarm.peak_value, peaks[alarm.pk], highs[alarm.pk])
        if peak != alarm.peak_value:
            Alarm.objects.filter(pk=alarm.pk).update(peak_value=peak)


def _peak(current: float | None, value: float, high: bool) -> float:
    if current is None:
        return value
    return max(current, value) if high else min(current, value)


def _close(alarm: Alarm, *, acting_user: Any, comment: str) -> Alarm:
    closed: Alarm = apply_transition(
        alarm, "close", acting_user=acting_user, comment=comment, system=acting_user is None
    )  # type: ignore[assignment]
    Alarm.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    rule = OFFLINE_RULE if closed.level == AlarmLevel.OFFLINE else ALARM_RULE
    resolve_alert(rule=rule, subject=closed, acting_user=acting_user, comment=comment)
    closed.refresh_from_db()
    return closed


# --- offline -----------------------------------------------------------------------------------
def scan_offline(now: dt.datetime | None = None) -> int:
    """Mark sensors silent longer than ``safety.monitoring.offline_after_seconds`` offline (compare-and-
    set, so several ingest workers and the job never raise the same offline alarm twice) and open an
    offline alarm for each. Returns how many went offline."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    moved = 0
    # order_by(): the model's ordering would join and widen the DISTINCT to one row per sensor
    paths = Sensor.objects.filter(is_active=True).order_by().values_list("area_path", flat=True).distinct()
    for area_path in paths:
        policy = _policy("safety.monitoring.offline_after_seconds", area_path, today)
        cutoff = now - dt.timedelta(seconds=int(policy.value))
        silent = SensorState.objects.filter(
            offline=False, sensor__is_active=True, sensor__area_path=area_path, last_ts__lt=cutoff
        ).values_list("sensor_id", "last_ts")
        never = SensorState.objects.filter(
            offline=False, sensor__is_active=True, sensor__area_path=area_path, last_ts__isnull=True,
            sensor__created_at__lt=cutoff,
        ).values_list("sensor_id", "last_ts")  # fmt: skip
        for sensor_id, last_ts in [*silent, *never]:
            with transaction.atomic():
                if not SensorState.objects.filter(sensor_id=sensor_id, offline=False, last_ts=last_ts).update(
                    offline=True
                ):
                    continue  # another worker got there first, or a reading arrived meanwhile
                open_offline_alarm(sensor_id, last_ts=last_ts, now=now, policy=policy)
                moved += 1
    return moved


def open_offline_alarm(sensor_id: int, *, last_ts: dt.datetime | None, now: dt.datetime, policy: PolicyValue) -> Alarm:
    sensor = Sensor.objects.select_related("source").get(pk=sensor_id)
    silent = int((now - last_ts).total_seconds()) if last_ts else None
    explanation = policy_reason(
        policy,
        _(
            "%(source)s · %(sensor)s (%(code)s) has sent no reading for %(silent)s seconds (last: %(last)s); offline after %(value)s seconds"
        ),
        source=sensor.source,
        sensor=sensor.name,
        code=sensor.code,
        silent=silent if silent is not None else "—",
        last=timezone.localtime(last_ts).strftime("%Y-%m-%d %H:%M:%S") if last_ts else _("never"),
    ).message
    evidence = {
        "sensor": sensor.code,
        "last_reading_at": last_ts.isoformat() if last_ts else None,
        "checked_at": now.isoformat(),
    }
    alarm = Alarm(
        sensor=sensor,
        source=sensor.source,
        area_path=sensor.area_path,
        level=AlarmLevel.OFFLINE,
        raised_at=now,
        reading_ts=last_ts,
        explanation=explanation,
        discovered_at=now,
        evidence=evidence,
        evidence_sha256=evidence_digest(evidence),
        evidence_fixed_at=now,
    )
    alarm.save()
    _raise(alarm, explanation)
    audit.record(AuditAction.CREATE, alarm, actor=None, after=audit.snapshot(alarm), comment=OFFLINE_RULE)
    return alarm


def close_offline_alarms(sensor_id: int, *, ts: dt.datetime, value: float) -> int:
    closed = 0
    for alarm in Alarm.objects.filter(sensor_id=sensor_id, level=AlarmLevel.OFFLINE, state__in=OPEN_ALARM_STATES):
        Alarm.objects.filter(pk=alarm.pk).update(cleared_at=ts)
        _close(alarm, acting_user=None, comment=_("The sensor reported again (%(value)s).") % {"value": value})
        closed += 1
    return closed


# --- alarms: people ---------------------------------------------------------------------------
def _top_level() -> Any:
    """A durable transaction for a user's action (nested inside the demo builder's transaction)."""
    return transaction.atomic(durable=not transaction.get_connection().in_atomic_block)


def do_acknowledge_alarm(alarm: Alarm, *, acting_user: Any, comment: str = "") -> Alarm:
    with _top_level():
        done: Alarm = apply_transition(alarm, "acknowledge", acting_user=acting_user, comment=comment)  # type: ignore[assignment]
        Alarm.objects.filter(pk=done.pk).update(acknowledged_at=timezone.now())
    done.refresh_from_db()
    return done


def do_handle_alarm(alarm: Alarm, *, acting_user: Any, handling: str) -> Alarm:
    """Record what was done (第一时间治理); an alarm whose reading already cleared is closed with it."""
    if not (handling or "").strip():
        raise InvalidInput(_("Say what was done about the alarm."), field="handling")
    with _top_level():
        done: Alarm = apply_transition(alarm, "handle", acting_user=acting_user, comment=handling)  # type: ignore[assignment]
        now = timezone.now()
        user = acting_user if getattr(acting_user, "is_authenticated", False) else None
        Alarm.objects.filter(pk=done.pk).update(
            handled_at=now, handling=handling.strip(), handled_by=user, acknowledged_at=done.acknowledged_at or now
        )
        done.refresh_from_db()
        if done.cleared_at is not None:
            done = _close(done, acting_user=acting_user, comment=handling)
    return done


def close_refusals(alarm: Alarm) -> list[Reason]:
    reasons = []
    if alarm.cleared_at is None:
        reasons.append(
            Reason(message=_("The reading has not returned to normal yet; the alarm is closed only after it clears."))
        )
    if alarm.handled_at is None:
        reasons.append(Reason(message=_("Record the handling before closing the alarm.")))
    return reasons


def do_close_alarm(alarm: Alarm, *, acting_user: Any, comment: str = "") -> Alarm:
    """消警 by hand: only once the condition cleared and the handling is recorded."""
    reasons = close_refusals(alarm)
    if reasons:
        raise GuardFailed(reasons, transition="close")
    with _top_level():
        return _close(alarm, acting_user=acting_user, comment=comment or _("Closed."))


# --- accountable persons and watchers ----------------------------------------------------------
def do_assign_accountable(*, data: Mapping[str, Any], acting_user: Any) -> AccountablePerson:
    """Name a source's principal, technical or operational lead (the previous one's term ends)."""
    with transaction.atomic():
        current = AccountablePerson.objects.filter(
            source=data["source"], role=data["role"], until__isnull=True
        ).select_for_update(no_key=True)
        for old in current:
            services.do_update(old, data={"until": data["since"]}, acting_user=acting_user)
        return services.do_create(AccountablePerson, data=data, acting_user=acting_user)


def do_record_check(*, data: Mapping[str, Any], acting_user: Any) -> SourceCheck:
    """A check by one of the accountable persons; the role's missing-check alert closes."""
    with transaction.atomic():
        check = services.do_create(SourceCheck, data=data, acting_user=acting_user)
        transaction.on_commit(
            lambda: resolve_alert(
                rule=f"{CHECK_MISSING_RULE}.{check.role}", subject=check.source, comment=_("A check was recorded.")
            )
        )
    return check


def do_add_shift(*, data: Mapping[str, Any], acting_user: Any) -> WatcherShift:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        raise InvalidInput(_("A shift ends after it starts."), field="ends_at")
    return services.do_create(WatcherShift, data=data, acting_user=acting_user)


def check_period(role: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """The last closed period of a role's cadence before ``on``: previous quarter (technical) or week."""
    if role == AccountableRole.TECHNICAL:
        quarter_start = dt.date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
        previous_end = quarter_start - dt.timedelta(days=1)
        previous_start = dt.date(previous_end.year, 3 * ((previous_end.month - 1) // 3) + 1, 1)
        return previous_start, previous_end
    week_start = on - dt.timedelta(days=on.weekday())
    return week_start - dt.timedelta(days=7), week_start - dt.timedelta(days=1)


CADENCE = {
    AccountableRole.TECHNICAL: "safety.major_hazard.tech_lead_checks_per_quarter",
    AccountableRole.OPERATIONAL: "safety.major_hazard.operational_checks_per_week",
}


def scan_checks(on: dt.date) -> dict[str, int]:
    """For the technical (quarterly) and operational (weekly) leads: alert each source whose last
    closed period has fewer checks than the policy; resolve the alert of sources back in order."""
    counts = {"missing": 0, "in_order": 0}
    sources = MajorHazardSource.objects.select_related("area").exclude(grade__isnull=True)
    for role, key in CADENCE.items():
        start, end = check_period(role, on)
        done = dict(
            SourceCheck.objects.filter(role=role, checked_on__gte=start, checked_on__lte=end)
            .values_list("source")
            .annotate(n=Count("id"))
        )
        for source in sources.iterator():
            policy = _policy(key, source.area.path, on)
            made = done.get(source.pk, 0)
            rule = f"{CHECK_MISSING_RULE}.{role}"
            if source.registered_on and source.registered_on > start:
                continue
            if made >= int(policy.value):
                counts["in_order"] += resolve_alert(rule=rule, subject=source, comment=_("The checks were made."))
                continue
            raise_alert(
                rule=rule,
                subject=source,
                severity="yellow",
                explanation=policy_reason(
                    policy,
                    _(
                        "%(source)s: %(made)s check(s) by the %(role)s from %(start)s to %(end)s; at least %(value)s required"
                    ),
                    source=source,
                    made=made,
                    role=AccountableRole(role).label,
                    start=start,
                    end=end,
                ).message,
                evidence={"role": role, "start": start.isoformat(), "end": end.isoformat(), "checks": made},
            )
            counts["missing"] += 1
    return counts


# --- retention ----------------------------------------------------------------------------------
def scan_retention(on: dt.date) -> int:
    """Drop readings older than ``safety.monitoring.readings_retention_months`` (national default)."""
    from jiceng.core.dates import add_months
    from jiceng.safety.monitoring.readings import drop_readings_before

    months = _policy("safety.monitoring.readings_retention_months", "", on)
    cutoff = add_months(dt.date(on.year, on.month, 1), -int(months.value))
    return drop_readings_before(cutoff)
