"""Safety training, spot tests, certificate checks and publicity of the demo city (catalogue S13–S15).

The seed article's figures are demo constants here, scaled with ``ctx.scale`` and written as rows;
the pages compute them back from the rows:

- S13: 「全市共有5740家企业组织165869名职工参加"大学习、大培训、大考试"专项行动」. The real city has
  5,740 enterprises; the demo has about 1,800 (and safety profiles for about 740 of them), so the
  scaled worker total (165,869 × scale) is spread over the demo enterprises under supervision in
  proportion to their employees: one all-staff session and one exam each in the campaign. The
  enterprise count of the seed cannot be reproduced and is not.
- S14: 118 enterprises spot-tested, 997 employees tested, 100 % passed (three tests with a score
  per employee); certificate checks, one of them expired and one forged (both raise alerts).
- S15: "五进" activities across the five targets (made-up counts), the public-service ad of seed
  002 「安全生产 是民生大事 一丝一毫 不能放松」, and one live broadcast to the demo township.

Exam pass rates, certificate numbers, activity titles and participant counts are made up.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.alerts.models import Severity
from jiceng.core.dates import add_months
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import DEMO_COUNTY_CODE, DEMO_TOWNSHIP_CODE, scaled
from jiceng.directory.models import Area, AreaKind, Person
from jiceng.safety.models import SafetyProfile
from jiceng.safety.training import rules, services
from jiceng.safety.training.models import (
    CampaignKind,
    CertificateCheck,
    CertificateKind,
    Exam,
    PublicityActivity,
    PublicityTarget,
    PublicServiceAd,
    SpotTest,
    SpotTestResult,
    TrainingCampaign,
    TrainingKind,
    TrainingSession,
    certificate_result,
)

# Catalogue S13 (seed 000): the "三大" action of the city.
THREE_BIGS_ENTERPRISES = 5_740  # the real city's count, more than the demo has (see the docstring)
THREE_BIGS_WORKERS = 165_869
# Catalogue S14 (seed 000): 「对118家企业组织开展抽测活动，共抽测员工997人，抽测合格率100%」.
SPOT_TESTED_ENTERPRISES = 118
SPOT_TESTED_EMPLOYEES = 997
TESTS_WITH_SCORES = 3  # of the spot tests, those recorded with a score per employee
# Catalogue S15 (seed 002): the public-service ad.
AD_TITLE = "安全生产公益广告"
AD_TEXT = "安全生产 是民生大事 一丝一毫 不能放松"
# Made up around them.
EXAM_PASS_SHARE = (0.9, 1.0)
CERTIFICATE_CHECKS = 40  # at least one expired, one forged and two valid at any scale
PUBLICITY = {
    PublicityTarget.ENTERPRISE: 60,
    PublicityTarget.VILLAGE: 90,
    PublicityTarget.COMMUNITY: 30,
    PublicityTarget.SCHOOL: 45,
    PublicityTarget.FAMILY: 75,
}
PUBLICITY_TITLES = {
    PublicityTarget.ENTERPRISE: ["安全生产月宣传进企业", "有限空间作业安全宣讲", "消防安全知识进车间"],
    PublicityTarget.VILLAGE: ["农村用电用气安全宣传", "农机安全宣传下乡", "防溺水宣传进村"],
    PublicityTarget.COMMUNITY: ["燃气安全进社区", "电动自行车充电安全宣传", "社区应急演练"],
    PublicityTarget.SCHOOL: ["安全教育第一课", "校园消防疏散演练", "交通安全进课堂"],
    PublicityTarget.FAMILY: ["家庭用火用电安全入户宣传", "燃气泄漏自查入户指导", "安全明白纸进家庭"],
}
TOPICS = ["“大学习、大培训、大考试”全员安全培训", "安全生产法律法规与岗位操作规程", "事故案例警示教育"]
INSPECTORS = ["县应急管理局执法大队", "市应急管理局执法支队"]
OPERATION_TYPES = ["电工作业", "焊接与热切割作业", "高处作业", "危险化学品安全作业"]
AUTHORITY = "聊城市应急管理局"
BROADCAST_TITLE = "安全生产提示"
BROADCAST_DAYS = 7


def build(ctx: Any) -> None:
    if TrainingCampaign.objects.filter(is_demo=True).exists():
        ctx.figures["safety training"] = "demo already present; nothing added"
        return
    profiles = list(
        SafetyProfile.objects.filter(is_demo=True).select_related("enterprise", "area").order_by("enterprise_id")
    )
    if not profiles:
        return
    rng = random.Random(f"{ctx.rng.random()}-safety-training")
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    if (today - start).days < 60:
        start = dt.date(today.year - 1, 1, 1)
    end = dt.date(start.year, 12, 31)
    training, antifraud = do_bulk_create(
        TrainingCampaign,
        [
            TrainingCampaign(
                name=f"{start.year}年“大学习、大培训、大考试”专项行动",
                kind=CampaignKind.TRAINING,
                starts_on=start,
                ends_on=end,
                description="推动常态化全员安全培训覆盖到全行业、全领域、全链条、全岗位。",
                is_demo=True,
            ),
            TrainingCampaign(
                name=f"{start.year}年安全资格证“打假”和培训“走过场”专项行动",
                kind=CampaignKind.ANTIFRAUD,
                starts_on=start,
                ends_on=end,
                description="围绕安全培训机构、考试场所、生产经营单位等3类主体开展专项整治。",
                is_demo=True,
            ),
        ],
        acting_user=None,
        comment="demo data",
    )
    last = min(today, end)
    build_training(ctx, rng, profiles, training, last)
    tested = build_spot_tests(ctx, rng, profiles, antifraud, last)
    build_certificate_checks(ctx, rng, tested or profiles, antifraud, last)
    (ad,) = do_bulk_create(
        PublicServiceAd,
        [
            PublicServiceAd(
                title=AD_TITLE, text=AD_TEXT, tags="安全生产,公益广告,标语", source="种子文章 002", is_demo=True
            )
        ],
        acting_user=None,
        comment="demo data",
    )
    build_publicity(ctx, rng, profiles, ad, today)
    build_broadcast(ctx, ad)


def _spread(total: int, weights: list[int]) -> list[int]:
    """``total`` in proportion to ``weights`` (largest remainder), none above its weight."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    total = min(total, whole)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return [min(c, w) for c, w in zip(counts, weights, strict=True)]


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, max(parts, 1))
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _day(rng: random.Random, start: dt.date, last: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((last - start).days, 0)))


