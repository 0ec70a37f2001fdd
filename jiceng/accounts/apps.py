from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jiceng.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from jiceng.accounts import navigation  # noqa: F401  (registration)
        from jiceng.accounts.roles import sync_builtin_roles_handler

        post_migrate.connect(sync_builtin_roles_handler, dispatch_uid="jiceng.accounts.sync_roles")
