"""Reminder letters: drafted from what is due, reviewed, issued with a number, printed, handled."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import services
from activities.models import ActivityKind, LetterStatus, ReminderLetter, ReminderReason
from members.models import Status
from organizations.models import Election
from tests.activities.helpers import make_member

TODAY = datetime.date(2025, 6, 15)


def reasons(letters):
    return sorted((letter.addressee.name, letter.reason) for letter in letters)


def test_terms_expiring_and_overdue_are_drafted(committee, branch_a, branch_b, staff):
    Election.objects.create(
        organization=branch_a,
        term_number=1,
        elected_on=datetime.date(2022, 8, 1),
        expires_on=datetime.date(2025, 8, 1),
    )
    Election.objects.create(
        organization=branch_b,
        term_number=1,
        elected_on=datetime.date(2022, 3, 1),
        expires_on=datetime.date(2025, 3, 1),
    )
    letters = [
        letter
        for letter in services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY)
        if letter.reason in (ReminderReason.TERM_EXPIRING, ReminderReason.TERM_OVERDUE)
    ]
    assert reasons(letters) == [("乙局机关党支部", "TERM_OVERDUE"), ("甲局机关党支部", "TERM_EXPIRING")]
    overdue = next(letter for letter in letters if letter.reason == ReminderReason.TERM_OVERDUE)
    assert "2025年3月1日届满" in overdue.body
    assert all(letter.status == LetterStatus.DRAFT for letter in letters)


def test_probation_ending_within_30_days_or_past_is_drafted(committee, branch_a, branch_b, staff):
    make_member(branch_a, "快转正", status=Status.PROBATIONARY, admitted_on=datetime.date(2024, 7, 1))
    make_member(branch_a, "已到期", status=Status.PROBATIONARY, admitted_on=datetime.date(2024, 5, 1))
    make_member(branch_b, "还早", status=Status.PROBATIONARY, admitted_on=datetime.date(2024, 12, 1))
    letters = [
        letter
        for letter in services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY)
        if letter.reason == ReminderReason.PROBATION_ENDING
    ]
    assert reasons(letters) == [("甲局机关党支部", "PROBATION_ENDING")]
    assert "快转正" in letters[0].body and "已到期" in letters[0].body and "还早" not in letters[0].body


def test_probation_ending_counts_an_extension(committee, branch_a, branch_b, staff):
    """An extended probation ends months after the anniversary (members.rules.probation_end)."""
    from members.rules import probation_end

    def extended(organization, name, admitted_on, months):
        member = make_member(organization, name, status=Status.PROBATIONARY, admitted_on=admitted_on)
        member.probation_extension_months = months
        member.save(update_fields=["probation_extension_months"])
        return member

    # Anniversary passed, extension running until 1 September: not due yet.
    running = extended(branch_b, "延长未满", datetime.date(2024, 3, 1), 6)
    # Extension ending on 1 July, within the notice period.
    soon = extended(branch_a, "延长将满", datetime.date(2024, 1, 1), 6)
    # Extension ended on 1 June: overdue.
    past = extended(branch_a, "延长已满", datetime.date(2023, 12, 1), 6)
    assert probation_end(running) == datetime.date(2025, 9, 1)
    letters = [
        letter
        for letter in services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY)
        if letter.reason == ReminderReason.PROBATION_ENDING
    ]
    assert reasons(letters) == [("甲局机关党支部", "PROBATION_ENDING")]
    body = letters[0].body
    assert "延长未满" not in body
    assert f"{soon.name}（2024年1月1日入党，预备期延长6个月，于2025年7月1日将届满）" in body
    assert f"{past.name}（2023年12月1日入党，预备期延长6个月，于2025年6月1日已届满）" in body


def test_missing_activities_are_drafted_for_the_branch(committee, branch_a, branch_b, staff):
    for month in range(1, 6):
        for kind in (ActivityKind.THEME_DAY, ActivityKind.COMMITTEE_MEETING):
            services.activity_create(
                actor=staff,
                organization=branch_b,
                kind=kind,
                date=datetime.date(2025, month, 3),
                title="按时开展",
            )
    services.activity_create(
        actor=staff,
        organization=branch_b,
        kind=ActivityKind.GENERAL_MEETING,
        date=datetime.date(2025, 3, 3),
        title="大会",
    )
    services.activity_create(
        actor=staff,
        organization=branch_b,
        kind=ActivityKind.PARTY_LECTURE,
        date=datetime.date(2025, 3, 4),
        title="党课",
    )
    letters = [
        letter
        for letter in services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY)
        if letter.reason == ReminderReason.ACTIVITIES_MISSING
    ]
    assert reasons(letters) == [("甲局机关党支部", "ACTIVITIES_MISSING")]
    assert "主题党日（1月、2月、3月、4月、5月）" in letters[0].body


def test_overdue_list_items_are_drafted(committee, branch_a, staff):
    services.responsibility_list_issue(
        actor=staff,
        issuer=committee,
        prefix="党工通",
        title="清单",
        issued_on=datetime.date(2025, 1, 10),
        items=[
            services.ItemEntry(
                "签订责任书", responsible_organization=branch_a, deadline=datetime.date(2025, 3, 1)
            )
        ],
    )
    letters = [
        letter
        for letter in services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY)
        if letter.reason == ReminderReason.ITEMS_OVERDUE
    ]
    assert reasons(letters) == [("甲局机关党支部", "ITEMS_OVERDUE")]
    assert "签订责任书（党工通〔2025〕1号" in letters[0].body


def test_drafting_twice_does_not_duplicate_open_letters(committee, branch_a, staff):
    Election.objects.create(
        organization=branch_a,
        term_number=1,
        elected_on=datetime.date(2022, 3, 1),
        expires_on=datetime.date(2025, 3, 1),
    )
    first = services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY)
    second = services.reminder_letters_draft(actor=staff, sender=committee, today=TODAY)
    assert first and second == []


def _letter(committee, branch_a, staff):
    return services.reminder_letter_create(
        actor=staff,
        sender=committee,
        addressee=branch_a,
        reason=ReminderReason.TERM_OVERDUE,
        subject="关于按期换届的提醒函",
        body="甲局机关党支部：\n\n请按期换届。",
    )


def test_review_issue_and_handle(committee, branch_a, staff, secretary):
    letter = _letter(committee, branch_a, staff)
    services.reminder_letter_update(
        actor=staff, letter=letter, subject="关于按期换届的提醒函", body="修改后的正文"
    )
    services.reminder_letter_issue(
        actor=staff, letter=letter, prefix="党工提", issued_on=datetime.date(2025, 6, 16)
    )
    assert letter.document.number == "党工提〔2025〕1号"
    assert letter.document.kind == "REMINDER"
    with pytest.raises(ValidationError):
        services.reminder_letter_update(actor=staff, letter=letter, subject="再改", body="再改")
    services.reminder_letter_mark_handled(actor=secretary, letter=letter, note="已启动换届程序")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.HANDLED and letter.handled_by == secretary
    with pytest.raises(ValidationError):
        services.reminder_letter_mark_handled(actor=secretary, letter=letter)


def test_the_secretary_sees_it_at_home_and_marks_it_handled(committee, branch_a, staff, secretary_client):
    letter = _letter(committee, branch_a, staff)
    home = secretary_client.get(reverse("home")).content.decode()
    assert "关于按期换届的提醒函" not in home  # a draft is not sent yet
    services.reminder_letter_issue(
        actor=staff, letter=letter, prefix="党工提", issued_on=datetime.date(2025, 6, 16)
    )
    home = secretary_client.get(reverse("home")).content.decode()
    assert "关于按期换届的提醒函" in home and "本月还需完成" in home
    response = secretary_client.post(
        reverse("activities:letter_handled", args=[letter.pk]), {"handling_note": "已办"}
    )
    assert response.status_code == 302
    assert ReminderLetter.objects.get(pk=letter.pk).status == LetterStatus.HANDLED
    assert "关于按期换届的提醒函" not in secretary_client.get(reverse("home")).content.decode()


def test_the_letter_prints_as_a_pdf(committee, branch_a, staff, staff_client):
    from io import BytesIO

    from pypdf import PdfReader

    letter = _letter(committee, branch_a, staff)
    services.reminder_letter_issue(
        actor=staff, letter=letter, prefix="党工提", issued_on=datetime.date(2025, 6, 16)
    )
    response = staff_client.get(reverse("activities:letter_pdf", args=[letter.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "工作提醒函" in text and "党工提〔2025〕1号" in text


def test_the_pdf_is_laid_out_as_an_official_letter(committee, branch_a, staff, staff_client):
    """GB/T 9704: the issuer's mark heads the page, then the number; the addressee line starts at
    the left margin (28 mm) while paragraphs are indented; sender and date stand on the right."""
    from io import BytesIO

    from pypdf import PdfReader

    letter = services.reminder_letter_create(
        actor=staff,
        sender=committee,
        addressee=branch_a,
        reason=ReminderReason.TERM_OVERDUE,
        subject="关于按期换届的提醒函",
        body=f"{branch_a.name}：\n\n你组织任期已届满。\n\n特此提醒。",
    )
    services.reminder_letter_issue(actor=staff, letter=letter, prefix="党工提", issued_on=TODAY)
    response = staff_client.get(reverse("activities:letter_pdf", args=[letter.pk]))
    page = PdfReader(BytesIO(response.content)).pages[0]
    runs = []

    def visit(text, cm, tm, *_):
        if text.strip():  # x in points on the page: the text matrix's offset through the current matrix
            runs.append((text.strip(), tm[4] * cm[0] + cm[4]))

    page.extract_text(visitor_text=visit)
    texts = [text for text, _ in runs]
    assert (
        texts.index(committee.name) < texts.index("党工提〔2025〕1号") < texts.index("关于按期换届的提醒函")
    )
    x = dict(runs)
    left_margin = 28 / 25.4 * 72
    assert abs(x[f"{branch_a.name}："] - left_margin) < 3
    assert x["你组织任期已届满。"] > left_margin + 25  # two characters in
    assert x["2025年6月15日"] > page.mediabox.width / 2
