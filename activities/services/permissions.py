"""Who may do what in the activities app. One check per action: the view refuses with it
(`require`) and the template shows the link or button only when it passes (the `may` filter of
activities_permissions), so no page offers what answers 403."""

from django.core.exceptions import PermissionDenied

from organizations.scoping import visible_organizations


def can_record_activity(user, organization=None) -> bool:
    """Record (or edit, delete) an activity: staff anywhere, a secretary within their scope."""
    if not (user.is_authenticated and user.can_write):
        return False
    if organization is None or user.is_committee_staff:
        return True
    return visible_organizations(user).filter(pk=organization.pk).exists()


def can_issue_documents(user) -> bool:
    """Issue documents and lists, edit list items, draft, write, issue and discard reminder letters."""
    return user.is_authenticated and user.is_committee_staff


def can_report_progress(user) -> bool:
    """Record an item's progress or mark a letter handled (within the user's scope)."""
    return user.is_authenticated and user.can_write


PERMISSIONS = {
    "record_activity": can_record_activity,
    "issue_documents": can_issue_documents,
    "report_progress": can_report_progress,
}


def require(user, action, *args):
    """The view's side of a check: 403 with a sentence saying why."""
    if not PERMISSIONS[action](user, *args):
        raise PermissionDenied(
            "只有工委工作人员可以进行此操作。"
            if action == "issue_documents"
            else "您的账号只能查看，不能修改。"
        )
