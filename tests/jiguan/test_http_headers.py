"""What every response says about itself: its Content-Security-Policy, that pages and exports with
personal data are never stored, and a refusal logged on one line."""

import io
import logging

import pytest
from django.urls import reverse

from tests.factories import MemberFactory


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_every_page_sends_a_policy_without_inline_script(client, staff_client):
    for response in (client.get(reverse("login")), staff_client.get(reverse("home"))):
        directives = _directives(response)
        assert directives["script-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in directives["default-src"]


@pytest.mark.parametrize(
    "url, params",
    [
        ("members:roster", {}),
        ("members:roster", {"export": "xlsx"}),
        ("members:prospects", {}),
        ("home", {}),
    ],
)
def test_pages_and_exports_with_personal_data_are_not_stored(staff_client, branch_a, url, params):
    MemberFactory(organization=branch_a)
    response = staff_client.get(reverse(url), params)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_member_page_is_not_stored(staff_client, branch_a):
    member = MemberFactory(organization=branch_a)
    response = staff_client.get(reverse("members:detail", args=[member.pk]))
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(client):
    response = client.get("/static/jiguan/site.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_refusal_is_logged_on_one_line_without_a_traceback(secretary_client):
    [console] = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)
                 and not isinstance(h, logging.FileHandler) and h.filters]  # fmt: skip
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        response = secretary_client.get(reverse("accounts:list"))
        secretary_client.get("/members/999999/")
    finally:
        console.setStream(previous)
    assert response.status_code == 403
    lines = written.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /accounts/", "Not Found: /members/999999/"]