def build_training(
    ctx: Any, rng: random.Random, profiles: list[SafetyProfile], campaign: TrainingCampaign, last: dt.date
) -> None:
    """One all-staff session and one exam per enterprise, the workers spread by employees."""
    workers = _spread(scaled(THREE_BIGS_WORKERS, ctx.scale), [p.employees for p in profiles])
    sessions, exams = [], []
    for profile, trained in zip(profiles, workers, strict=True):
        if not trained:
            continue
        held_on = _day(rng, campaign.starts_on, last)
        sessions.append(
            TrainingSession(
                enterprise=profile.enterprise,
                area=profile.area,
                campaign=campaign,
                held_on=held_on,
                topic=rng.choice(TOPICS),
                kind=TrainingKind.ALL_STAFF,
                trainer=profile.safety_manager or "企业安全管理人员",
                hours=rng.choice([2, 4, 8]),
                participants=trained,
                is_demo=True,
            )
        )
        exams.append(
            Exam(
                enterprise=profile.enterprise,
                area=profile.area,
                campaign=campaign,
                held_on=min(held_on + dt.timedelta(days=rng.randint(0, 14)), last),
                title="“大考试”安全知识考试",
                candidates=trained,
                passed=round(trained * rng.uniform(*EXAM_PASS_SHARE)),
                is_demo=True,
            )
        )
    sessions = do_bulk_create(TrainingSession, sessions, acting_user=None, comment="demo data")
    for exam, session in zip(exams, sessions, strict=True):
        exam.session = session
    do_bulk_create(Exam, exams, acting_user=None, comment="demo data")
    ctx.figures["safety training sessions"] = len(sessions)
    ctx.figures["workers trained (three bigs)"] = sum(s.participants for s in sessions)


