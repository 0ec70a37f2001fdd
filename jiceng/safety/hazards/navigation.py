from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "safety",
    _("Work safety"),
    [
        MenuItem(_("Hazard zeroing overview"), "safety_hazards:overview", "safety_hazards.view_hazard"),
        MenuItem(_("Hazard ledger"), "safety_hazards:hazard_list", "safety_hazards.view_hazard"),
        MenuItem(_("Inspections"), "safety_hazards:inspection_list", "safety_hazards.view_inspection"),
        MenuItem(_("Safety campaigns"), "safety_hazards:safetycampaign_list", "safety_hazards.view_safetycampaign"),
    ],
    order=300,
)
