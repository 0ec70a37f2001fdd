"""``jiceng manage loadpolicies [FILE]``: upsert the policy seeds (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jiceng.core.policies.services import do_load_policies, read_seed_file


class Command(BaseCommand):
    help = "Load policies (rules as data) from a JSON seed file; rows are matched by key, area and start date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=None,
            help="JSON file (default: the bundled seeds and every module's seed/policies.json)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = do_load_policies(read_seed_file(Path(options["file"]) if options["file"] else None), acting_user=None)
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
