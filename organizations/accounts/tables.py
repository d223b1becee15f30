import django_tables2 as tables

from jiguan.models import User
from jiguan.tables import Table


class AccountTable(Table):
    username = tables.LinkColumn("accounts:edit", args=[tables.A("pk")], verbose_name="用户名")
    full_name = tables.Column(verbose_name="姓名")
    role = tables.Column(verbose_name="角色")
    organization = tables.Column(verbose_name="所在党组织", accessor="account_organization__organization")
    is_active = tables.BooleanColumn(verbose_name="启用", yesno="是,否")
    locked_until = tables.DateTimeColumn(verbose_name="锁定至", format="Y年n月j日 H:i")
    last_login = tables.DateTimeColumn(verbose_name="最近登录", format="Y年n月j日 H:i")

    class Meta:
        model = User
        fields = ("username", "full_name", "role", "organization", "is_active", "locked_until", "last_login")
        empty_text = "暂无账号"
