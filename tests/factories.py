"""Factories for tests. They write rows directly; tests of the rules go through the services."""

import datetime

import factory

from jiguan.models import Role, User
from organizations.models import AccountOrganization, Kind, Organization, OrganizationVersion, Unit

PASSWORD = "Ceshi-mima-2026"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"县测试局{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An organization with its first version (name and parent from its founding day)."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    kind = Kind.BRANCH
    name = factory.Sequence(lambda n: f"测试党支部{n}")
    founded_on = datetime.date(2010, 1, 1)
    parent = None
    unit = None

    @factory.post_generation
    def version(obj, create, extracted, **kwargs):
        if create:
            OrganizationVersion.objects.create(
                organization=obj, name=obj.name, parent=obj.parent, valid_from=obj.founded_on
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def organization(obj, create, extracted, **kwargs):
        """UserFactory(organization=...): the account's organization (organizations.AccountOrganization)."""
        if create and extracted is not None:
            AccountOrganization.objects.create(user=obj, organization=extracted)


# --- members (appended by the members app) -----------------------------------------------------

_id_serial = iter(range(1, 10**6))


def id_number_for(birth_date, gender="M", region="450322"):
    """A valid 18-character ID number for `birth_date` and `gender`, different on every call."""
    from members.idnumber import check_digit

    serial = next(_id_serial) % 500
    sequence = serial * 2 + (1 if gender == "M" else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


class MemberFactory(factory.django.DjangoModelFactory):
    """A full member with one version from 入党日期 (rows written directly, no events)."""

    class Meta:
        model = "members.Member"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"党员{n}")
    gender = "M"
    birth_date = datetime.date(1980, 5, 1)
    id_number = factory.LazyAttribute(lambda o: id_number_for(o.birth_date, o.gender))
    organization = None
    category = "IN_SERVICE"
    status = "FULL"
    admitted_on = datetime.date(2005, 7, 1)
    confirmed_on = factory.LazyAttribute(
        lambda o: (
            datetime.date(o.admitted_on.year + 1, o.admitted_on.month, o.admitted_on.day)
            if o.status == "FULL"
            else None
        )
    )
    left_on = None
    left_reason = factory.LazyAttribute(lambda o: "TRANSFERRED_OUT" if o.left_on else "")

    @factory.post_generation
    def version(obj, create, extracted, **kwargs):
        """The membership stretch: from `version__valid_from` (default 入党日期, or the organization's
        founding when later) to the day they left the roster."""
        if create:
            from members.models import MemberVersion

            MemberVersion.objects.create(
                member=obj,
                organization=obj.organization,
                category=obj.category,
                valid_from=kwargs.get("valid_from") or max(obj.admitted_on, obj.organization.founded_on),
                valid_to=obj.left_on,
            )


# The steps a stage follows from (members.development.stage_on), and when ProspectFactory records
# them unless told otherwise.
STAGE_STEPS = {
    "APPLICANT": ((1, datetime.date(2024, 1, 1)),),
    "ACTIVIST": ((1, datetime.date(2024, 1, 1)), (3, datetime.date(2024, 3, 1))),
    "CANDIDATE": (
        (1, datetime.date(2024, 1, 1)),
        (3, datetime.date(2024, 3, 1)),
        (7, datetime.date(2025, 3, 2)),
    ),
}


class ProspectFactory(factory.django.DjangoModelFactory):
    """A prospect with the development steps their stage follows from (rows written directly):
    `steps=[(number, day), …]`, by default those of STAGE_STEPS for the stage."""

    class Meta:
        model = "members.Prospect"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"积极分子{n}")
    gender = "F"
    birth_date = datetime.date(1995, 1, 1)
    id_number = factory.LazyAttribute(lambda o: id_number_for(o.birth_date, o.gender))
    organization = None
    stage = "ACTIVIST"
    applied_on = datetime.date(2024, 1, 1)

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        if create:
            from members.models import DevelopmentStep

            for number, day in STAGE_STEPS.get(obj.stage, ()) if extracted is None else extracted:
                DevelopmentStep.objects.create(prospect=obj, number=number, done_on=day)


def dues_ledger_up_to_date(years=range(2018, 2028)) -> None:
    """The dues ledger as the background run leaves it after each write (reports.warming): the
    years filled, the members the writes marked computed again. A page's queries are then its own
    (members.dues.ledger's costs are pinned in tests/dues/test_ledger.py)."""
    from members.dues import ledger

    ledger.bring_up_to_date(years)
