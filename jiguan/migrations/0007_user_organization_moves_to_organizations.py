from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('jiguan', '0006_secretary_organization_checked_by_organizations'),
        # The accounts' organizations are copied to organizations.AccountOrganization first.
        ('organizations', '0006_account_organization'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='user',
            name='organization',
        ),
    ]
