"""Workbook importers of the directory (registered with the core import engine at start-up)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.transfer.registry import (
    Column,
    Importer,
    RowErrors,
    choice_parser,
    parse_boolean,
    parse_integer,
    register_importer,
)
from jiceng.directory.identifiers import compact_id_number
from jiceng.directory.models import Area, AreaKind, Enterprise, EnterpriseScale, Grid, Person, Sector, Unit, UnitKind

AREA_HELP = "12 位统计用区划代码，如 371522101200"


def resolve_area(data: dict[str, Any], user: Any, memo: dict[str, Any], *, add_perm_model: type) -> dict[str, Any]:
    """Replace the area code by the Area, which must lie inside the user's areas for adding."""
    code = data.get("area", "")
    cache: dict[str, Area | None] = memo.setdefault("areas", {})
    if code not in cache:
        cache[code] = Area.objects.restrict(user, "view").filter(code=code).first()
    area = cache[code]
    if area is None:
        raise RowErrors({"area": _("No area with the code “%(code)s” in the areas you manage.") % {"code": code}})
    paths = memo.setdefault("add_paths", {}).setdefault(add_perm_model.__name__, None)
    if paths is None:
        from jiceng.core.scope import permission_name, user_scope_paths

        paths = memo["add_paths"][add_perm_model.__name__] = user_scope_paths(
            user, permission_name(add_perm_model, "add")
        )
    if not any(area.path.startswith(p) for p in paths):
        raise RowErrors({"area": _("You may not add records in %(area)s.") % {"area": area.name}})
    data["area"] = area
    return data


register_importer(
    Importer(
        key="persons",
        title=gettext_lazy("persons"),
        model=Person,
        natural_key="id_number",
        columns=[
            Column("姓名", "name", required=True, example="张三"),
            Column("身份证号", "id_number", required=True, example="37152219900101999X", help="18 位居民身份证号"),
            Column("所属区划代码", "area", required=True, example="371522101200", help=AREA_HELP),
            Column("联系电话", "phone", example="13800000000"),
            Column("住址", "address", example="东街村 12 号"),
        ],
        resolve=lambda data, user, memo: resolve_area(data, user, memo, add_perm_model=Person),
    )
)

register_importer(
    Importer(
        key="enterprises",
        title=gettext_lazy("enterprises"),
        model=Enterprise,
        natural_key="credit_code",
        columns=[
            Column("企业名称", "name", required=True, example="莘县示例机械有限公司"),
            Column("统一社会信用代码", "credit_code", required=True, example="91371522DEM000241U"),
            Column("行业门类", "sector", parse=choice_parser(Sector), example="C", help="国民经济行业门类字母或名称"),
            Column("企业规模", "scale", parse=choice_parser(EnterpriseScale), example="small"),
            Column("法定代表人", "legal_representative", example="李四"),
            Column("联系电话", "phone"),
            Column("地址", "address"),
            Column("所属区划代码", "area", required=True, example="371522101000", help=AREA_HELP),
            Column("重点企业", "is_key", parse=parse_boolean, example="否", help="是 / 否"),
        ],
        resolve=lambda data, user, memo: resolve_area(data, user, memo, add_perm_model=Enterprise),
    )
)


def resolve_unit(data: dict[str, Any], user: Any, memo: dict[str, Any]) -> dict[str, Any]:
    return resolve_area(data, user, memo, add_perm_model=Unit)


def resolve_grid(data: dict[str, Any], user: Any, memo: dict[str, Any]) -> dict[str, Any]:
    data = resolve_area(data, user, memo, add_perm_model=Grid)
    id_number = data.get("grid_worker") or ""
    if not id_number:
        data["grid_worker"] = None
        return data
    worker = Person.objects.restrict(user, "view").filter(id_number=compact_id_number(id_number)).first()
    if worker is None:
        raise RowErrors({"grid_worker": _("No person with this resident ID number in your area.")})
    data["grid_worker"] = worker
    return data


def resolve_area_row(data: dict[str, Any], user: Any, memo: dict[str, Any]) -> dict[str, Any]:
    """An area's parent must already exist in the user's areas; moving an existing area is refused here
    (moves rewrite a whole subtree and are done on the area's page)."""
    parent_code = data.pop("parent", "")
    parent = Area.objects.restrict(user, "view").filter(code=parent_code).first()
    if parent is None:
        raise RowErrors(
            {"parent": _("No area with the code “%(code)s” in the areas you manage.") % {"code": parent_code}}
        )
    current = Area.objects.filter(code=data.get("code")).values_list("parent__code", flat=True).first()
    if current is not None and current != parent.code:
        raise RowErrors({"parent": _("Moving an existing area is done on its page, not by import.")})
    data["parent"] = parent
    return data


register_importer(
    Importer(
        key="units",
        title=gettext_lazy("units"),
        model=Unit,
        natural_key=("area", "name"),
        columns=[
            Column("单位名称", "name", required=True, example="莘县应急管理局"),
            Column("简称", "short_name", example="县应急局"),
            Column("类别", "kind", parse=choice_parser(UnitKind), example="department"),
            Column("所属区划代码", "area", required=True, example="371522000000", help=AREA_HELP),
            Column("联系电话", "phone"),
            Column("地址", "address"),
        ],
        resolve=resolve_unit,
    )
)

register_importer(
    Importer(
        key="grids",
        title=gettext_lazy("grids"),
        model=Grid,
        natural_key=("area", "name"),
        columns=[
            Column("网格名称", "name", required=True, example="东街村第一网格"),
            Column("网格编码", "code", example="G001"),
            Column("所属村（社区）代码", "area", required=True, example="371522101200", help=AREA_HELP),
            Column("网格员身份证号", "grid_worker", example="", help="须为本乡镇已登记人员"),
            Column("户数", "households", parse=parse_integer, example=120),
        ],
        resolve=resolve_grid,
    )
)

register_importer(
    Importer(
        key="areas",
        title=gettext_lazy("areas"),
        model=Area,
        natural_key="code",
        columns=[
            Column("区划代码", "code", required=True, example="371522101290", help=AREA_HELP),
            Column("名称", "name", required=True, example="示例村"),
            Column("上级区划代码", "parent", required=True, example="371522101000", help="须为已有区划"),
            Column("类型", "kind", parse=choice_parser(AreaKind), example="village"),
        ],
        resolve=resolve_area_row,
    )
)
