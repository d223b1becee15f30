"""Factories for tests. They write rows directly; tests of the rules go through the services."""

import datetime

import factory

from jiguan.models import Role, User
from organizations.models import Kind, Organization, OrganizationVersion, Unit

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
