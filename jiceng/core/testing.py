"""Test helpers: a fixed area tree and user cast, built through the services.

Tree (official-format codes; the county is 莘县):

    山东省 370000000000
    └─ 聊城市 371500000000
       └─ 莘县 371522000000                      county_admin (admin)
          ├─ 燕店镇 371522109000                 township_staff (directory_editor), township_viewer
          │  └─ 东村 371522109201                village_staff (directory_editor)
          │     └─ 西村 371522109202
          └─ 古云镇 371522106000                 outsider (directory_editor) — the sibling township
             └─ 南村 371522106201
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps

PASSWORD = "cast-password-2026"  # noqa: S105  (test accounts only)

AREAS = [
    ("370000000000", "山东省", None),
    ("371500000000", "聊城市", "370000000000"),
    ("371522000000", "莘县", "371500000000"),
    ("371522109000", "燕店镇", "371522000000"),
    ("371522109201", "东村", "371522109000"),
    ("371522109202", "西村", "371522109000"),
    ("371522106000", "古云镇", "371522000000"),
    ("371522106201", "南村", "371522106000"),
]

USERS = [
    ("county_admin", "371522000000", ["admin"]),
    ("township_staff", "371522109000", ["directory_editor"]),
    ("township_viewer", "371522109000", ["directory_viewer"]),
    ("village_staff", "371522109201", ["directory_editor"]),
    ("outsider", "371522106000", ["directory_editor"]),
]


@dataclass
class Cast:
    areas: dict[str, Any]
    users: dict[str, Any]

    def area(self, name: str) -> Any:
        return self.areas[name]

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_cast(extra_roles: dict[str, list[str]] | None = None) -> Cast:
    """Create the tree and the users (idempotent within a test database)."""
    from jiceng.accounts.services import do_create_user
    from jiceng.directory.services import do_create_area

    area_model = apps.get_model("directory", "Area")
    user_model = apps.get_model("accounts", "User")
    areas: dict[str, Any] = {}
    by_code: dict[str, Any] = {}
    for code, name, parent in AREAS:
        area = area_model.objects.filter(code=code).first()
        if area is None:
            area = do_create_area(data={"code": code, "name": name, "parent": by_code.get(parent)}, acting_user=None)
        areas[name] = by_code[code] = area
    users: dict[str, Any] = {}
    for username, code, roles in USERS:
        roles = roles + (extra_roles or {}).get(username, [])
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = do_create_user(
                username=username, password=PASSWORD, area_code=code, role_keys=roles, check_password=False
            )
        users[username] = user
    return Cast(areas=areas, users=users)


def make_id_number(birth: str, serial: int, region: str = "371522") -> str:
    """A checksum-valid resident ID for tests (not a real person): ``make_id_number("19900101", 123)``."""
    import datetime as dt

    from jiceng.directory.identifiers import make_id_number as make

    return make(region, dt.datetime.strptime(birth, "%Y%m%d").date(), serial)  # noqa: DTZ007


def load_seed_policies() -> dict[str, int]:
    """Load every bundled policy seed (national rows, and the demo county's rows, which apply to
    the cast's 莘县 because it has the same division code).

    Test set-up, so speed matters (it runs before hundreds of tests): into an empty table the rows
    are validated one by one (``full_clean``, as the service does) and inserted in one statement
    without audit entries; otherwise through ``do_load_policies`` (idempotent upsert, audited).
    """
    from jiceng.core.policies.models import Policy
    from jiceng.core.policies.services import _cache, _seed_row, do_load_policies, read_seed_file

    area_model = apps.get_model("directory", "Area")
    paths = dict(area_model.objects.values_list("code", "path"))
    entries = read_seed_file()
    if Policy.objects.exists():
        return do_load_policies(entries, acting_user=None, area_paths=paths)
    rows = []
    skipped = 0
    for entry in entries:
        entry = dict(entry)
        if entry.get("area_code") and not entry.get("area_path"):
            if entry["area_code"] not in paths:
                skipped += 1
                continue
            entry["area_path"] = paths[entry["area_code"]]
        policy = Policy(**_seed_row(entry))
        policy.full_clean(validate_constraints=False)
        rows.append(policy)
    Policy.objects.bulk_create(rows)
    _cache.written()
    return {"created": len(rows), "updated": 0, "unchanged": 0, "skipped": skipped}
