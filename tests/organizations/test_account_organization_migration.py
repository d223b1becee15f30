"""An installation from before organizations.AccountOrganization: each account's organization
(the former jiguan.User.organization) is copied over, and back when the migrations are reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from organizations.models import AccountOrganization

BEFORE = [("jiguan", "0005_background_jobs"), ("organizations", "0005_appointment_member_goes_version_label")]  # fmt: skip
AFTER = [("jiguan", "0007_user_organization_moves_to_organizations")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_each_accounts_organization_is_carried_over(branch_a, committee):
    try:
        _migrate_to_latest()  # whatever an earlier migration test left, then back (one direction per plan)
        old_apps = _migrate(BEFORE)
        OldUser = old_apps.get_model("jiguan", "User")
        secretary = OldUser.objects.create(username="zhang", role="SECRETARY", organization_id=branch_a.pk)
        staff = OldUser.objects.create(username="li", role="STAFF", organization_id=committee.pk)
        nobody = OldUser.objects.create(username="wang", role="LEADERSHIP")

        _migrate(AFTER)
        assert dict(AccountOrganization.objects.values_list("user_id", "organization_id")) == {
            secretary.pk: branch_a.pk,
            staff.pk: committee.pk,
        }

        old_apps = _migrate(BEFORE)
        OldUser = old_apps.get_model("jiguan", "User")
        assert OldUser.objects.get(pk=secretary.pk).organization_id == branch_a.pk
        assert OldUser.objects.get(pk=nobody.pk).organization_id is None
    finally:
        _migrate_to_latest()
