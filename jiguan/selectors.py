"""Reads of the jiguan app."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from jiguan.models import User
from jiguan.scoping import get_scoped_or_404, visible_organizations
from organizations.models import Organization

# How a record reaches the organization that decides who may see it, for models that do not
# have a plain `organization` field.
SCOPE_PATHS = {
    "activities.document": "issuer",
    "activities.reminderletter": "addressee",
    "activities.responsibilitylist": "document__issuer",
    "activities.responsibilityitem": "responsibility_list__document__issuer",
    "activities.attachment": "activity__organization",
    "members.commendation": "granted_by",
    "members.medalaward": "awarded_by",
    "members.developmentstep": "prospect__organization",
}


def visible_record(user, model, pk):
    """A record of any audited model, if `user` may see it; 404 otherwise."""
    if model is Organization:
        try:
            return visible_organizations(user).get(pk=pk)
        except (Organization.DoesNotExist, ValueError) as exc:
            raise Http404("没有找到该记录，或您无权查看。") from exc
    if model is User:
        if not user.is_committee_staff:
            raise PermissionDenied("只有工委工作人员可以查看账号记录。")
        try:
            return User.objects.get(pk=pk)
        except (User.DoesNotExist, ValueError) as exc:
            raise Http404("没有找到该记录。") from exc
    label = model._meta.label_lower
    path = SCOPE_PATHS.get(label)
    if path is None:
        if not any(f.name == "organization" for f in model._meta.get_fields()):
            raise Http404("没有找到该记录。")
        path = "organization"
    return get_scoped_or_404(model.objects.all(), user, organization_field=path, pk=pk)


def home_context(user):
    """What the home page shows: the user's place in the tree and counts within their scope."""
    organizations = visible_organizations(user)
    context = {
        "organization_count": organizations.active().grass_roots().count(),
    }
    if user.is_secretary:
        context["own_organization"] = user.organization
        context.setdefault("panels", []).append(_secretary_activities_panel(user))
    return context


def _secretary_activities_panel(user):
    """本月还需完成: what the secretary's branch still owes this period, and letters to handle."""
    from activities.rhythm import owed_this_month
    from activities.selectors import unhandled_letters

    return {
        "template": "activities/_home_panel.html",
        "organization": user.organization,
        "owed": owed_this_month(user.organization) if user.organization.kind == "BRANCH" else None,
        "letters": list(unhandled_letters(user)[:10]),
    }
