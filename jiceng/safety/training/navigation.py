from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "safety",
    _("Work safety"),
    [
        MenuItem(
            _("Training and publicity overview"), "safety_training:overview", "safety_training.view_trainingsession"
        ),
        MenuItem(
            _("Training sessions"), "safety_training:trainingsession_list", "safety_training.view_trainingsession"
        ),
        MenuItem(_("Exams"), "safety_training:exam_list", "safety_training.view_exam"),
        MenuItem(_("Spot tests"), "safety_training:spottest_list", "safety_training.view_spottest"),
        MenuItem(
            _("Certificate checks"), "safety_training:certificatecheck_list", "safety_training.view_certificatecheck"
        ),
        MenuItem(
            _("Publicity activities (five into)"),
            "safety_training:publicityactivity_list",
            "safety_training.view_publicityactivity",
        ),
        MenuItem(_("Safety broadcasts"), "safety_training:broadcast_list", "safety_training.view_broadcast"),
        MenuItem(
            _("Public-service ads"), "safety_training:publicservicead_list", "safety_training.view_publicservicead"
        ),
        MenuItem(
            _("Training campaigns"), "safety_training:trainingcampaign_list", "safety_training.view_trainingcampaign"
        ),
    ],
    order=300,
)
