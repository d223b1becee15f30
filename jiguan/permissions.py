"""What a role may do, whatever the organization: a write by a read-only user, or a structure change
by anyone but committee staff, is a 403. Which organizations a user may see: organizations.scoping."""

from django.core.exceptions import PermissionDenied


def require_write(user):
    """Leadership (and anyone else read-only) may not change records."""
    if not user.can_write:
        raise PermissionDenied("您的账号只能查看，不能修改。")


def require_staff(user):
    """Structure changes (the tree, accounts, documents) belong to committee staff."""
    if not user.is_committee_staff:
        raise PermissionDenied("只有工委工作人员可以进行此操作。")
