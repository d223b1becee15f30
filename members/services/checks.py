"""Checks of a member's identity and membership dates: the one check behind the form, the services
and the import."""

from django.core.exceptions import ValidationError

from jiguan.dates import add_months, age_on, chinese_date
from jiguan.numbers import normalize_number
from members import idnumber
from members.models import NATIONAL_FIELDS, Category, Member, Status
from members.rules import normal_probation_end, rules

DUPLICATE_MEMBER = "该公民身份号码已登记在党员名册中。"
DUPLICATE_PROSPECT = "该公民身份号码已登记为入党申请人。"


def identity_errors(*, id_number, gender, birth_date, exclude_member_pk=None, check_duplicate=True):
    """Errors (field -> Chinese message) of an ID number and the gender and birth date given with it."""
    errors = {}
    try:
        idnumber.validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
        return errors
    id_number = normalize_number(id_number)
    if gender and gender != idnumber.gender_of(id_number):
        errors["gender"] = "性别与公民身份号码不符（第17位奇数为男，偶数为女）。"
    if birth_date and birth_date != idnumber.birth_date_of(id_number):
        errors["birth_date"] = "出生日期与公民身份号码不符（第7至14位）。"
    if check_duplicate:
        duplicates = Member.objects.matching("id_number", id_number)
        if exclude_member_pk:
            duplicates = duplicates.exclude(pk=exclude_member_pk)
        if duplicates.exists():
            errors["id_number"] = DUPLICATE_MEMBER
    return errors


def confirmation_errors(*, admitted_on, confirmed_on, extension_months=0):
    """The 转正日期 rule: not before one year of probation; with an extension, within the extension."""
    if confirmed_on is None:
        return {}
    normal_end = normal_probation_end(admitted_on)
    if not extension_months:
        if confirmed_on < normal_end:
            return {
                "confirmed_on": f"转正日期应在入党日期满一年预备期之后（不早于{chinese_date(normal_end)}）。"
            }
        return {}
    extended_end = add_months(normal_end, extension_months)
    if not normal_end < confirmed_on <= extended_end:
        return {
            "confirmed_on": f"预备期已延长{extension_months}个月，"
            f"转正日期应在{chinese_date(normal_end)}之后、{chinese_date(extended_end)}之前（含）。"
        }
    return {}


def member_errors(
    *,
    id_number,
    gender,
    birth_date,
    admitted_on,
    confirmed_on,
    organization=None,
    joined_on=None,
    exclude_member_pk=None,
    check_duplicate=True,
):
    """Errors (field -> Chinese message) of a member's identity and membership dates: the ID number
    with the gender and birth date given, age on 入党日期, the 转正日期 rule, and an organization
    dissolved before the membership starts. The one check behind the form, the service and the import.
    """
    errors = identity_errors(
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        exclude_member_pk=exclude_member_pk,
        check_duplicate=check_duplicate,
    )
    if birth_date is None and not errors.get("id_number"):
        birth_date = idnumber.birth_date_of(normalize_number(id_number))
    if admitted_on is None:
        errors["admitted_on"] = "请填写入党日期。"
        return errors
    minimum_age = rules()["MIN_APPLICANT_AGE"]
    if birth_date and age_on(birth_date, admitted_on) < minimum_age:
        errors["admitted_on"] = f"入党时应年满{minimum_age}周岁。"
    else:
        errors.update(confirmation_errors(admitted_on=admitted_on, confirmed_on=confirmed_on))
    if joined_on and joined_on < admitted_on:
        errors["joined_on"] = "转入日期不能早于入党日期。"
    elif organization is not None:
        # Membership starts on the day of joining, or on 入党日期 (the founding day when the
        # organization was founded later: members admitted elsewhere before it existed).
        valid_from = joined_on or max(admitted_on, organization.founded_on)
        problem = organization.existence_problem(valid_from, "加入")
        if problem:
            errors["organization"] = problem
    return errors


def new_member(
    *,
    organization,
    name,
    gender,
    id_number,
    birth_date,
    admitted_on,
    confirmed_on=None,
    ethnicity="汉族",
    education="",
    phone="",
    category=Category.IN_SERVICE,
    **details,
):
    """An unsaved Member: full (正式党员) when a 转正日期 is given, probationary otherwise.
    `details`: any of NATIONAL_FIELDS (学位, 籍贯, 工作岗位, 现居住地, 失联, 流动)."""
    unknown = set(details) - set(NATIONAL_FIELDS)
    if unknown:
        raise TypeError(f"new_member() got unexpected {sorted(unknown)}")
    return Member(
        **details,
        name=name.strip(),
        gender=gender,
        id_number=normalize_number(id_number),
        birth_date=birth_date,
        ethnicity=ethnicity,
        education=education,
        phone=normalize_number(phone),
        organization=organization,
        category=category,
        status=Status.FULL if confirmed_on else Status.PROBATIONARY,
        admitted_on=admitted_on,
        confirmed_on=confirmed_on,
    )


def raise_errors(errors):
    if errors:
        raise ValidationError(errors)
