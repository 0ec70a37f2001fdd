import django_filters as filters
from django.utils.translation import gettext_lazy as _

from jiceng.accounts.models import User
from jiceng.directory.filtersets import BaseFilterSet


class UserFilterSet(BaseFilterSet):
    role = filters.CharFilter(field_name="grants__role__key", label=_("role"), distinct=True)
    search_fields = ("username", "display_name")

    class Meta:
        model = User
        fields = ["q", "area", "role", "is_active"]
