from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiguan.scoping import scoped
from members.models import Member


@login_required
def roster(request):
    members = scoped(Member.objects.on_roster(), request.user).select_related("organization")[:100]
    return render(request, "members/roster.html", {"members": members})
