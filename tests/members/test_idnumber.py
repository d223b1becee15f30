"""The 公民身份号码 (GB 11643): check digit, birth date, gender, and the member services using them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members import idnumber, services
from members.models import Member

# The standard's own example (a woman, check character X) and a man's number.
WOMAN_WITH_X = "11010519491231002X"
MAN = "110101199003077774"


def test_check_digit_of_real_numbers():
    assert idnumber.check_digit(WOMAN_WITH_X[:17]) == "X"
    assert idnumber.check_digit(MAN[:17]) == "4"


def test_gender_and_birth_date_come_from_the_number():
    assert idnumber.gender_of(WOMAN_WITH_X) == "F"
    assert idnumber.gender_of(MAN) == "M"
    assert idnumber.birth_date_of(WOMAN_WITH_X) == datetime.date(1949, 12, 31)


def test_a_lowercase_x_is_accepted():
    assert idnumber.validate_id_number(WOMAN_WITH_X.lower()) is None  # no ValidationError raised
    assert idnumber.gender_of(WOMAN_WITH_X.lower()) == "F"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11010519491231002", "应为18位"),
        ("1101051949123100AX", "前17位应为数字"),
        ("110105194913310021", "出生日期"),
        ("110105194912310021", "校验位错误：最后一位应为X"),
        ("110101199003077775", "校验位错误：最后一位应为4"),
    ],
)
def test_wrong_numbers_are_refused_in_chinese(value, message):
    with pytest.raises(ValidationError) as caught:
        idnumber.validate_id_number(value)
    assert message in caught.value.messages[0]


def _create(actor, organization, **overrides):
    data = dict(
        actor=actor,
        organization=organization,
        name="王芳",
        gender="F",
        id_number=WOMAN_WITH_X,
        admitted_on=datetime.date(1975, 7, 1),
        confirmed_on=datetime.date(1976, 7, 1),
    )
    data.update(overrides)
    return services.member_create(**data)


def test_member_create_takes_the_birth_date_from_the_number(staff, branch_a):
    member = _create(staff, branch_a)
    assert member.birth_date == datetime.date(1949, 12, 31)
    assert member.id_number == WOMAN_WITH_X


def test_gender_contradicting_the_number_is_refused(staff, branch_a):
    with pytest.raises(ValidationError) as caught:
        _create(staff, branch_a, gender="M")
    assert "性别与公民身份号码不符" in caught.value.message_dict["gender"][0]
    assert not Member.objects.exists()


def test_birth_date_contradicting_the_number_is_refused(staff, branch_a):
    with pytest.raises(ValidationError) as caught:
        _create(staff, branch_a, birth_date=datetime.date(1949, 12, 30))
    assert "出生日期与公民身份号码不符" in caught.value.message_dict["birth_date"][0]
    assert not Member.objects.exists()


def test_a_wrong_check_digit_is_refused(staff, branch_a):
    with pytest.raises(ValidationError) as caught:
        _create(staff, branch_a, id_number="110105194912310021")
    assert "校验位" in caught.value.message_dict["id_number"][0]


def test_a_duplicate_number_is_refused(staff, branch_a, branch_b):
    _create(staff, branch_a)
    with pytest.raises(ValidationError) as caught:
        _create(staff, branch_b, id_number=WOMAN_WITH_X.lower())
    assert "已登记" in caught.value.message_dict["id_number"][0]
    assert Member.objects.count() == 1


def test_editing_to_another_members_number_is_refused(staff, branch_a):
    _create(staff, branch_a)
    other = _create(
        staff,
        branch_a,
        name="李强",
        gender="M",
        id_number=MAN,
        admitted_on=datetime.date(2015, 1, 1),
        confirmed_on=datetime.date(2016, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        services.member_edit(
            actor=staff,
            member=other,
            id_number=WOMAN_WITH_X,
            gender="F",
            birth_date=datetime.date(1949, 12, 31),
        )
    assert "已登记" in caught.value.message_dict["id_number"][0]
    other.refresh_from_db()
    assert other.id_number == MAN
