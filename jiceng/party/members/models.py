"""Party members and the development pipeline (发展党员): one record per person.

The record follows a person from application (入党申请人) to full membership (正式党员):
``stage`` moves only through the transitions in ``transitions.py`` (guards from
《中国共产党发展党员工作细则》), and the milestone dates record when each step happened.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from jiceng.core.models import ScopedModel
from jiceng.core.workflow.guards import evaluation_date
from jiceng.party.members import rules
from jiceng.party.models import OrgAreaMixin


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("applicant")  # 入党申请人
    ACTIVIST = "activist", _("activist")  # 入党积极分子
    CANDIDATE = "candidate", _("development candidate")  # 发展对象
    PROBATIONARY = "probationary", _("probationary member")  # 预备党员
    FULL = "full", _("full member")  # 正式党员
    CANCELLED = "cancelled", _("probation cancelled")  # 取消预备党员资格
    WITHDRAWN = "withdrawn", _("left the pipeline")  # 退出发展队伍


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    LOST_CONTACT = "lost_contact", _("lost contact")  # 失联
    SUSPENDED = "suspended", _("membership suspended")  # 停止党籍
    TRANSFERRED_OUT = "transferred_out", _("transferred out")  # 组织关系转出
    REMOVED = "removed", _("removed")  # 除名/出党
    DECEASED = "deceased", _("deceased")


class DuesCategory(models.TextChoices):
    """Which dues rule applies (rules.md §3)."""

    SALARIED = "salaried", _("salaried")
    RETIRED = "retired", _("retired")
    FARMER = "farmer", _("farmer")
    STUDENT = "student", _("student")
    UNEMPLOYED = "unemployed", _("unemployed or on relief")
    OTHER = "other", _("other")


class PartyMember(ConcurrentTransitionMixin, OrgAreaMixin, ScopedModel):
    """A person's party record, from applicant to full member, in one organisation (branch).

    ``area`` is the organisation's area, copied on every save so that scope needs no join.
    """

    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="party_member"
    )
    org = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="members"
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="party_members",
        editable=False,
    )
    # Not ``protected``: a record registered at a later stage (a member admitted before Jiceng)
    # is created with its stage; after that only transitions change it (services, API refuse).
    stage = FSMField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT)
    status = models.CharField(
        _("membership status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    # Milestones (each the date the step took effect).
    applied_on = models.DateField(_("applied on"), null=True, blank=True)  # 递交入党申请书
    activist_on = models.DateField(_("activist since"), null=True, blank=True)  # 确定为入党积极分子
    candidate_on = models.DateField(_("candidate since"), null=True, blank=True)  # 列为发展对象
    probationary_on = models.DateField(_("admitted on"), null=True, blank=True)  # 支部大会通过（预备期起算）
    probation_ends_on = models.DateField(_("probation ends on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)  # 转正（党龄起算）
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # Facts other rules need.
    dues_category = models.CharField(
        _("dues category"), max_length=16, choices=DuesCategory.choices, default=DuesCategory.SALARIED
    )
    under_probation_discipline = models.BooleanField(
        _("under probation within the party"), default=False, help_text=_("留党察看: cannot sponsor applicants")
    )
    planned_departure_on = models.DateField(
        _("planned departure"),
        null=True,
        blank=True,
        help_text=_("Leaving the unit (blocks admission within 3 months)"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["org", "person__name"]
        indexes = [models.Index(fields=["stage", "area"], name="party_member_stage_area_idx")]

    def __str__(self) -> str:
        return str(self.person)

    # --- the pipeline (run through jiceng.party.members.services.do_transition) ---------------
    # The date a transition runs "on" is the date of the step: the branch vote for admission.
    @transition(
        field=stage, source=Stage.APPLICANT, target=Stage.ACTIVIST, conditions=[rules.TO_ACTIVIST], permission="change"
    )
    def make_activist(self) -> None:
        self.activist_on = evaluation_date()

    @transition(
        field=stage, source=Stage.ACTIVIST, target=Stage.CANDIDATE, conditions=[rules.TO_CANDIDATE], permission="change"
    )
    def make_candidate(self) -> None:
        self.candidate_on = evaluation_date()

    @transition(
        field=stage,
        source=Stage.CANDIDATE,
        target=Stage.PROBATIONARY,
        conditions=[rules.TO_PROBATIONARY],
        permission="change",
    )
    def admit(self) -> None:
        self.probationary_on = evaluation_date()
        months = rules.policy("party.development.probation_months", self, self.probationary_on).value
        self.probation_ends_on = rules.add_months(self.probationary_on, months)

    @transition(
        field=stage, source=Stage.PROBATIONARY, target=Stage.FULL, conditions=[rules.TO_FULL], permission="change"
    )
    def convert(self) -> None:
        # Seniority counts from the end of the probation, not from the approval (党章第七条).
        self.full_on = self.probation_ends_on

    @transition(
        field=stage,
        source=Stage.PROBATIONARY,
        target=Stage.PROBATIONARY,
        conditions=[rules.EXTEND],
        permission="change",
    )
    def extend_probation(self, months: int) -> None:
        assert self.probation_ends_on is not None
        self.probation_ends_on = rules.add_months(self.probation_ends_on, months)

    @transition(
        field=stage, source=Stage.PROBATIONARY, target=Stage.CANCELLED, conditions=[rules.CANCEL], permission="change"
    )
    def cancel(self) -> None:
        self.left_on = evaluation_date()

    @transition(
        field=stage,
        source=[Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE],
        target=Stage.WITHDRAWN,
        permission="change",
    )
    def withdraw(self) -> None:
        self.left_on = evaluation_date()


# --- the milestone records -------------------------------------------------------------------
class MemberRecord(ScopedModel):
    """A dated record about one member's development; scoped through the member's area."""

    scope_area_field = "member__area"

    member = models.ForeignKey(PartyMember, verbose_name=_("member"), on_delete=models.CASCADE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.member}"


class ApplicationTalk(MemberRecord):
    """The talk with an applicant (党组织派人谈话), due within a month of the application."""

    talked_on = models.DateField(_("talked on"))
    talker = models.CharField(_("talked with by"), max_length=50)

    class Meta:
        verbose_name = _("application talk")
        verbose_name_plural = _("application talks")
        ordering = ["-talked_on"]
        default_related_name = "talks"


class Mentor(MemberRecord):
    """A full member assigned to train an activist (培养联系人); 1–2 at a time."""

    mentor = models.ForeignKey(
        PartyMember, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentoring"
    )
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("activist mentor")
        verbose_name_plural = _("activist mentors")
        ordering = ["assigned_on"]
        default_related_name = "mentors"


class ActivistReview(MemberRecord):
    """The branch's half-yearly assessment of an activist (每半年考察一次)."""

    reviewed_on = models.DateField(_("reviewed on"))
    conclusion = models.CharField(_("conclusion"), max_length=300)

    class Meta:
        verbose_name = _("activist review")
        verbose_name_plural = _("activist reviews")
        ordering = ["reviewed_on"]
        default_related_name = "reviews"


