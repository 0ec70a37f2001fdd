from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "directory",
    _("Directory"),
    [
        MenuItem(_("Areas"), "directory:area_list", "directory.view_area"),
        MenuItem(_("Units"), "directory:unit_list", "directory.view_unit"),
        MenuItem(_("Grids"), "directory:grid_list", "directory.view_grid"),
        MenuItem(_("Persons"), "directory:person_list", "directory.view_person"),
        MenuItem(_("Enterprises"), "directory:enterprise_list", "directory.view_enterprise"),
    ],
    order=10,
)
