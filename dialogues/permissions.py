"""Who may do what with content: one definition used by the admin, the API and the pages.

Roles are Django groups created by a data migration; their model permissions are the source
of truth. Publishing is a custom permission only the Editor group has.
"""

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"

PUBLISH_PERMISSION = "dialogues.publish_coverage"


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def can_preview(user):
    """Staff see drafts and scheduled content (clearly marked as a preview)."""
    return user.is_active and user.is_staff


def can_edit_content(user, coverage):
    """Contributors write drafts; once coverage is published (or scheduled), it and the quotes,
    claims and commentary in it are the editors' to change."""
    if coverage is None or coverage.status != "published":
        return True
    return can_publish(user)
