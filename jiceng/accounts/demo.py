"""Demo logins: one user per level of the demo tree, created through ``do_create_user``.

The passwords are fixed because they are demo data and are printed by ``jiceng demo``; a
second run finds the users and prints them again without creating anything.
"""

from __future__ import annotations

from typing import Any

from jiceng.accounts.models import User
from jiceng.accounts.services import do_create_user
from jiceng.directory.demo import DEMO_CITY_CODE, DEMO_COUNTY_CODE, DEMO_TOWNSHIP_CODE, DEMO_VILLAGE_CODE

SAFETY_EDITOR = ["directory_viewer", "safety_editor", "alerts_editor", "checklists_editor", "publicpages_editor"]
EDUCATION_EDITOR = ["directory_viewer", "education_editor", "alerts_editor", "checklists_editor", "publicpages_editor"]
EDUCATION_DISTRICT_CODE = "371502000000"  # 东昌府区: the class-size, transfer and allocation demo (seed 003)
EDUCATION_SCHOOL_TOWN_CODE = "371502105000"  # 郑家镇 (郑家镇中学, seed 003)
FINANCE_EDITOR = ["directory_viewer", "finance_editor", "alerts_editor", "publicpages_editor"]
DEMO_PASSWORD = "jiceng-demo-2026"  # noqa: S105  (demo data, printed on purpose)

# (username, display name, area code, roles, what the user can do)
DEMO_USERS = [
    ("demo_city_admin", "聊城市管理员（演示）", DEMO_CITY_CODE, ["admin"], "administrator"),
    ("demo_county_admin", "莘县管理员（演示）", DEMO_COUNTY_CODE, ["admin"], "administrator"),
    (
        "demo_township_staff",
        "张鲁回族镇工作人员（演示）",
        DEMO_TOWNSHIP_CODE,
        ["directory_editor", "party_editor"],
        "directory and party editor",
    ),
    (
        "demo_township_viewer",
        "张鲁回族镇查看员（演示）",
        DEMO_TOWNSHIP_CODE,
        ["directory_viewer", "party_viewer"],
        "directory and party viewer",
    ),
    (
        "demo_village_staff",
        "东街村工作人员（演示）",
        DEMO_VILLAGE_CODE,
        ["directory_editor", "party_editor"],
        "directory and party editor (branch secretary)",
    ),
    (
        "demo_city_safety",
        "聊城市应急管理局执法人员（演示）",
        DEMO_CITY_CODE,
        SAFETY_EDITOR,
        "work-safety officer (city emergency management bureau)",
    ),
    (
        "demo_county_safety",
        "莘县应急管理局执法人员（演示）",
        DEMO_COUNTY_CODE,
        SAFETY_EDITOR,
        "work-safety officer (county emergency management bureau)",
    ),
    (
        "demo_township_safety",
        "张鲁回族镇安监员（演示）",
        DEMO_TOWNSHIP_CODE,
        SAFETY_EDITOR,
        "township work-safety staff",
    ),
    (
        "demo_district_education",
        "东昌府区教体局工作人员（演示）",
        EDUCATION_DISTRICT_CODE,
        EDUCATION_EDITOR,
        "education bureau (enrolment office; approves transfers)",
    ),
    (
        "demo_school_admin",
        "郑家镇学校管理员（演示）",
        EDUCATION_SCHOOL_TOWN_CODE,
        EDUCATION_EDITOR,
        "school administrator (applies for transfers)",
    ),
    (
        "demo_county_education",
        "莘县教体局工作人员（演示）",
        DEMO_COUNTY_CODE,
        EDUCATION_EDITOR,
        "education bureau (groups, teacher rotation)",
    ),
    (
        "demo_county_finance",
        "莘县财政局绩效管理股（演示）",
        DEMO_COUNTY_CODE,
        FINANCE_EDITOR,
        "finance bureau performance section (watch list, findings)",
    ),
]


def build(ctx: Any) -> None:
    created = 0
    for username, display_name, area_code, roles, what in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            do_create_user(
                username=username,
                password=DEMO_PASSWORD,
                area_code=area_code,
                role_keys=roles,
                display_name=display_name,
            )
            created += 1
        area = ctx.area(area_code)
        ctx.logins.append((username, DEMO_PASSWORD, f"{what} @ {area.full_name} ({area_code})"))
    ctx.figures["demo logins"] = len(DEMO_USERS)
    ctx.figures["demo logins added"] = created
