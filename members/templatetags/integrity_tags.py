"""The integrity records on a member's page (members/integrity/), as one inclusion tag: the page's
view stays as it is; the section costs three queries."""

from django import template

from members.integrity import selectors

register = template.Library()


@register.inclusion_tag("integrity/_member.html", takes_context=True)
def member_integrity(context, member):
    user = context["request"].user
    return {
        "member": member,
        "risk_forms": list(selectors.member_risk_forms(member)),
        "commitments": list(selectors.member_commitments(member)),
        "registrations": list(selectors.member_registrations(member)),
        "can_write": user.can_write,
    }


@register.inclusion_tag("integrity/_communities.html", takes_context=True)
def registered_communities(context):
    """A <datalist> of the communities members in the user's scope registered with (双报到), for a
    volunteer service activity to name the community it served."""
    return {"communities": selectors.communities(context["request"].user)}
