from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from activities.models import Activity, Document
from jiguan.scoping import scoped


@login_required
def activity_list(request):
    activities = scoped(Activity.objects.all(), request.user).select_related("organization")[:100]
    return render(request, "activities/list.html", {"activities": activities})


@login_required
def documents(request):
    docs = scoped(Document.objects.all(), request.user, "issuer")[:100]
    return render(request, "activities/documents.html", {"documents": docs})
