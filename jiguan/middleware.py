"""Middleware of the whole site: no page cached, a session ended after inactivity, and a first
password changed before anything else."""

import time

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


class IdleSessionMiddleware:
    """A session ends SESSION_COOKIE_AGE after the last request (SESSION_IDLE_MINUTES), without
    writing the session on every page. Django's SESSION_SAVE_EVERY_REQUEST moves the expiry with a
    write and a commit per request (15-25 ms of every page on SQLite at county scale); here the
    session is saved, moving its expiry, only when it was last saved REFRESH_SECONDS ago or more. A
    session then ends between SESSION_COOKIE_AGE - REFRESH_SECONDS and SESSION_COOKIE_AGE after the
    last request. Listed after SessionMiddleware, which saves what this marks."""

    REFRESH_SECONDS = 60
    KEY = "_jiguan_saved_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None:
            return response  # no session (an anonymous visit): nothing to keep alive
        saved_at = session.get(self.KEY, 0)  # loads the session (the sign-in check already did)
        if session.session_key is None:
            return response  # the cookie named no live session
        now = int(time.time())
        if session.modified or now - saved_at >= self.REFRESH_SECONDS:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
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
