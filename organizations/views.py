from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiguan.scoping import get_visible_organization, visible_organizations


@login_required
def tree(request):
    organizations = list(visible_organizations(request.user).active().order_by("name"))
    return render(request, "organizations/tree.html", {"organizations": organizations})


@login_required
def detail(request, pk):
    organization = get_visible_organization(request.user, pk)
    return render(request, "organizations/detail.html", {"organization": organization})
