import datetime as dt

from jiceng.core.checklists.models import Campaign, ChecklistRun
from jiceng.core.checklists.services import do_create_campaign, load_templates


def make_run(area, **kwargs):
    from jiceng.core.checklists.models import ChecklistTemplate

    load_templates()
    template = ChecklistTemplate.objects.get(key="rural.household.six_cleans")
    campaign = do_create_campaign(
        template, [area], name=f"六净 {area.name}", period="2026", due_on=dt.date(2026, 12, 31), area_path=area.path
    )
    return campaign.runs.get()


def make_campaign(area, **kwargs):
    return make_run(area).campaign


TEST_FACTORIES = {ChecklistRun: make_run, Campaign: make_campaign}
