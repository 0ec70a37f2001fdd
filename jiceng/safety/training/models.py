"""Safety training, spot tests, certificate checks and publicity (catalogue S13–S15).

- S13 常态化全员安全培训 / "大学习、大培训、大考试": an enterprise's training sessions and exams
  (``TrainingSession``, ``Exam``) — its training ledger; participation is computed against the
  employees of its ``SafetyProfile``.
- S14 安全资格证"打假"和培训"走过场": spot tests of employees (``SpotTest``, optionally one
  ``SpotTestResult`` per employee) and checks of safety qualification certificates
  (``CertificateCheck``; an expired, forged or borrowed certificate raises an alert).
- S15 安全宣传"五进": publicity activities by target (``PublicityActivity``), rolling safety prompts
  and warnings sent through the alert notification channels (``Broadcast``) and a small library
  of public-service ads (``PublicServiceAd``).

Rows that belong to an enterprise copy its area (``EnterpriseAreaMixin``). Campaigns and the ad
library belong to the whole installation (``InstallationQuerySet``). See docs/modules/safety-training.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.alerts.models import Severity
from jiceng.core.deadlines.models import InstallationQuerySet
from jiceng.core.models import ScopedModel, TimeStampedModel
from jiceng.directory.models import validate_id_number
from jiceng.safety.models import EnterpriseAreaMixin, area_field


def rate(part: int | None, whole: int | None) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal (``None`` for an empty whole)."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- campaigns ------------------------------------------------------------------------------
class CampaignKind(models.TextChoices):
    TRAINING = "training", _("study, training and exam drive")  # 大学习、大培训、大考试
    ANTIFRAUD = "antifraud", _("certificate fraud and perfunctory training drive")  # 打假 / 走过场
    PUBLICITY = "publicity", _("safety publicity drive")
    OTHER = "other", _("other")


class TrainingCampaign(TimeStampedModel):
    """A dated special action (专项行动) of the bureau. Installation-wide: every county's rows may
    refer to it; a row that names a campaign must fall inside its period."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.OTHER)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = InstallationQuerySet.as_manager()

    class Meta:
        verbose_name = _("training campaign")
        verbose_name_plural = _("training campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="safety_campaign_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safety_training:trainingcampaign_detail", args=[self.pk])

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def campaign_field() -> models.ForeignKey:
    return models.ForeignKey(
        TrainingCampaign,
        verbose_name=_("training campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


# --- S13: training sessions and exams -------------------------------------------------------
class TrainingKind(models.TextChoices):
    ALL_STAFF = "all_staff", _("all-staff safety training")  # 全员安全培训
    INDUCTION = "induction", _("pre-job induction")  # 岗前（三级）安全教育
    SPECIAL_OPERATION = "special_operation", _("special-operation workers")  # 特种作业人员
    MANAGEMENT = "management", _("principal and safety managers")  # 主要负责人和安全管理人员
    REFRESHER = "refresher", _("refresher training")  # 再培训
    DRILL = "drill", _("emergency drill")  # 应急演练


class TrainingSession(EnterpriseAreaMixin, ScopedModel):
    """One safety training session an enterprise organised (its training ledger).

    ``participants`` is how many employees attended. When attendees are named (``attendees``,
    shared ``directory.Person`` rows) the count is at least their number, and the participation
    figures count each named person once however many sessions they attended.
    """

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="safety_trainings"
    )
    area = area_field("safety_trainings")
    campaign = campaign_field()
    held_on = models.DateField(_("took place on"))
    topic = models.CharField(_("topic"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices, default=TrainingKind.ALL_STAFF)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    attendees = models.ManyToManyField(
        "directory.Person", verbose_name=_("named attendees"), blank=True, related_name="safety_trainings"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "held_on"], name="safety_training_ent_day")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.held_on} · {self.topic}"


class Exam(EnterpriseAreaMixin, ScopedModel):
    """An exam an enterprise held for its employees: how many sat it, how many passed."""

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="safety_exams"
    )
    area = area_field("safety_exams")
    campaign = campaign_field()
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exams",
        help_text=_("The training the exam concluded, if any."),
    )
    held_on = models.DateField(_("took place on"))
    title = models.CharField(_("title"), max_length=200)
    candidates = models.PositiveIntegerField(_("candidates"))
    passed = models.PositiveIntegerField(_("passed"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "held_on"], name="safety_exam_ent_day")]
        constraints = [
            models.CheckConstraint(condition=Q(passed__lte=F("candidates")), name="safety_exam_passed_le_candidates")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.held_on} · {self.title}"

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.candidates)


