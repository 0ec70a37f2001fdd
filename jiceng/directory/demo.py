"""Placeholder demo: replaced by the full demo county."""

from jiceng.directory.models import Area


def build(ctx):
    if Area.objects.exists():
        return
    province = Area.objects.create(code="370000000000", name="山东省", level="province")
    ctx.figures["areas"] = 1
    return province
