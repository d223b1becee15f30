"""Middleware of the whole site: no page cached, and a first password changed before anything else."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Every page and export may show personal data (names, ID and phone numbers, records of
    members): no browser or proxy keeps a copy (`Cache-Control: no-store`). Static files are answered
    by WhiteNoise before this middleware and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class FirstPasswordMiddleware:
    """An account whose password staff set (created or reset) opens no page but the password
    change, and may sign out, until its holder has chosen their own password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("password_change"), reverse("logout"))
            if request.path_info not in allowed:
                return redirect("password_change")
        return self.get_response(request)
