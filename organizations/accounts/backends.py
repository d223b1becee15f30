from django.contrib.auth.backends import ModelBackend

from jiguan.models import User


class AccountBackend(ModelBackend):
    """Django's own sign-in, with the account's organization (organizations.AccountOrganization)
    read in the same query as the account on every request: scoping reads it on every page."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("account_organization").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
