"""An internal regulation (内部制度) may say which earlier one it revises; both pages link each other."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import services
from activities.models import Document, DocumentKind

pytestmark = pytest.mark.django_db
D = datetime.date


def regulation(staff, committee, title, day, **extra):
    return services.document_issue(
        actor=staff,
        issuer=committee,
        prefix="党工发",
        kind=DocumentKind.REGULATION,
        title=title,
        issued_on=day,
        **extra,
    )


def test_a_revision_links_to_the_regulation_it_revises(staff, staff_client, committee):
    first = regulation(staff, committee, "工委会议事规则", D(2019, 3, 1))
    response = staff_client.post(
        reverse("activities:document_create"),
        {
            "prefix": "党工发",
            "kind": "REGULATION",
            "title": "工委会议事规则（修订）",
            "issued_on": "2025-03-01",
            "revises": first.pk,
        },
    )
    revised = Document.objects.get(title="工委会议事规则（修订）")
    assert response.status_code == 302 and revised.revises == first
    html = staff_client.get(reverse("activities:document_detail", args=[revised.pk])).content.decode()
    assert reverse("activities:document_detail", args=[first.pk]) in html and "修订" in html
    html = staff_client.get(reverse("activities:document_detail", args=[first.pk])).content.decode()
    assert reverse("activities:document_detail", args=[revised.pk]) in html and "修订版" in html


def test_the_form_offers_regulations_only(staff, staff_client, committee):
    first = regulation(staff, committee, "工委会议事规则", D(2019, 3, 1))
    services.document_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        kind=DocumentKind.NOTICE,
        title="通知",
        issued_on=D(2020, 1, 1),
    )
    offered = (
        staff_client.get(reverse("activities:document_create")).context["form"].fields["revises"].queryset
    )
    assert list(offered) == [first]


def test_only_a_regulation_revises_an_earlier_regulation(staff, committee):
    first = regulation(staff, committee, "工委会议事规则", D(2019, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.document_issue(
            actor=staff,
            issuer=committee,
            prefix="党工通",
            kind=DocumentKind.NOTICE,
            title="通知",
            issued_on=D(2020, 1, 1),
            revises=first,
        )
    assert "只有内部制度可以修订内部制度" in exc.value.message_dict["revises"][0]
    with pytest.raises(ValidationError) as exc:
        regulation(staff, committee, "倒修订", D(2018, 1, 1), revises=first)
    assert "晚于本文件的发文日期" in exc.value.message_dict["revises"][0]
    assert Document.objects.count() == 1
