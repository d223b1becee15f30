# The rule "a secretary has an organization" moves with the accounts' organizations to
# organizations.accounts.services (organizations.AccountOrganization, next migrations).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('jiguan', '0003_sign_in_throttle_and_first_password'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='user',
            name='secretary_has_organization',
        ),
    ]
