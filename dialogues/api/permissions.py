from rest_framework import permissions

from dialogues.permissions import WITHDRAW_INSTEAD, Access, must_withdraw, write_access


class ContentPermission(permissions.DjangoModelPermissions):
    """Anyone may read (querysets already hide unpublished content from non-staff); writing
    needs the model permission the user's role grants, exactly as in the admin, and what it may
    do to this object is ``write_access``'s call: a change a Contributor makes to what readers see
    passes here and is kept as a proposal by the view; a refusal is a 403."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        action = "delete" if request.method == "DELETE" else "change"
        if action == "delete" and must_withdraw(obj):
            self.message = WITHDRAW_INSTEAD  # a fresh instance per request
        return write_access(request.user, action, obj) is not Access.DENY
