from rest_framework import serializers

from jiceng.accounts.models import RoleGrant, User


class RoleGrantSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="key", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RoleGrant
        fields = ["role", "area"]


class UserSerializer(serializers.ModelSerializer):
    grants = RoleGrantSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "is_active", "last_login", "grants"]
