import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.accounts.models import User


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    roles = tables.Column(verbose_name=_("roles"), empty_values=(), orderable=False)

    class Meta:
        model = User
        fields = ("username", "display_name", "is_active", "last_login")

    def render_roles(self, record: User) -> str:
        return "；".join(f"{g.role.name} @ {g.area.name}" for g in record.grants.all())

    def value_roles(self, record: User) -> str:
        return self.render_roles(record)
