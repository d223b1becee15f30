from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from jiguan.models import SignInThrottle, User


def accounts():
    """Every account, with `locked_until` when its name is locked after failed sign-ins."""
    lock = SignInThrottle.objects.filter(
        key=Concat(Value(SignInThrottle.ACCOUNT), OuterRef("username")), locked_until__gt=timezone.now()
    )
    return (
        User.objects.select_related("account_organization__organization")
        .annotate(locked_until=Subquery(lock.values("locked_until")[:1]))
        .order_by("role", "username")
    )
