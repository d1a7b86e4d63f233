from rest_framework import permissions


class ContentPermission(permissions.DjangoModelPermissions):
    """Anyone may read (querysets already hide unpublished content from non-staff); writing
    needs the model permission the user's role grants, exactly as in the admin."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)
