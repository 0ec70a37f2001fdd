"""``jiceng token U``: print the user's API token (and nothing else)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiceng.accounts.models import User
from jiceng.accounts.services import do_issue_token


class Command(BaseCommand):
    help = "Print the API token of a user (created on first use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']}")
        self.stdout.write(do_issue_token(user))
