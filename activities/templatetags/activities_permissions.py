"""`{% if user|may:"record_activity" %}`: the template's side of activities.services' checks."""

from django import template

from activities import services

register = template.Library()


@register.filter
def may(user, action):
    return services.PERMISSIONS[action](user)


@register.filter
def may_record_activity_for(user, organization):
    return services.can_record_activity(user, organization)