# --- S14: spot tests and certificate checks -------------------------------------------------
class SpotTest(EnterpriseAreaMixin, ScopedModel):
    """An officer tested randomly chosen employees of an enterprise on one day (抽测).

    ``pass_mark`` is the ``safety.spot_test.pass_mark`` policy in force on ``tested_on`` (derived,
    kept so that a later change of the rule does not rewrite old results). When results are
    recorded per employee, ``tested`` and ``passed`` are counted from them.
    """

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="safety_spot_tests"
    )
    area = area_field("safety_spot_tests")
    campaign = campaign_field()
    tested_on = models.DateField(_("tested on"))
    officer = models.CharField(_("testing officer"), max_length=100)
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("officer's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safety_spot_tests",
    )
    subject = models.CharField(_("what was tested"), max_length=200, blank=True)
    tested = models.PositiveIntegerField(_("employees tested"), default=0)
    passed = models.PositiveIntegerField(_("employees passed"), default=0)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=1, null=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("pass_mark",)

    class Meta:
        verbose_name = _("spot test")
        verbose_name_plural = _("spot tests")
        ordering = ["-tested_on", "-id"]
        indexes = [models.Index(fields=["tested_on"], name="safety_spot_test_day")]
        constraints = [
            models.CheckConstraint(condition=Q(passed__lte=F("tested")), name="safety_spot_test_passed_le_tested")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.tested_on}"

    @property
    def pass_rate(self) -> Decimal | None:
        return rate(self.passed, self.tested)


