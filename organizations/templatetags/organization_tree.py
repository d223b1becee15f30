"""The organization tree (组织树) written in Python: the markup templates/organizations/tree.html
wrote with template tags for each of a county's 600 organizations, at a fraction of the cost."""

from django import template
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_PK = 987654321  # stands for an organization's key in its address, replaced per organization


@register.simple_tag(takes_context=True)
def organization_tree(context, entries):
    """The nested tree of `entries` (organizations.selectors.tree_entries): <details> for an
    organization with others below it (the first two levels open), a line for one without."""
    head, tail = reverse("organizations:detail", args=[_PK]).split(str(_PK))
    esc = conditional_escape
    parts = []
    for entry in entries:
        if entry.close:
            parts.append("</ul>\n</details>" + ("</li>" if entry.in_item else ""))
            continue
        node = entry.node
        pk = render_value_in_context(node.pk, context)
        if entry.in_item:
            parts.append("<li>")
        if entry.leaf:
            parts.append(f'<div class="org-node org-leaf ms-3" data-org="{pk}">')
        else:
            opened = "open" if entry.depth < 2 else ""
            parts.append(f'<details class="org-node" {opened} data-org="{pk}">\n<summary>')
        secretaries = "".join(f" · 书记：{esc(s.person_name)}" for s in node.secretaries)
        warnings = "".join(
            f'<span class="badge text-bg-{esc(level)} org-warning">{esc(text)}</span>'
            for level, text in node.warnings
        )
        parts.append(
            f'<a href="{head}{node.pk}{tail}" class="org-name">{esc(node.name)}</a>\n'
            f'<span class="badge text-bg-light border">{esc(node.organization.get_kind_display())}</span>\n'
            f'<span class="small text-muted">党员{render_value_in_context(node.total_member_count, context)}名'
            f"{secretaries}</span>\n{warnings}\n"
        )
        if entry.leaf:
            parts.append("</div>" + ("</li>" if entry.in_item else ""))
        else:
            parts.append('</summary>\n<ul class="list-unstyled ms-4 mb-1">')
    return mark_safe("".join(parts))
