from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "education",
    _("Education"),
    [
        MenuItem(_("Transfers"), "education_transfers:transfer_list", "education_transfers.view_transfer"),
        MenuItem(_("Apply for a transfer"), "education_transfers:transfer_apply", "education_transfers.add_transfer"),
    ],
    order=400,
)
