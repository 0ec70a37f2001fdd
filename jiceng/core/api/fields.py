"""Serializer fields shared by every app."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A related object addressed by a natural key, chosen only among objects the user may view.

    An area outside the caller's subtree therefore reads as "does not exist", exactly as
    its detail URL would.
    """

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return qs.restrict(user, "view") if user is not None else qs.none()


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by id, chosen only among objects the user may view (models without scope: all)."""

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if not hasattr(qs, "restrict"):
            return qs
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return qs.restrict(user, "view") if user is not None else qs.none()
