from jiceng.accounts.api.serializers import UserSerializer
from jiceng.accounts.filtersets import UserFilterSet
from jiceng.accounts.models import User
from jiceng.core.api.viewsets import ScopedReadOnlyViewSet


class UserViewSet(ScopedReadOnlyViewSet):
    queryset = User.objects.prefetch_related("grants__role", "grants__area")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
