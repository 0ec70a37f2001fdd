from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu("accounts", _("Accounts"), [MenuItem(_("Users"), "accounts:user_list", "accounts.view_user")], order=900)
