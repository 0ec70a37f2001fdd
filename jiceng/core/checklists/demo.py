"""Demo: the shipped checklist templates."""

from jiceng.core.checklists.services import load_templates


def build(ctx):
    created, _updated = load_templates()
    ctx.figures["checklist templates added"] = created
