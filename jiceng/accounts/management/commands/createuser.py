"""``jiceng createuser --username U --password P --area CODE --role ROLE [--role ROLE2]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiceng.accounts.services import do_create_user
from jiceng.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a user holding one or more roles over an area subtree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--area", required=True, help="12-digit division code of the area subtree")
        parser.add_argument("--role", action="append", required=True, help="role key (repeatable), e.g. admin")
        parser.add_argument("--display-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = do_create_user(
                username=options["username"],
                password=options["password"],
                area_code=options["area"],
                role_keys=options["role"],
                display_name=options["display_name"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"created user {user.username} ({', '.join(options['role'])} @ {options['area']})")
