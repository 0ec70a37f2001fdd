from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "safety",
    _("Work safety"),
    [
        MenuItem(_("Monitoring overview"), "safety_monitoring:overview", "safety_monitoring.view_majorhazardsource"),
        MenuItem(
            _("Major hazard sources"),
            "safety_monitoring:majorhazardsource_list",
            "safety_monitoring.view_majorhazardsource",
        ),
        MenuItem(_("Sensors"), "safety_monitoring:sensor_list", "safety_monitoring.view_sensor"),
        MenuItem(_("Alarms"), "safety_monitoring:alarm_list", "safety_monitoring.view_alarm"),
        MenuItem(_("Watcher roster"), "safety_monitoring:watchershift_list", "safety_monitoring.view_watchershift"),
    ],
    order=300,
)
