"""Consultation and outreach in the demo district 东昌府区 (371502000000; seed 003 for E10, seed 001 for
E14–E17). It reads the schools, classes, teachers and students of the base education demo.

- the 2026 enrolment policy, published (with its public QR page);
- the summer 2026 enrolment season: ``SEASON_DAYS`` days from ``SEASON_START`` with about
  ``TICKETS_PER_DAY`` calls and visits a day × scale (「每天接受来电来访200多人次」), every one
  answered and called back within its deadline (「确保100%回访」); plus a handful of recent tickets:
  ``RECENT_DUE`` still within their deadline and ``RECENT_OVERDUE`` past it (→ the overdue alert,
  raised by running the deadline scan);
- study groups for up to ``GROUP_SCHOOLS`` rural schools, one per village where they have
  students, except one village of the first school (the coverage gap), with the leaders' logs of
  the National Day holiday and patrol visits;
- theme class meetings with reflections (some selected for 《映山红》, a few published outside);
- aid and results for the registered poor students of the district (a few are flagged first if the
  base demo flagged none);
- home–school–community activities of the same schools.

Idempotent: each part is skipped when its demo rows exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.deadlines.models import LOCAL_TZ, DeadlineState
from jiceng.core.deadlines.scanner import scan_deadlines
from jiceng.core.services import do_bulk_create, do_create
from jiceng.directory.demo import scaled
from jiceng.directory.models import Area
from jiceng.education.models import Enrollment, School, SchoolClass, Student, Teacher
from jiceng.education.outreach import rules, services
from jiceng.education.outreach.choices import (
    ActivityKind,
    AidKind,
    CallbackOutcome,
    Channel,
    MediaLevel,
    MeetingFormat,
    QuestionCategory,
    VenueKind,
)
from jiceng.education.outreach.models import (
    ClassMeeting,
    CoeducationActivity,
    Consultation,
    PatrolVisit,
    PolicyNotice,
    StudentAid,
    StudentResult,
    StudyGroup,
    StudyLog,
)

DISTRICT = "371502000000"  # 东昌府区
SEASON_START = dt.date(2026, 7, 1)
SEASON_DAYS = 21
TICKETS_PER_DAY = 215  # 「每天接受来电来访200多人次」
RECENT_DUE = 4
RECENT_OVERDUE = 2
GROUP_SCHOOLS = 3
GROUP_MAX_MEMBERS = 8
HOLIDAY_START = dt.date(2026, 10, 1)  # the National Day holiday (国庆假期), after the school year began
HOLIDAY_LOG_DAYS = 7
MEETING_SCHOOLS = 2
FLAG_IF_NONE = 30
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
STAFF = ["张红", "李明", "王芳", "刘洋", "陈静", "杨帆"]
QUESTIONS = {
    QuestionCategory.CATCHMENT: ("我家住在{place}，孩子应该到哪所学校报名？", "按划片范围，到{school}报名。"),
    QuestionCategory.ADMISSION: ("孩子今年8月底满六周岁，能上一年级吗？", "8月31日前满六周岁可入学，请按时报名。"),
    QuestionCategory.DOCUMENTS: ("报名需要带哪些材料？", "户口簿、房产证明或居住证，原件及复印件。"),
    QuestionCategory.MIGRANT: ("我们是外地来聊城务工的，孩子怎么入学？", "持居住证和务工证明到教体局统筹安排。"),
    QuestionCategory.TRANSFER: ("想从外县转学过来，怎么办理？", "开学后一个月内由转入学校申请，班额已满的不能插班。"),
    QuestionCategory.RESULT: ("分配结果什么时候公布？", "8月中旬在区教体局网站公布。"),
    QuestionCategory.OTHER: ("校车线路有没有调整？", "请联系所在学校。"),
}
THEMES = [
    ("我和我的祖国", MeetingFormat.SITUATION),
    ("传承红色基因", MeetingFormat.DIALOGUE),
    ("感恩父母", MeetingFormat.ESSAY),
    ("我心中的榜样", MeetingFormat.SHOWCASE),
]


def build(ctx: Any) -> None:
    try:
        district = ctx.area(DISTRICT)
    except Area.DoesNotExist:  # the directory demo does not hold the district
        return
    schools = list(
        School.objects.filter(area__path__startswith=district.path).select_related("area").order_by("area__path", "id")
    )
    _notice(ctx, district)
    _consultations(ctx, district, schools)
    group_schools = _study_groups(ctx, schools)
    _class_meetings(ctx, schools)
    _aid(ctx, district)
    _activities(ctx, group_schools or schools[:GROUP_SCHOOLS])


# --- E10 ----------------------------------------------------------------------------------------
def _notice(ctx: Any, district: Any) -> None:
    if PolicyNotice.objects.filter(area=district, is_demo=True).exists():
        return
    from jiceng.core.publicpages.services import do_publish

    notice = do_create(
        PolicyNotice,
        data={
            "area": district,
            "year": 2026,
            "title": "东昌府区2026年义务教育学校招生入学工作实施方案",
            "body": (
                "一、坚持免试就近入学，公办学校按划片范围招生。\n二、严格控制班额，起始年级班额不超过规定标准。\n"
                "三、随迁子女持居住证入学，由区教体局统筹安排。\n四、招生政策作为一条“纪律红线”坚决严格执行。\n"
                "咨询电话：0635-8241234（工作日8:30–17:30），咨询后确保回访。"
            ),
            "published_on": dt.date(2026, 5, 20),
            "channels": "东昌府区人民政府网站、区教体局微信公众号、聊城日报、聊城电视台",
            "is_demo": True,
        },
        acting_user=None,
    )
    do_publish(notice, acting_user=None)
    ctx.figures["education.outreach.policy_notices"] = 1


def _phone(rng: Any) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _ticket(ctx: Any, district: Any, schools: list[School], received_at: dt.datetime) -> Consultation:
    rng = ctx.rng
    school = rng.choice(schools) if schools and rng.random() < 0.7 else None
    category = rng.choice(list(QUESTIONS))
    question, answer = QUESTIONS[category]
    place = school.area.name if school else district.name
    consultation = Consultation(
        area=school.area if school else district,
        school=school,
        channel=Channel.CALL if rng.random() < 0.8 else Channel.VISIT,
        caller_name=f"{rng.choice(SURNAMES)}{rng.choice(['女士', '先生'])}",
        caller_phone=_phone(rng),
        category=category,
        question=question.format(place=place),
        answer=answer.format(school=school.name if school else "就近学校"),
        handled_by=rng.choice(STAFF),
        received_at=received_at,
        is_demo=True,
    )
    for name, value in rules.callback_deadline(consultation).items():
        setattr(consultation, name, value)
    return consultation


def _call_back(ctx: Any, consultation: Consultation) -> None:
    rng = ctx.rng
    received_on = timezone.localtime(consultation.received_at).date()
    day = received_on if rng.random() < 0.6 else add_workdays(received_on, 1)
    day = min(day, consultation.callback_due_on or day)
    hour = max(timezone.localtime(consultation.received_at).hour + 1, 9) if day == received_on else rng.randint(9, 17)
    done_at = dt.datetime.combine(day, dt.time(min(hour, 20), rng.randrange(60)), tzinfo=LOCAL_TZ)
    consultation.callback_done_at = max(done_at, consultation.received_at + dt.timedelta(minutes=30))
    consultation.callback_by = rng.choice(STAFF)
    roll = rng.random()
    consultation.callback_outcome = (
        CallbackOutcome.RESOLVED
        if roll < 0.9
        else CallbackOutcome.EXPLAINED
        if roll < 0.98
        else CallbackOutcome.UNREACHABLE
    )
    consultation.callback_notes = "家长表示满意" if consultation.callback_outcome == CallbackOutcome.RESOLVED else ""
    consultation.deadline_state = DeadlineState.DONE


def _consultations(ctx: Any, district: Any, schools: list[School]) -> None:
    if Consultation.objects.filter(area__path__startswith=district.path, is_demo=True).exists():
        return
    rng = ctx.rng
    rows = []
    for offset in range(SEASON_DAYS):
        day = SEASON_START + dt.timedelta(days=offset)
        for _ in range(scaled(TICKETS_PER_DAY + rng.randint(-12, 25), ctx.scale)):
            received = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randrange(60)), tzinfo=LOCAL_TZ)
            ticket = _ticket(ctx, district, schools, received)
            _call_back(ctx, ticket)
            rows.append(ticket)
    now = timezone.localtime()
    today = now.date()
    for _ in range(RECENT_DUE):  # received today (or the last workday), still within the deadline
        day = today if now.hour >= 9 else add_workdays(today, -1)
        rows.append(
            _ticket(ctx, district, schools, dt.datetime.combine(day, dt.time(8, rng.randrange(60)), tzinfo=LOCAL_TZ))
        )
    for _ in range(RECENT_OVERDUE):  # received a week ago, never called back
        day = add_workdays(today, -5)
        rows.append(
            _ticket(ctx, district, schools, dt.datetime.combine(day, dt.time(10, rng.randrange(60)), tzinfo=LOCAL_TZ))
        )
    do_bulk_create(Consultation, rows, acting_user=None, comment="demo")
    scan_deadlines(models_=[Consultation])
    season = rows[: len(rows) - RECENT_DUE - RECENT_OVERDUE]
    ctx.figures["education.outreach.consultations"] = len(rows)
    ctx.figures["education.outreach.season_tickets_per_day"] = round(len(season) / SEASON_DAYS, 1)
    ctx.figures["education.outreach.season_callback_rate_pct"] = str(
        rules.rate_pct(sum(1 for r in season if r.callback_done_at), len(season))
    )
    ctx.figures["education.outreach.callbacks_due"] = RECENT_DUE
    ctx.figures["education.outreach.callbacks_overdue"] = RECENT_OVERDUE


# --- E14 ----------------------------------------------------------------------------------------
def _students_by_village(school: School) -> dict[Any, list[Student]]:
    ids = Enrollment.objects.filter(school=school, ended_on__isnull=True).values("student_id")
    found: dict[Any, list[Student]] = {}
    students = Student.objects.filter(pk__in=ids, person__area__level="village").select_related("person__area")
    for student in students.order_by("person__area__code", "id"):
        found.setdefault(student.person.area, []).append(student)
    return found


def _study_groups(ctx: Any, schools: list[School]) -> list[School]:
    rural = [s for s in schools if s.location == "rural"]
    if StudyGroup.objects.filter(school__in=rural, is_demo=True).exists():
        return list(School.objects.filter(study_groups__is_demo=True).distinct())
    rng = ctx.rng
    chosen: list[School] = []
    groups = logs = visits = 0
    gap_left = False
    for school in rural:
        villages = _students_by_village(school)
        if len(villages) < 2:
            continue
        chosen.append(school)
        teachers = list(Teacher.objects.filter(school=school, left_on__isnull=True).order_by("id")[:6])
        for index, (village, students) in enumerate(villages.items()):
            if not gap_left and index == len(villages) - 1:
                gap_left = True  # the first school leaves its last village without a group: the gap
                continue
            members = students[:GROUP_MAX_MEMBERS]
            group = services.do_create_study_group(
                data={
                    "school": school,
                    "village": village,
                    "name": f"{village.name}校外合作学习小组",
                    "venue_kind": VenueKind.STUDENT_HOME if rng.random() < 0.7 else VenueKind.COMMUNITY_OFFICE,
                    "venue": f"{village.name}{rng.choice(SURNAMES)}家"
                    if rng.random() < 0.7
                    else f"{village.name}村委会",
                    "members": members,
                    "leader": members[0],
                    "formed_on": HOLIDAY_START - dt.timedelta(days=10),
                    "is_demo": True,
                },
                acting_user=None,
            )
            groups += 1
            entries = [
                StudyLog(
                    group=group,
                    area=group.area,
                    on=HOLIDAY_START + dt.timedelta(days=day),
                    kept_by=members[0],
                    present=rng.randint(max(1, len(members) - 2), len(members)),
                    summary=rng.choice(
                        ["合作完成数学暑假作业", "共读一本书并交流", "整理错题、互相讲解", "开展社区垃圾分类宣传"]
                    ),
                    is_demo=True,
                )
                for day in range(HOLIDAY_LOG_DAYS)
            ]
            logs += len(do_bulk_create(StudyLog, entries, acting_user=None, comment="demo"))
            if teachers:
                patrol = [
                    PatrolVisit(
                        group=group,
                        area=group.area,
                        teacher=rng.choice(teachers),
                        visited_on=HOLIDAY_START + dt.timedelta(days=rng.randrange(HOLIDAY_LOG_DAYS)),
                        notes=rng.choice(
                            ["检查作业完成情况，指导研究性学习选题", "提醒假期安全，表扬小组长", "与家长交流学习情况"]
                        ),
                        is_demo=True,
                    )
                    for _visit in range(2)
                ]
                visits += len(do_bulk_create(PatrolVisit, patrol, acting_user=None, comment="demo"))
        if len(chosen) >= GROUP_SCHOOLS:
            break
    ctx.figures["education.outreach.study_groups"] = groups
    ctx.figures["education.outreach.study_logs"] = logs
    ctx.figures["education.outreach.patrol_visits"] = visits
    ctx.figures["education.outreach.coverage_gaps"] = int(gap_left)
    return chosen


# --- E15 ----------------------------------------------------------------------------------------
def _class_meetings(ctx: Any, schools: list[School]) -> None:
    juniors = [s for s in schools if s.stage in ("junior", "nine_year", "complete")][:MEETING_SCHOOLS]
    if not juniors or ClassMeeting.objects.filter(school_class__school__in=juniors, is_demo=True).exists():
        return
    rng = ctx.rng
    meetings = reflections = published = 0
    for school in juniors:
        classes = list(SchoolClass.objects.filter(school=school).order_by("-year", "grade", "number")[:3])
        for school_class in classes:
            students = list(
                Student.objects.filter(enrollments__school_class=school_class, enrollments__ended_on__isnull=True)
                .select_related("person")
                .order_by("id")[:6]
            )
            for number, (theme, kind) in enumerate(THEMES[:2]):
                held_on = dt.date(2026, 9, 25) + dt.timedelta(days=14 * number)
                meeting = do_create(
                    ClassMeeting,
                    data={
                        "school_class": school_class,
                        "held_on": held_on,
                        "theme": theme,
                        "format": kind,
                        "plan": "导入—体验—交流—写作，课后提交随笔感悟。",
                        "is_demo": True,
                    },
                    acting_user=None,
                )
                meetings += 1
                for index, author in enumerate(students[:3]):
                    selected = index == 0
                    reflection = services.do_create_reflection(
                        data={
                            "meeting": meeting,
                            "author": author,
                            "title": f"{theme}——{author.person.name}的感悟",
                            "text": "通过这次主题班会，我更加懂得了责任和担当……",
                            "written_on": held_on + dt.timedelta(days=1),
                            "is_selected": selected,
                            "magazine_issue": f"《映山红》2026年第{number + 3}期" if selected else "",
                            "is_demo": True,
                        },
                        acting_user=None,
                    )
                    reflections += 1
                    if selected and rng.random() < 0.5:
                        services.do_create_publication(
                            data={
                                "reflection": reflection,
                                "outlet": rng.choice(["聊城日报", "齐鲁晚报", "山东教育报"]),
                                "level": rng.choice([MediaLevel.CITY, MediaLevel.PROVINCIAL]),
                                "published_on": held_on + dt.timedelta(days=20),
                                "is_demo": True,
                            },
                            acting_user=None,
                        )
                        published += 1
    ctx.figures["education.outreach.class_meetings"] = meetings
    ctx.figures["education.outreach.reflections"] = reflections
    ctx.figures["education.outreach.outside_publications"] = published


# --- E16 ----------------------------------------------------------------------------------------
def _aid(ctx: Any, district: Any) -> None:
    in_district = Student.objects.filter(area__path__startswith=district.path)
    if StudentAid.objects.filter(area__path__startswith=district.path, is_demo=True).exists():
        return
    flagged = list(in_district.filter(is_registered_poor=True).order_by("id"))
    if not flagged:
        candidates = in_district.filter(enrollments__ended_on__isnull=True).order_by("id")
        step = max(1, candidates.count() // max(1, scaled(FLAG_IF_NONE, ctx.scale)))
        for student in list(candidates[::step][: scaled(FLAG_IF_NONE, ctx.scale)]):
            flagged.append(
                services.do_set_registered_poor(student, flag=True, reason="演示：建档立卡名单", acting_user=None)
            )
    rng = ctx.rng
    aid, results = [], []
    for student in flagged:
        aid.append(
            StudentAid(
                student=student,
                area=student.area,
                kind=AidKind.GRANT,
                amount_yuan=Decimal(rng.choice(["500.00", "625.00", "1000.00", "1250.00"])),
                granted_on=dt.date(2026, 3, 15),
                source="国家助学金",
                is_demo=True,
            )
        )
        aid.append(
            StudentAid(
                student=student,
                area=student.area,
                kind=rng.choice([AidKind.LIVING, AidKind.MEALS, AidKind.DONATION]),
                amount_yuan=Decimal(rng.randrange(200, 1500)),
                granted_on=dt.date(2026, 9, 20),
                source=rng.choice(["区教体局", "街道办事处", "爱心企业捐助"]),
                is_demo=True,
            )
        )
        if rng.random() < 0.5:
            results.append(
                StudentResult(
                    student=student,
                    area=student.area,
                    kind="exam",
                    on=dt.date(2026, 7, 1),
                    exam="2026年期末考试",
                    score=Decimal(rng.randrange(420, 700)),
                    is_demo=True,
                )
            )
    do_bulk_create(StudentAid, aid, acting_user=None, comment="demo")
    do_bulk_create(StudentResult, results, acting_user=None, comment="demo")
    ctx.figures["education.outreach.registered_poor_students"] = len(flagged)
    ctx.figures["education.outreach.aid_records"] = len(aid)
    ctx.figures["education.outreach.aid_total_yuan"] = str(sum((a.amount_yuan for a in aid), Decimal(0)))


# --- E17 ----------------------------------------------------------------------------------------
def _activities(ctx: Any, schools: list[School]) -> None:
    if not schools or CoeducationActivity.objects.filter(school__in=schools, is_demo=True).exists():
        return
    rng = ctx.rng
    rows = []
    plan = [
        (ActivityKind.PARENT_SCHOOL, "家长学校：如何陪伴孩子度过假期"),
        (ActivityKind.HOME_VISIT, "暑期留守儿童家访"),
        (ActivityKind.COMMUNITY_SERVICE, "小组成员社区清扫"),
        (ActivityKind.SOCIAL_SURVEY, "村里的变化社会调查"),
    ]
    for school in schools:
        for index, (kind, title) in enumerate(plan):
            rows.append(
                CoeducationActivity(
                    school=school,
                    area=school.area,
                    held_on=HOLIDAY_START + dt.timedelta(days=7 * index),
                    kind=kind,
                    title=title,
                    students=rng.randint(15, 60),
                    parents=rng.randint(5, 40) if kind in (ActivityKind.PARENT_SCHOOL, ActivityKind.HOME_VISIT) else 0,
                    community_members=rng.randint(2, 10),
                    partners=f"{school.area.name}村（社区）党支部",
                    is_demo=True,
                )
            )
    do_bulk_create(CoeducationActivity, rows, acting_user=None, comment="demo")
    ctx.figures["education.outreach.activities"] = len(rows)
