"""Leadership dashboard (a placeholder; the dashboard helper replaces this module)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    return render(request, "reports/dashboard.html", {})
