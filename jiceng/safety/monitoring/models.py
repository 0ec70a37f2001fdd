"""Major hazard sources (重大危险源) and their live monitoring (S03, S06; rules.md §6).

- ``HazardousSubstance``: the reference table of GB 18218-2018 (critical quantity ``Q``, correction
  factor ``β`` for the listed toxic gases), loaded from ``seed/substances.json``.
- ``MajorHazardSource``: a production or storage unit of an enterprise with the substances it holds
  (``SourceSubstance``), its population band (α), and its R value and grade (derived, stored).
- ``AccountablePerson``/``SourceCheck``: the three accountable persons (包保责任人) and their checks;
  ``WatcherShift``: the on-site watcher roster (专人现场盯守).
- ``Gateway``, ``Sensor``, ``SensorState``: the monitoring points, their alarm set-points and the
  per-sensor state the ingest's state machine keeps in the database (so several ingest workers can
  share one MQTT subscription).
- ``Reading``: the time-partitioned readings table (PostgreSQL: ``PARTITION BY RANGE (ts)``, one
  partition per month; SQLite: a plain table), written by ``jiceng ingest`` only.
- ``Alarm``: one alarm episode of a sensor with the "four firsts" timestamps and its evidence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.deadlines.models import InstallationQuerySet
from jiceng.core.models import ScopedModel
from jiceng.safety.models import EnterpriseAreaMixin, area_field


class SubstanceCategory(models.TextChoices):
    """The categories GB 18218 uses for the correction factor β."""

    TOXIC_GAS = "toxic_gas", _("toxic gas")
    EXPLOSIVE = "explosive", _("explosive")
    FLAMMABLE_GAS = "flammable_gas", _("flammable gas")
    OTHER = "other", _("other hazardous chemical")


class HazardousSubstance(models.Model):
    """One row of GB 18218-2018 表1 (named chemicals and their critical quantity ``Q`` in tonnes).

    ``beta`` is the substance's own correction factor where 表3 lists it (toxic gases); otherwise
    the category's factor applies (a policy). Reference data for the whole installation.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    cas_number = models.CharField(_("CAS number"), max_length=20, blank=True, db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=SubstanceCategory.choices)
    critical_quantity_t = models.DecimalField(_("critical quantity (t)"), max_digits=10, decimal_places=3)
    beta = models.DecimalField(
        _("correction factor β"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only where the standard lists the substance itself; else the category's factor."),
    )
    is_highly_toxic = models.BooleanField(_("highly toxic"), default=False)
    source = models.CharField(_("source"), max_length=200, default="GB 18218-2018 表1")
    verified = models.BooleanField(_("checked against the standard"), default=False)

    installation_wide = True  # no Area: the permission alone decides (core.services.check_conformance)
    objects = InstallationQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazardous substance")
        verbose_name_plural = _("hazardous substances")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(critical_quantity_t__gt=0), name="substance_q_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    STORAGE_TANKS = "storage_tanks", _("storage tank farm")  # 罐区
    WAREHOUSE = "warehouse", _("warehouse")  # 库区
    PRODUCTION = "production", _("production unit")  # 生产单元


class MajorHazardSource(EnterpriseAreaMixin, ScopedModel):
    """A major hazard source of an enterprise. ``r_value``, ``grade`` and ``quantity_ratio`` are
    derived from its substances and ``population_500m`` (``services.compute_grade``) and stored so
    that lists filter and sort on them; the service rewrites them whenever an input changes."""

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="major_hazard_sources",
    )
    area = area_field("major_hazard_sources")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    record_number = models.CharField(_("record number"), max_length=40, blank=True)
    installation = models.ForeignKey(
        "safety.Installation",
        verbose_name=_("installation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="major_hazard_sources",
    )
    population_500m = models.PositiveIntegerField(
        _("people within 500 m outside the boundary"), default=0, help_text=_("Determines α (GB 18218-2018 表4).")
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    quantity_ratio = models.DecimalField(
        _("Σ q/Q"), max_digits=12, decimal_places=4, default=Decimal("0"), editable=False
    )
    r_value = models.DecimalField(_("R value"), max_digits=12, decimal_places=2, default=Decimal("0"), editable=False)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True, editable=False, db_index=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("quantity_ratio", "r_value", "grade")

    class Meta:
        verbose_name = _("major hazard source")
        verbose_name_plural = _("major hazard sources")
        ordering = ["area__path", "enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="source_unique_name")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"

    def get_live_url(self) -> str:
        return reverse("safety_monitoring:source_live", args=[self.pk])


class SourceSubstance(ScopedModel):
    """A substance held in a source, at its maximum quantity in tonnes (``q``)."""

    scope_area_field = "source__area"

    source = models.ForeignKey(
        MajorHazardSource, verbose_name=_("major hazard source"), on_delete=models.CASCADE, related_name="substances"
    )
    substance = models.ForeignKey(
        HazardousSubstance, verbose_name=_("substance"), on_delete=models.PROTECT, related_name="+"
    )
    quantity_t = models.DecimalField(_("maximum quantity (t)"), max_digits=12, decimal_places=3)

    class Meta:
        verbose_name = _("substance held")
        verbose_name_plural = _("substances held")
        ordering = ["source", "substance__name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "substance"], name="source_substance_unique"),
            models.CheckConstraint(condition=Q(quantity_t__gt=0), name="source_substance_q_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.substance} {self.quantity_t} t"


class AccountableRole(models.TextChoices):
    """The three levels of 包保责任 (《危险化学品企业重大危险源安全包保责任制办法（试行）》第三条)."""

    PRINCIPAL = "principal", _("principal (overall management)")  # 主要负责人
    TECHNICAL = "technical", _("technical lead")  # 技术负责人
    OPERATIONAL = "operational", _("operational lead")  # 操作负责人


class AccountablePerson(ScopedModel):
    """One of a source's three accountable persons, from ``since`` until ``until``."""

    scope_area_field = "source__area"

    source = models.ForeignKey(
        MajorHazardSource, verbose_name=_("major hazard source"), on_delete=models.CASCADE, related_name="accountable"
    )
    role = models.CharField(_("role"), max_length=16, choices=AccountableRole.choices)
    person = models.ForeignKey("directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("accountable person")
        verbose_name_plural = _("accountable persons")
        ordering = ["source", "role", "-since"]

    def __str__(self) -> str:
        return f"{self.source} · {self.get_role_display()} · {self.person}"


class SourceCheck(ScopedModel):
    """A hazard check of a source made by one of its accountable persons (the cadence is a policy)."""

    scope_area_field = "source__area"

    source = models.ForeignKey(
        MajorHazardSource, verbose_name=_("major hazard source"), on_delete=models.CASCADE, related_name="checks"
    )
    role = models.CharField(_("role"), max_length=16, choices=AccountableRole.choices)
    checked_on = models.DateField(_("checked on"))
    checker = models.ForeignKey(
        "directory.Person", verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("findings"), blank=True)
    problems_found = models.PositiveIntegerField(_("problems found"), default=0)

    class Meta:
        verbose_name = _("accountable person's check")
        verbose_name_plural = _("accountable persons' checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["source", "role", "checked_on"], name="source_check_lookup")]

    def __str__(self) -> str:
        return f"{self.source} · {self.get_role_display()} · {self.checked_on}"


class WatcherShift(ScopedModel):
    """An on-site watcher's shift at a source (专人现场盯守)."""

    scope_area_field = "source__area"

    source = models.ForeignKey(
        MajorHazardSource, verbose_name=_("major hazard source"), on_delete=models.CASCADE, related_name="shifts"
    )
    watcher = models.ForeignKey(
        "directory.Person", verbose_name=_("watcher"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("watcher shift")
        verbose_name_plural = _("watcher roster")
        ordering = ["source", "starts_at"]
        indexes = [models.Index(fields=["source", "starts_at", "ends_at"], name="watcher_shift_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="watcher_shift_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.watcher}"


class Gateway(EnterpriseAreaMixin, ScopedModel):
    """A site gateway that batches its sensors' readings onto ``jiceng/batches/<code>``."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="gateways"
    )
    area = area_field("monitoring_gateways")
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("gateway")
        verbose_name_plural = _("gateways")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SensorKind(models.TextChoices):
    FLAMMABLE_GAS = "flammable_gas", _("flammable gas concentration")
    TOXIC_GAS = "toxic_gas", _("toxic gas concentration")
    TEMPERATURE = "temperature", _("temperature")
    PRESSURE = "pressure", _("pressure")
    LEVEL = "level", _("liquid level")


class SensorDirection(models.TextChoices):
    HIGH = "high", _("alarm above the set-point")
    LOW = "low", _("alarm below the set-point")


class Sensor(ScopedModel):
    """One monitoring point of a source. ``code`` is its MQTT topic suffix
    (``jiceng/readings/<code>``). ``level1``/``level2`` are the first and second alarm set-points in
    ``unit``; for gas detectors they may not exceed the policy maxima of GB/T 50493-2019."""

    scope_area_field = None
    scope_path_field = "area_path"

    code = models.SlugField(_("code"), max_length=64, unique=True)
    source = models.ForeignKey(
        MajorHazardSource, verbose_name=_("major hazard source"), on_delete=models.PROTECT, related_name="sensors"
    )
    area_path = models.CharField(_("area path"), max_length=255, db_index=True, editable=False)
    gateway = models.ForeignKey(
        Gateway, verbose_name=_("gateway"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sensors"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=SensorKind.choices)
    unit = models.CharField(_("unit"), max_length=16)
    direction = models.CharField(
        _("alarm direction"), max_length=4, choices=SensorDirection.choices, default=SensorDirection.HIGH
    )
    level1 = models.FloatField(_("first-level alarm set-point"))
    level2 = models.FloatField(_("second-level alarm set-point"))
    oel = models.FloatField(
        _("occupational exposure limit"),
        null=True,
        blank=True,
        help_text=_(
            "Toxic gas detectors: the substance's exposure limit in the sensor's unit (for the set-point rule)."
        ),
    )
    range_min = models.FloatField(_("measuring range from"), default=0)
    range_max = models.FloatField(_("measuring range to"))
    is_active = models.BooleanField(_("active"), default=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["source", "code"]
        constraints = [models.CheckConstraint(condition=Q(range_max__gt=models.F("range_min")), name="sensor_range")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.area_path = self.source.area.path
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "area_path" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "area_path"]
        super().save(*args, **kwargs)

    @property
    def topic(self) -> str:
        return f"jiceng/readings/{self.code}"


class SensorState(models.Model):
    """What the state machine knows about one sensor between readings (written by the ingest only).

    ``level`` is the confirmed alarm level now (0 normal, 1, 2); ``count1``/``since1`` (and
    ``count2``/``since2``) the run of consecutive readings beyond the first (second) set-point and when
    it began (the repeat and duration conditions); ``clear_count`` consecutive readings back inside the
    hysteresis band; ``alarm`` the open alarm episode; ``offline`` whether the sensor has been silent
    longer than the policy. See ``statemachine.py``.
    """

    sensor = models.OneToOneField(Sensor, primary_key=True, on_delete=models.CASCADE, related_name="state")
    level = models.PositiveSmallIntegerField(default=0)
    count1 = models.PositiveIntegerField(default=0)
    since1 = models.DateTimeField(null=True, blank=True)
    count2 = models.PositiveIntegerField(default=0)
    since2 = models.DateTimeField(null=True, blank=True)
    clear_count = models.PositiveIntegerField(default=0)
    last_ts = models.DateTimeField(null=True, blank=True)
    last_value = models.FloatField(null=True, blank=True)
    alarm = models.ForeignKey("Alarm", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    offline = models.BooleanField(default=False)
    readings = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("sensor state")
        verbose_name_plural = _("sensor states")
        indexes = [models.Index(fields=["last_ts"], condition=Q(offline=False), name="sensor_state_online_ts")]

    def __str__(self) -> str:
        return f"{self.sensor_id}: level {self.level}"


class Reading(models.Model):
    """One reading of one sensor. The table is created by migration 0002 (partitioned by month on
    PostgreSQL); Django only reads it. ``(sensor, ts)`` is the primary key: a redelivered MQTT
    message cannot store the same reading twice."""

    pk = models.CompositePrimaryKey("sensor_id", "ts")
    sensor = models.ForeignKey(Sensor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    ts = models.DateTimeField(_("time"))
    value = models.FloatField(_("value"))

    class Meta:
        managed = False
        db_table = "safety_monitoring_reading"
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["sensor", "ts"]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.ts:%Y-%m-%d %H:%M:%S} {self.value}"


class AlarmLevel(models.TextChoices):
    LEVEL1 = "level1", _("first-level alarm")  # 一级报警
    LEVEL2 = "level2", _("second-level alarm")  # 二级报警
    OFFLINE = "offline", _("sensor offline")  # 离线


class AlarmState(models.TextChoices):
    ACTIVE = "active", _("alarm active")  # 报警中
    ACKNOWLEDGED = "acknowledged", _("alarm acknowledged")  # 已确认
    HANDLED = "handled", _("alarm handled")  # 已处置
    CLOSED = "closed", _("alarm closed")  # 已消警


OPEN_ALARM_STATES = (AlarmState.ACTIVE, AlarmState.ACKNOWLEDGED, AlarmState.HANDLED)


class Alarm(ConcurrentTransitionMixin, ScopedModel):
    """One alarm episode of a sensor: from the confirmed crossing until it is closed (消警).

    The four firsts (第一时间发现、预警、治理、固定证据): ``discovered_at`` (the ingest confirmed the
    crossing), ``warned_at`` (the alert was raised and notifications queued), ``handled_at`` (someone
    recorded the handling) and ``evidence_fixed_at`` (the readings around the crossing were stored with
    their SHA-256). ``cleared_at`` is when the condition went away (hysteresis); an episode closes once
    it is both handled and cleared. A new crossing while the episode is open re-activates it.
    """

    scope_area_field = None
    scope_path_field = "area_path"
    audit_exclude = ("created_at", "updated_at", "evidence")

    sensor = models.ForeignKey(Sensor, verbose_name=_("sensor"), on_delete=models.PROTECT, related_name="alarms")
    source = models.ForeignKey(
        MajorHazardSource, verbose_name=_("major hazard source"), on_delete=models.PROTECT, related_name="alarms"
    )
    area_path = models.CharField(_("area path"), max_length=255, db_index=True)
    level = models.CharField(_("level"), max_length=8, choices=AlarmLevel.choices)
    state = FSMField(_("state"), default=AlarmState.ACTIVE, choices=AlarmState.choices, protected=True)
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    reading_ts = models.DateTimeField(_("reading time"), null=True, blank=True)
    reading_value = models.FloatField(_("reading"), null=True, blank=True)
    setpoint = models.FloatField(_("set-point"), null=True, blank=True)
    peak_value = models.FloatField(_("peak"), null=True, blank=True)
    explanation = models.TextField(_("explanation"))
    discovered_at = models.DateTimeField(_("discovered at"))
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handling = models.TextField(_("handling"), blank=True)
    evidence_fixed_at = models.DateTimeField(_("evidence fixed at"), null=True, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64, blank=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reactivations = models.PositiveIntegerField(_("re-activations"), default=0)
    alert_id = models.BigIntegerField(_("alert"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["sensor", "-raised_at"], name="alarm_sensor_recent"),
            models.Index(fields=["raised_at"], condition=~Q(state="closed"), name="alarm_open"),
        ]
        permissions = [("handle_alarm", "Can acknowledge and handle alarms")]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{self.sensor.code} {self.get_level_display()} {timezone.localtime(self.raised_at):%Y-%m-%d %H:%M}"

    @property
    def is_cleared(self) -> bool:
        return self.cleared_at is not None

    def response_seconds(self) -> float | None:
        """Seconds from discovery to handling (the "first-time handling" figure)."""
        if self.handled_at is None:
            return None
        return (self.handled_at - self.discovered_at).total_seconds()

    # --- transitions (run only through jiceng.safety.monitoring.services) -------------------
    @transition(field=state, source=AlarmState.ACTIVE, target=AlarmState.ACKNOWLEDGED, permission="handle_alarm")
    def acknowledge(self) -> None:
        """Someone on duty has seen the alarm."""

    @transition(
        field=state,
        source=[AlarmState.ACTIVE, AlarmState.ACKNOWLEDGED],
        target=AlarmState.HANDLED,
        permission="handle_alarm",
    )
    def handle(self) -> None:
        """The handling is recorded (``handling`` text set by the service)."""

    @transition(field=state, source=list(OPEN_ALARM_STATES), target=AlarmState.CLOSED, permission="handle_alarm")
    def close(self) -> None:
        """消警: the condition has cleared and the handling is recorded."""

    @transition(field=state, source=[AlarmState.HANDLED, AlarmState.ACKNOWLEDGED], target=AlarmState.ACTIVE)
    def reactivate(self) -> None:
        """A new crossing while the episode is open (system only)."""


def reading_window(alarm: Alarm, seconds: int) -> tuple[dt.datetime, dt.datetime]:
    """The evidence window around an alarm's crossing: ``seconds`` before the discovering reading."""
    anchor = alarm.reading_ts or alarm.discovered_at
    return anchor - dt.timedelta(seconds=seconds), anchor
