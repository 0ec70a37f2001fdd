"""Workbook importers of the directory (registered with the core import engine at start-up)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.core.transfer.registry import Column, Importer, RowErrors, choice_parser, parse_boolean, register_importer
from jiceng.directory.models import Area, Enterprise, EnterpriseScale, Person, Sector

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
