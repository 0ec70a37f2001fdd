from jiceng.core.workflow.models import TransitionLog, WorkItem
from jiceng.core.workflow.services import run_transition


def make_work_item(area, **kwargs):
    return WorkItem.objects.create(title=kwargs.pop("title", f"督办事项 {area.name}"), area_path=area.path, **kwargs)


def make_transition_log(area, **kwargs):
    item = make_work_item(area)
    run_transition(item, "submit", acting_user=None, comment="factory")
    return TransitionLog.objects.filter(object_id=str(item.pk)).latest("id")


TEST_FACTORIES = {TransitionLog: make_transition_log}
