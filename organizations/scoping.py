"""What a user may see and change. Every list and every lookup starts here.

- committee staff: everything, read and write;
- leadership: everything, read only;
- a branch secretary: their organization and everything below it, read and write.

A record outside the user's scope is a 404 (its existence is not revealed); a write by a
read-only user is a 403 (jiguan.permissions).
"""

from django.http import Http404

from jiguan.permissions import require_write
from organizations.models import AccountOrganization, Organization


def visible_organizations(user):
    """The organizations `user` may see, as a queryset (empty for anyone signed out)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.sees_everything:
        return Organization.objects.all()
    account = _account(user) if user.is_secretary else None
    if account is not None:
        return Organization.objects.subtree_of(account.organization_id)
    return Organization.objects.none()  # a secretary without an organization sees nothing


def get_visible_organization(user, pk, *, write=False):
    """The organization `pk` if `user` may see it (404 otherwise); 403 for a read-only write."""
    try:
        organization = visible_organizations(user).get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该党组织，或您无权查看。") from exc
    if write:
        require_write(user)
    return organization


def scoped(queryset, user, organization_field="organization"):
    """Restrict any queryset of records that belong to an organization to the user's scope."""
    if user.is_authenticated and user.is_active and user.sees_everything:
        return queryset
    return queryset.filter(**{f"{organization_field}__in": visible_organizations(user)})


def get_scoped_or_404(queryset, user, *, organization_field="organization", write=False, **lookup):
    """One record of `queryset` within the user's scope (404 otherwise); 403 for a read-only write."""
    try:
        obj = scoped(queryset, user, organization_field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("没有找到该记录，或您无权查看。") from exc
    if write:
        require_write(user)
    return obj


def organization_of(user):
    """The organization of the user's account (organizations.AccountOrganization), or None.

    Reading it costs no query for the signed-in user (organizations.accounts.backends loads it with
    the account); `.organization` itself is read once, as a ForeignKey is."""
    account = _account(user)
    return account.organization if account is not None else None


def _account(user):
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.account_organization
    except AccountOrganization.DoesNotExist:
        return None
