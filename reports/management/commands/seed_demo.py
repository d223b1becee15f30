from django.core.management.base import BaseCommand

from jiguan.demo import DEMO_PASSWORD
from organizations.demo_accounts import DEMO_ACCOUNTS
from reports import demo


class Command(BaseCommand):
    help = "建立演示县的数据（党组织、党员、活动、文件），可重复运行。"

    def handle(self, *args, **options):
        if demo.already_seeded():
            self.stdout.write("演示数据已存在，未做改动。")
        else:
            demo.build()
            self.stdout.write(self.style.SUCCESS("演示数据已建立。"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, role, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<8} {full_name}（{role.label}）")