def _people_near(area_path: str, count: int, taken: set[int]) -> list[Person]:
    township = "/".join(area_path.split("/")[:-2]) + "/"
    pool = (
        Person.objects.filter(is_demo=True, area__path__startswith=township)
        .exclude(pk__in=taken)
        .order_by("id")[: count * 3]
    )
    chosen = list(pool)[:count]
    taken.update(p.pk for p in chosen)
    return chosen


def build_spot_tests(
    ctx: Any, rng: random.Random, profiles: list[SafetyProfile], campaign: TrainingCampaign, last: dt.date
) -> list[SafetyProfile]:
    """118 enterprises × scale, 997 employees × scale, every one passed."""
    chosen = sorted(
        rng.sample(profiles, min(scaled(SPOT_TESTED_ENTERPRISES, ctx.scale), len(profiles))), key=lambda p: p.pk
    )
    counts = _split(scaled(SPOT_TESTED_EMPLOYEES, ctx.scale), len(chosen))
    tests = []
    for profile, count in zip(chosen, counts, strict=True):
        tested_on = _day(rng, campaign.starts_on, last)
        tests.append(
            SpotTest(
                enterprise=profile.enterprise,
                area=profile.area,
                campaign=campaign,
                tested_on=tested_on,
                officer=rng.choice(INSPECTORS),
                subject="岗位安全操作规程、应急处置",
                tested=count,
                passed=count,
                pass_mark=rules.pass_mark(profile.area.path, tested_on).value,
                is_demo=True,
            )
        )
    tests = do_bulk_create(SpotTest, tests, acting_user=None, comment="demo data")
    results: list[SpotTestResult] = []
    taken: set[int] = set()
    for test in tests[:TESTS_WITH_SCORES]:
        people = _people_near(test.area.path, test.tested, taken)
        if len(people) < test.tested:
            continue  # too few demo people nearby at this scale: the test keeps its counts only
        for person in people:
            mark = Decimal(test.pass_mark)
            score = mark + Decimal(rng.randint(0, int((100 - mark) * 2))) / 2
            results.append(
                SpotTestResult(
                    spot_test=test, employee=person, score=score, passed=score >= test.pass_mark, is_demo=True
                )
            )
    do_bulk_create(SpotTestResult, results, acting_user=None, comment="demo data")
    ctx.figures["spot-tested enterprises"] = len(tests)
    ctx.figures["employees spot-tested"] = sum(t.tested for t in tests)
    return chosen


def _certificate(
    rng: random.Random, profile: SafetyProfile, holder: Person, kind: str, checked_on: dt.date, campaign: Any, n: int
) -> dict[str, Any]:
    return {
        "enterprise": profile.enterprise,
        "campaign": campaign,
        "checked_on": checked_on,
        "inspector": rng.choice(INSPECTORS),
        "holder": holder,
        "holder_name": holder.name,
        "holder_id_number": holder.id_number,
        "kind": kind,
        "operation_type": rng.choice(OPERATION_TYPES) if kind == CertificateKind.SPECIAL_OPERATION else "",
        "certificate_number": f"T{holder.id_number}" if kind == CertificateKind.SPECIAL_OPERATION else f"37{n:08d}",
        "issuing_authority": AUTHORITY,
        "is_demo": True,
    }


