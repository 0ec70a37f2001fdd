from jiceng.core.alerts.models import Alert
from jiceng.core.alerts.services import raise_alert


def make_alert(area, **kwargs):
    """An open alert about the Area itself (any saved object can be a subject)."""
    return raise_alert(
        rule=kwargs.pop("rule", "test.factory"),
        subject=kwargs.pop("subject", area),
        severity=kwargs.pop("severity", "yellow"),
        explanation=kwargs.pop("explanation", f"{area.name}：测试预警 3 > 2"),
        evidence=kwargs.pop("evidence", {"value": 3, "limit": 2}),
        area_path=area.path,
        **kwargs,
    )


TEST_FACTORIES = {Alert: make_alert}