class Sponsor(MemberRecord):
    """An introducer (入党介绍人): a full member not under probation within the party."""

    sponsor = models.ForeignKey(
        PartyMember, verbose_name=_("sponsor"), on_delete=models.PROTECT, related_name="sponsoring"
    )
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        ordering = ["since"]
        default_related_name = "sponsors"
        constraints = [models.UniqueConstraint(fields=["member", "sponsor"], name="party_sponsor_once")]


class PoliticalReview(MemberRecord):
    """The political review (政治审查) with its written conclusion."""

    concluded_on = models.DateField(_("concluded on"))
    conclusion = models.TextField(_("written conclusion"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("political review")
        verbose_name_plural = _("political reviews")
        ordering = ["-concluded_on"]
        default_related_name = "political_reviews"


class Training(MemberRecord):
    """Collective training of a candidate (短期集中培训): days and class hours."""

    course = models.CharField(_("course"), max_length=200)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"))
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    hours = models.DecimalField(_("class hours"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["started_on"]
        default_related_name = "trainings"


class NoticePurpose(models.TextChoices):
    ACTIVIST = "activist", _("naming an activist")
    CANDIDATE = "candidate", _("naming a candidate")
    ADMISSION = "admission", _("admission as probationary member")
    CONVERSION = "conversion", _("conversion to full member")


class PublicNotice(MemberRecord):
    """A public notice (公示) before a step; its length is counted in Chinese workdays."""

    purpose = models.CharField(_("purpose"), max_length=16, choices=NoticePurpose.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objections = models.TextField(_("objections received"), blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["starts_on"]
        default_related_name = "notices"


class VotePurpose(models.TextChoices):
    ADMISSION = "admission", _("admission")
    CONVERSION = "conversion", _("conversion")
    EXTENSION = "extension", _("extension of probation")
    CANCELLATION = "cancellation", _("cancellation")


class BranchVote(MemberRecord):
    """A branch general meeting's vote on one person (逐个表决).

    Both quorums count against the members *expected* to vote (应到), not those present;
    written opinions of absent full members count as votes.
    """

    purpose = models.CharField(_("purpose"), max_length=16, choices=VotePurpose.choices)
    held_on = models.DateField(_("held on"))
    expected_voters = models.PositiveIntegerField(_("full members expected to vote"))
    present_voters = models.PositiveIntegerField(_("voting members present"))
    in_favour = models.PositiveIntegerField(_("in favour (present)"))
    written_in_favour = models.PositiveIntegerField(_("in favour (written opinions)"), default=0)

    class Meta:
        verbose_name = _("branch vote")
        verbose_name_plural = _("branch votes")
        ordering = ["held_on"]
        default_related_name = "votes"


class Approval(MemberRecord):
    """The higher committee's decision on a branch resolution (基层党委审批)."""

    purpose = models.CharField(_("purpose"), max_length=16, choices=VotePurpose.choices)
    decided_on = models.DateField(_("decided on"))
    approved = models.BooleanField(_("approved"))
    delay_reason = models.CharField(
        _("reason for a late decision"), max_length=300, blank=True, help_text=_("Needed after 3 months")
    )

    class Meta:
        verbose_name = _("committee approval")
        verbose_name_plural = _("committee approvals")
        ordering = ["decided_on"]
        default_related_name = "approvals"


class ProbationExtension(MemberRecord):
    """The one extension of a probation (延长预备期), 6–12 months."""

    decided_on = models.DateField(_("decided on"))
    months = models.PositiveSmallIntegerField(_("months"))

    class Meta:
        verbose_name = _("probation extension")
        verbose_name_plural = _("probation extensions")
        default_related_name = "extensions"


class MentorPairing(MemberRecord):
    """雏雁伴飞: a new member paired with a mentor for the first years of membership."""

    mentor = models.ForeignKey(
        PartyMember, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="new_member_pairings"
    )
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("new-member mentor pairing")
        verbose_name_plural = _("new-member mentor pairings")
        ordering = ["-started_on"]
        default_related_name = "pairings"


class MentoringActivity(ScopedModel):
    scope_area_field = "pairing__member__area"

    pairing = models.ForeignKey(
        MentorPairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("held on"))
    summary = models.CharField(_("summary"), max_length=300)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("mentoring activity")
        verbose_name_plural = _("mentoring activities")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.pairing} {self.held_on}"
