from rest_framework import permissions

from dialogues.permissions import Access, kept_for_readers, owner_of, write_access


class ContentPermission(permissions.DjangoModelPermissions):
    """Anyone may read (querysets already hide unpublished content from non-staff); writing
    needs the model permission the user's role grants, exactly as in the admin, and what it may
    do to this object is ``write_access``'s call: a change a Contributor makes to what readers see
    passes here and is kept as a proposal by the view; a refusal is a 403."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        allowed = super().has_permission(request, view)
        if not allowed and request.user.is_authenticated and request.user.is_staff:
            # A role without this model permission (a Contributor deleting): say who can.
            self.message = "Your role may not do this: ask an Editor."
        return allowed

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "withdraw":
            return True  # not an edit: ``services.withdraw`` decides (Editors, once)
        action = "delete" if request.method == "DELETE" else "change"
        if action == "delete" and (kept := kept_for_readers(obj, request.user)):
            self.message = kept  # a fresh instance per request
        elif getattr(obj, "withdrawn_at", None) is not None:
            self.message = "This was withdrawn: it is kept as readers last saw it, and not changed again."
        elif owner_of(obj) not in (None, request.user):
            self.message = "This draft is another contributor's: ask them, or an Editor."
        return write_access(request.user, action, obj) is not Access.DENY
