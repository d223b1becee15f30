"""Bounds (issue 12): every field, on every form and import sheet, is checked against what the model
can hold, with a Chinese message naming the field, the same on SQLite and PostgreSQL (the suite
runs on both). The walking tests fail for a new field, form or sheet that escapes."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.urls import reverse

from activities import services as activity_services
from activities.models import Activity, ActivityKind, CondolenceVisit, Document, ResponsibilityItem
from jiguan import bounds
from jiguan import forms as jiguan_forms
from jiguan.bounds import EARLIEST_DATE, latest_date
from organizations.models import Unit
from tests.activities.helpers import visits_data


@pytest.fixture(autouse=True)
def _a_day_of_2026(clock):
    """The dates and bounds below are written for 24 November 2026 (ten years ahead: 2036), whatever
    day JIGUAN_TEST_NOW runs the rest of the suite on."""
    clock.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))


PROJECT_APPS = ["jiguan", "organizations", "members", "activities", "reports"]
TODAY = datetime.date(2026, 11, 24)  # tests/conftest.py's clock


def project_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            yield model, field


def too_much(field):
    """A value `field` cannot hold, and the message naming it that it must give."""
    label = f"“{field.verbose_name}”"
    if isinstance(field, models.DateField):
        return datetime.date(2200, 1, 1), label
    if isinstance(field, models.IntegerField):
        return 10**30, label
    if isinstance(field, models.DecimalField):
        return Decimal(10) ** 30, label
    return "长" * (field.max_length + 1), label


# --- the walk over every model field ------------------------------------------------------------


def test_every_field_of_every_model_has_a_bound_or_is_known_to_need_none():
    """A field of a type jiguan.bounds does not know makes bounds_of raise: add the type there."""
    unbounded = []
    for _model, field in project_fields():
        found = bounds.bounds_of(field)
        if not found:
            unbounded.append(field)
            assert isinstance(field, bounds.UNBOUNDED_TYPES) or field.auto_now or field.auto_now_add
            continue
        installed = [b for b in field.validators if isinstance(b, bounds._Bound)]
        assert [(type(b), vars(b)) for b in installed] == [(type(b), vars(b)) for b in found], field
        # Django's own length and range validators (database-dependent, nameless) are gone.
        assert not any(type(v) in (MaxLengthValidator, MaxValueValidator) for v in field.validators), field
    assert unbounded  # keys, time stamps, booleans, texts


@pytest.mark.parametrize(
    "model, field",
    [
        (model, field)
        for model, field in project_fields()
        if bounds.bounds_of(field) and model._meta.app_label in PROJECT_APPS
    ],
    ids=lambda item: getattr(item, "name", getattr(item, "__name__", "")),
)
def test_a_value_too_big_for_the_field_is_refused_naming_it(model, field):
    value, label = too_much(field)
    instance = model()
    setattr(instance, field.attname, value)
    found = bounds.errors(instance)
    assert field.name in found
    assert all(message.startswith(label) and message.endswith("。") for message in found[field.name])
    with pytest.raises(ValidationError) as caught:
        instance.clean_fields(exclude=[f.name for f in model._meta.fields if f.name != field.name])
    if not field.choices:  # a value outside the choices is refused as such first
        assert any(m.startswith(label) for m in caught.value.message_dict[field.name])


def test_the_integer_ranges_are_postgresql_s_on_every_database():
    field = Activity._meta.get_field("expected_count")
    assert bounds.errors(Activity(expected_count=2147483647)) == {}
    assert bounds.errors(Activity(expected_count=3_000_000_000)) == {
        "expected_count": ["“应到人数”应为0至2147483647之间的整数。"]
    }
    assert field.validators[-1].limits() == (0, 2147483647)
    assert bounds.errors(ResponsibilityItem(number=32768)) == {"number": ["“序号”应为0至32767之间的整数。"]}


def test_dates_run_from_1900_to_the_end_of_the_tenth_year_ahead():
    assert latest_date() == datetime.date(TODAY.year + 10, 12, 31)
    assert bounds.errors(Activity(date=latest_date())) == {}
    assert bounds.errors(Activity(date=EARLIEST_DATE)) == {}
    assert bounds.errors(Activity(date=datetime.date(2199, 5, 1))) == {
        "date": ["“日期”不能晚于2036年12月31日。"]
    }
    assert bounds.errors(Activity(date=datetime.date(1899, 12, 31))) == {
        "date": ["“日期”不能早于1900年1月1日。"]
    }


def test_year_fields_take_the_years_of_the_dates():
    assert bounds.errors(Document(year=2026)) == {}
    assert bounds.errors(Document(year=9999)) == {"year": ["“年份”应在1900年至2036年之间。"]}


def test_decimal_digits_are_counted():
    assert bounds.errors(CondolenceVisit(amount=Decimal("99999999.99"))) == {}
    assert bounds.errors(CondolenceVisit(amount=Decimal("100000000"))) == {
        "amount": ["“慰问金（元）”最多8位整数、2位小数。"]
    }
    assert bounds.errors(CondolenceVisit(amount=Decimal("1.005"))) == {
        "amount": ["“慰问金（元）”最多8位整数、2位小数。"]
    }


# --- every write path --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_save_that_skips_full_clean_is_still_refused_with_the_message():
    with pytest.raises(ValidationError) as caught:
        Unit(name="长" * 10_000).save()
    assert caught.value.message_dict == {"name": ["“单位名称”不能超过100个字（现为10000个字）。"]}
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_a_bulk_insert_checks_its_rows(branch_a, staff):
    lines = [activity_services.CondolenceEntry(person_name="长" * 10_000, amount=Decimal(1), note="")]
    with pytest.raises(ValidationError) as caught:
        activity_services.activity_create(
            actor=staff,
            organization=branch_a,
            kind=ActivityKind.CONDOLENCE_VISIT,
            date=datetime.date(2025, 6, 28),
            title="走访",
            condolence_visits=lines,
        )
    assert caught.value.message_dict == {
        "condolence_visits": ["第1位慰问对象：“慰问对象”不能超过50个字（现为10000个字）。"]
    }
    assert not Activity.objects.exists()


def activity_post(client, organization, **fields):
    data = {
        "organization": organization.pk,
        "kind": ActivityKind.THEME_DAY,
        "date": "2025-05-20",
        "title": "主题党日",
    }
    data.update(fields)
    return client.post(reverse("activities:create"), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, message",
    [
        ({"expected_count": str(10**30)}, "“应到人数”应为0至2147483647之间的整数。"),
        ({"expected_count": "3000000000"}, "“应到人数”应为0至2147483647之间的整数。"),
        ({"date": "2199-05-01"}, "“日期”不能晚于2036年12月31日。"),
        ({"place": "长" * 10_000}, "确保该变量包含不超过 100 字符 (目前字符数 10000)。"),
        (
            {
                "kind": ActivityKind.CONDOLENCE_VISIT,
                **visits_data({"person_name": "长" * 10_000, "amount": "500"}),
            },
            "或：非党员姓名：确保该变量包含不超过 50 字符 (目前字符数 10000)。",
        ),
        (
            {
                "kind": ActivityKind.CONDOLENCE_VISIT,
                **visits_data({"person_name": "王大爷", "amount": "9" * 30}),
            },
            "慰问金（元）：确认总共不超过 10 个数字",
        ),
    ],
    ids=["10^30", "3e9", "2199", "long-place", "long-condolence", "huge-money"],
)
def test_the_activity_form_refuses_what_no_field_can_hold(staff_client, branch_a, fields, message):
    response = activity_post(staff_client, branch_a, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_a_list_item_too_long_is_refused(staff_client, committee):
    response = staff_client.post(
        reverse("activities:list_create"),
        {
            "kind": "RESPONSIBILITY",
            "prefix": "党工通",
            "title": "责任清单",
            "issued_on": "2025-03-01",
            "year": "2025",
            "items": "长" * 10_000 + "｜中共测试县委县直机关工委",
        },
    )
    assert response.status_code == 200
    assert "第1项：“任务”不能超过300个字（现为10000个字）。" in response.content.decode()
    assert not ResponsibilityItem.objects.exists() and not Document.objects.exists()


@pytest.mark.django_db
def test_a_confirmation_date_in_2200_is_refused(staff_client, branch_a):
    response = staff_client.post(
        reverse("members:create"),
        {
            "name": "张三",
            "gender": "M",
            "id_number": "110101198001010011",
            "organization": branch_a.pk,
            "category": "IN_SERVICE",
            "admitted_on": "2020-01-01",
            "confirmed_on": "2200-01-01",
        },
    )
    assert response.status_code == 200
    assert "“转正日期”不能晚于2036年12月31日。" in response.content.decode()


# --- every form ----------------------------------------------------------------------------------


def project_forms():
    for app in PROJECT_APPS:  # every forms module, the domain packages' (members.dues.forms, ...) too
        for path in (settings.BASE_DIR / app).rglob("forms.py"):
            importlib.import_module(".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts))
    importlib.import_module("jiguan.importing_web")
    found, pending = set(), [forms.Form]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_APPS:
                found.add(subclass)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def test_every_form_of_the_project_is_bounded():
    """Every form with a date or a whole number derives from jiguan.forms.Form, which bounds them;
    the others (Django's sign-in and password forms) hold neither."""
    escaped = [
        f"{c.__module__}.{c.__name__}"
        for c in project_forms()
        if not issubclass(c, jiguan_forms.Form)
        and any(isinstance(f, forms.DateField | forms.IntegerField) for f in c.base_fields.values())
    ]
    assert len(project_forms()) > 30
    assert escaped == []


def test_a_form_bounds_dates_and_whole_numbers_it_does_not_bound_itself():
    class Sample(jiguan_forms.Form):
        day = forms.DateField(label="日期")
        count = forms.IntegerField(label="人数", min_value=0)
        month = forms.IntegerField(label="月份", min_value=1, max_value=12)

    form = Sample({"day": "2199-01-01", "count": str(10**30), "month": "13"})
    assert form.errors == {
        "day": ["“日期”不能晚于2036年12月31日。"],
        "count": ["“人数”应为0至2147483647之间的整数。"],
        "month": ["确保该值小于或等于12。"],
    }
    assert Sample({"day": "2030-01-01", "count": "2147483647", "month": "12"}).is_valid()


# --- ?year= ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", [str(10**30), "99999", "1899", "二〇二五"])
def test_a_year_out_of_range_is_a_404_with_a_message(staff_client, year):
    response = staff_client.get(reverse("members:medals"), {"year": year})
    assert response.status_code == 404
    text = response.content.decode()
    assert "“年度”应在1900年至2036年之间。" in text or "无法识别，请填写四位数的年份。" in text


@pytest.mark.django_db
def test_a_medal_award_for_a_year_out_of_range_is_a_404(staff_client):
    response = staff_client.post(reverse("members:medal_award"), {"year": str(10**30), "member": "1"})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["members:commendations", "activities:documents"])
def test_a_year_filter_out_of_range_says_so(staff_client, url):
    response = staff_client.get(reverse(url), {"year": str(10**30)})
    assert response.status_code == 200
    assert "之间。" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/reports/dashboard/?year=1000000000000000000000000000000",
        "/activities/rhythm/?year=1000000000000000000000000000000",
        "/organizations/1000000000000000000000000000000/",
        "/members/1000000000000000000000000000000/",
        "/reports/1/1000000000000000000000000000000/",
        "/reports/1/99999/",
    ],
)
def test_numbers_too_big_in_urls_are_never_a_500(staff_client, url):
    staff_client.raise_request_exception = False
    response = staff_client.get(url)
    assert response.status_code in (200, 400, 404)  # 400: the dashboard's own page naming the years
    assert "年" in response.content.decode()