def build_certificate_checks(
    ctx: Any, rng: random.Random, profiles: list[SafetyProfile], campaign: TrainingCampaign, last: dt.date
) -> None:
    """Checks at spot-tested enterprises: genuine ones in bulk, one expired and one forged through the
    service (they raise their alerts)."""
    total = max(scaled(CERTIFICATE_CHECKS, ctx.scale), 4)
    kinds = [CertificateKind.SPECIAL_OPERATION] * 3 + [CertificateKind.PRINCIPAL, CertificateKind.SAFETY_MANAGER]
    taken: set[int] = set()
    rows: list[CertificateCheck] = []
    for n in range(total):
        profile = profiles[n % len(profiles)]
        people = _people_near(profile.area.path, 1, taken)
        if not people:
            continue
        kind = kinds[n % len(kinds)]
        checked_on = _day(rng, campaign.starts_on, last)
        data = _certificate(rng, profile, people[0], kind, checked_on, campaign, n)
        if n == 0:  # expired 40 days before the check
            until = checked_on - dt.timedelta(days=40)
            validity = rules.certificate_validity(kind, profile.area.path, checked_on).value
            services.do_create_certificate_check(
                data={**data, "issued_on": add_months(until, -validity), "valid_until": until}, acting_user=None
            )
            continue
        if n == 1:  # not in the issuing authority's register
            issued = checked_on - dt.timedelta(days=rng.randint(60, 700))
            services.do_create_certificate_check(
                data={**data, "issued_on": issued, "found_in_register": False}, acting_user=None
            )
            continue
        issued = checked_on - dt.timedelta(days=rng.randint(60, 900))
        until = add_months(issued, rules.certificate_validity(kind, profile.area.path, issued).value)
        row = CertificateCheck(area=profile.area, issued_on=issued, valid_until=until, **data)
        row.result = certificate_result(
            found_in_register=True, holder_matches=True, valid_until=until, checked_on=checked_on
        )
        rows.append(row)
    do_bulk_create(CertificateCheck, rows, acting_user=None, comment="demo data")
    ctx.figures["certificate checks"] = CertificateCheck.objects.filter(is_demo=True).count()


def build_publicity(
    ctx: Any, rng: random.Random, profiles: list[SafetyProfile], ad: PublicServiceAd, today: dt.date
) -> None:
    """The "五进" across the demo county's villages, communities, schools, families and enterprises."""
    county = Area.objects.filter(code=DEMO_COUNTY_CODE).values_list("path", flat=True).first() or ""
    local = Area.objects.filter(is_demo=True, path__startswith=county)
    villages = list(local.filter(kind=AreaKind.VILLAGE).order_by("code"))
    communities = list(Area.objects.filter(is_demo=True, kind=AreaKind.COMMUNITY).order_by("code")) or villages
    townships = list(local.filter(level="township").order_by("code"))
    if not villages or not townships:
        return
    since = today - dt.timedelta(days=300)
    rows = []
    for target, count in PUBLICITY.items():
        for n in range(scaled(count, ctx.scale)):
            enterprise = None
            if target == PublicityTarget.ENTERPRISE:
                profile = profiles[rng.randrange(len(profiles))]
                enterprise, area, venue = profile.enterprise, profile.area, profile.enterprise.name
            elif target == PublicityTarget.COMMUNITY:
                area = communities[n % len(communities)]
                venue = f"{area.name}党群服务中心"
            elif target == PublicityTarget.SCHOOL:
                area = townships[n % len(townships)]
                venue = f"{area.name}中心小学"
            else:
                area = villages[rng.randrange(len(villages))]
                venue = f"{area.name}文化广场" if target == PublicityTarget.VILLAGE else f"{area.name}农户家中"
            rows.append(
                PublicityActivity(
                    target=target,
                    area=area,
                    enterprise=enterprise,
                    held_on=_day(rng, since, today),
                    title=rng.choice(PUBLICITY_TITLES[target]),
                    organiser="县应急管理局",
                    venue=venue,
                    participants=rng.randint(3, 8) if target == PublicityTarget.FAMILY else rng.randint(20, 300),
                    ad=ad if n % 3 == 0 else None,
                    is_demo=True,
                )
            )
    do_bulk_create(PublicityActivity, rows, acting_user=None, comment="demo data")
    ctx.figures["publicity activities"] = len(rows)


def build_broadcast(ctx: Any, ad: PublicServiceAd) -> None:
    """One live broadcast to the demo township (through the service: it goes out as an alert to the
    township's safety staff and, above it, the county's and the city's)."""
    township = Area.objects.filter(code=DEMO_TOWNSHIP_CODE).first()
    if township is None:
        return
    now = timezone.now()
    services.do_create_broadcast(
        data={
            "area": township,
            "title": BROADCAST_TITLE,
            "message": f"{AD_TEXT}。请各企业落实全员安全生产责任制，开展隐患自查自改。",
            "severity": Severity.YELLOW,
            "ad": ad,
            "starts_at": now - dt.timedelta(hours=1),
            "ends_at": now + dt.timedelta(days=BROADCAST_DAYS),
            "is_demo": True,
        },
        acting_user=None,
        now=now,
    )
    ctx.figures["live broadcasts"] = 1
