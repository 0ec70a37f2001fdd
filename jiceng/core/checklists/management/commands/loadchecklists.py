from typing import Any

from django.core.management.base import BaseCommand

from jiceng.core.checklists.services import load_templates


class Command(BaseCommand):
    help = "Load the checklist templates shipped with Jiceng (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load_templates()
        self.stdout.write(f"checklist templates: {created} created, {updated} updated")