class SpotTestResult(ScopedModel):
    """One employee's score in a spot test; ``passed`` is derived from the test's pass mark."""

    scope_area_field = "spot_test__area"

    spot_test = models.ForeignKey(
        SpotTest, verbose_name=_("spot test"), on_delete=models.CASCADE, related_name="results"
    )
    employee = models.ForeignKey(
        "directory.Person", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="safety_spot_results"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    passed = models.BooleanField(_("passed"), default=False, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("passed",)

    class Meta:
        verbose_name = _("spot-test result")
        verbose_name_plural = _("spot-test results")
        ordering = ["spot_test", "id"]
        constraints = [
            models.UniqueConstraint(fields=["spot_test", "employee"], name="safety_spot_result_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="safety_spot_result_score_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.spot_test} · {self.employee}"


class CertificateKind(models.TextChoices):
    PRINCIPAL = "principal", _("principal's safety certificate")  # 主要负责人安全生产知识和管理能力考核合格证
    SAFETY_MANAGER = "safety_manager", _("safety manager's certificate")  # 安全生产管理人员 …合格证
    SPECIAL_OPERATION = "special_operation", _("special-operation certificate")  # 特种作业操作证


class CertificateResult(models.TextChoices):
    VALID = "valid", _("genuine and valid")
    EXPIRED = "expired", _("expired")
    FORGED = "forged", _("forged")
    HOLDER_MISMATCH = "holder_mismatch", _("holder mismatch")


def certificate_result(
    *, found_in_register: bool, holder_matches: bool, valid_until: dt.date | None, checked_on: dt.date
) -> str:
    """The outcome of a check: a number the issuing authority does not hold is forged; a genuine
    certificate carried by someone else is a holder mismatch; a genuine one past its last valid
    day is expired; otherwise it is genuine and valid."""
    if not found_in_register:
        return CertificateResult.FORGED
    if not holder_matches:
        return CertificateResult.HOLDER_MISMATCH
    if valid_until is not None and checked_on > valid_until:
        return CertificateResult.EXPIRED
    return CertificateResult.VALID


class CertificateCheck(EnterpriseAreaMixin, ScopedModel):
    """A check of one person's safety qualification certificate at an enterprise (证书核查).

    The officer records what the certificate says and two findings — whether the issuing
    authority's register holds it (``found_in_register``) and whether the person carrying it is
    its holder (``holder_matches``; also false when the ID number on it differs from the named
    person's). ``result`` is derived (``certificate_result``).
    """

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="safety_certificate_checks",
    )
    area = area_field("safety_certificate_checks")
    campaign = campaign_field()
    checked_on = models.DateField(_("checked on"))
    inspector = models.CharField(_("inspector"), max_length=100)
    holder = models.ForeignKey(
        "directory.Person",
        verbose_name=_("holder (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safety_certificate_checks",
    )
    holder_name = models.CharField(_("holder's name on the certificate"), max_length=50)
    holder_id_number = models.CharField(
        _("holder's resident ID number on the certificate"), max_length=18, blank=True, validators=[validate_id_number]
    )
    kind = models.CharField(_("certificate kind"), max_length=20, choices=CertificateKind.choices)
    operation_type = models.CharField(
        _("operation type"),
        max_length=60,
        blank=True,
        help_text=_("For special operations, e.g. 电工作业, 焊接与热切割作业"),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(
        _("certificate valid until"),
        null=True,
        blank=True,
        help_text=_("The last valid day; derived from the issue date if empty."),
    )
    found_in_register = models.BooleanField(_("found in the issuing authority's register"), default=True)
    holder_matches = models.BooleanField(_("carried by its holder"), default=True)
    result = models.CharField(
        _("check result"), max_length=20, choices=CertificateResult.choices, editable=False, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("result",)

    class Meta:
        verbose_name = _("certificate check")
        verbose_name_plural = _("certificate checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["certificate_number"], name="safety_cert_number")]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on")),
                name="safety_cert_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.get_kind_display()} {self.certificate_number}"


# --- S15: publicity, broadcasts, public-service ads -----------------------------------------
class PublicityTarget(models.TextChoices):
    """The "五进": into enterprises, villages, communities, schools and families."""

    ENTERPRISE = "enterprise", _("into enterprises")
    VILLAGE = "village", _("into villages")
    COMMUNITY = "community", _("into communities")
    SCHOOL = "school", _("into schools")
    FAMILY = "family", _("into families")


IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


class PublicServiceAd(TimeStampedModel):
    """A public-service ad (公益广告) of the library: a slogan or text, an optional picture, tags.
    Installation-wide: every county may use it in publicity and broadcasts."""

    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("ad text"))
    image = models.CharField(
        _("image"), max_length=200, blank=True, editable=False, help_text=_("The picture's name in the file storage.")
    )
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Separated by commas"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = InstallationQuerySet.as_manager()

    class Meta:
        verbose_name = _("public-service ad")
        verbose_name_plural = _("public-service ads")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("safety_training:publicservicead_detail", args=[self.pk])

    @property
    def image_type(self) -> str:
        return IMAGE_TYPES.get(self.image.rsplit(".", 1)[-1], "application/octet-stream") if self.image else ""

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.replace("，", ",").split(",") if t.strip()]


class PublicityActivity(ScopedModel):
    """One publicity activity of the "五进" (安全宣传进企业、进农村、进社区、进学校、进家庭)."""

    target = models.CharField(_("target"), max_length=16, choices=PublicityTarget.choices, db_index=True)
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="safety_publicity"
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safety_publicity",
        help_text=_("For activities in an enterprise"),
    )
    campaign = campaign_field()
    held_on = models.DateField(_("took place on"))
    title = models.CharField(_("title"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    ad = models.ForeignKey(
        PublicServiceAd,
        verbose_name=_("public-service ad"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    summary = models.TextField(_("summary"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("publicity activity")
        verbose_name_plural = _("publicity activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"], name="safety_publicity_day")]

    def __str__(self) -> str:
        return f"{self.get_target_display()} · {self.held_on} · {self.title}"


class BroadcastState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    LIVE = "live", _("live")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


class Broadcast(ConcurrentTransitionMixin, ScopedModel):
    """A rolling safety prompt or warning (滚动播发安全提示、警示信息) for an Area and a time window.

    While live it is an alert of rule ``safety.broadcast`` about this row in its Area, so every
    user with alert rights over the Area gets it in the app and, by their preferences, by email or
    the SMS webhook. Withdrawing it or the end of its window closes the alert. States move only
    through the transitions (services ``do_create_broadcast``, ``do_withdraw_broadcast``, the scan).
    """

    area = models.ForeignKey(
        "directory.Area", verbose_name=_("target area"), on_delete=models.PROTECT, related_name="safety_broadcasts"
    )
    title = models.CharField(_("title"), max_length=100)
    message = models.TextField(_("broadcast message"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.BLUE)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    ad = models.ForeignKey(
        PublicServiceAd,
        verbose_name=_("public-service ad"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadcasts",
    )
    # Not ``protected``: the generic create service runs ``full_clean``, which assigns every field; only
    # the transitions change it (services; the forms and the API do not expose it).
    state = FSMField(_("state"), max_length=16, choices=BroadcastState.choices, default=BroadcastState.SCHEDULED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("safety broadcast")
        verbose_name_plural = _("safety broadcasts")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["starts_at"], condition=Q(state="scheduled"), name="safety_broadcast_due"),
            models.Index(
                fields=["ends_at"], condition=Q(state__in=["scheduled", "live"]), name="safety_broadcast_open"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="safety_broadcast_window_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def is_in_window(self, now: dt.datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    # --- transitions (run only through jiceng.safety.training.services) ---------------------
    @transition(field=state, source=BroadcastState.SCHEDULED, target=BroadcastState.LIVE)
    def publish(self) -> None:
        """Its window has begun: send it (the system, at creation or from the scan)."""
        self.published_at = timezone.now()

    @transition(
        field=state,
        source=[BroadcastState.SCHEDULED, BroadcastState.LIVE],
        target=BroadcastState.WITHDRAWN,
        permission="change",
    )
    def withdraw(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=[BroadcastState.SCHEDULED, BroadcastState.LIVE], target=BroadcastState.EXPIRED)
    def expire(self) -> None:
        """Its window has ended (the system, from the scan)."""
        self.closed_at = timezone.now()
