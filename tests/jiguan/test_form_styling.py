"""Every form rendered through the shared partial gets Bootstrap's classes (one place for all apps)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_fields_carry_bootstrap_classes(staff_client):
    text = staff_client.get(reverse("accounts:create")).content.decode()
    assert re.search(r'<input[^>]*name="username"[^>]*class="form-control"', text)
    assert 'class="form-select"' in text  # the role and organization selects


def test_a_field_with_errors_is_marked_invalid(staff_client):
    text = staff_client.post(reverse("accounts:create"), {"username": ""}).content.decode()
    assert "form-control is-invalid" in text


def test_the_organization_list_filter_is_styled(staff_client, branch_a):
    text = staff_client.get(reverse("organizations:list")).content.decode()
    assert "form-select" in text
