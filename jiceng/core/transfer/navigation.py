from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu("transfer", _("Import and export"), [MenuItem(_("Import workbooks"), "transfer:index", None)], order=800)
