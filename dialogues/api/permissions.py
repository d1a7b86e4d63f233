from rest_framework import permissions

from dialogues.models import Coverage
from dialogues.permissions import can_edit_content


class ContentPermission(permissions.DjangoModelPermissions):
    """Anyone may read (querysets already hide unpublished content from non-staff); writing
    needs the model permission the user's role grants, exactly as in the admin."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        coverage = obj if isinstance(obj, Coverage) else getattr(obj, "coverage", None)
        return can_edit_content(request.user, coverage)
