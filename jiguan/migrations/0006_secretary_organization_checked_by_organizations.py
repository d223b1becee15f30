# The rule "a secretary has an organization" moves with the accounts' organizations to
# organizations.accounts.services (organizations.AccountOrganization, next migrations).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('jiguan', '0005_background_jobs'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='user',
            name='secretary_has_organization',
        ),
    ]
