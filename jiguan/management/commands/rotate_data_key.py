"""Encrypt and hash every personal value again under the first data key (README, "The data key")."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from jiguan import crypto
from jiguan.fields import BlindIndexField, EncryptedCharField


def encrypted_models():
    """(model, names of its encrypted fields and of their hashes) for every model holding one."""
    found = []
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedCharField | BlindIndexField)
        ]
        if names:
            found.append((model, names))
    return found


class Command(BaseCommand):
    help = "用第一个数据密钥重新加密全部身份证号码和电话号码（更换密钥后运行）；--new-key 生成一个新密钥。"

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="只生成并打印一个新密钥")

    def handle(self, *args, new_key=False, **options):
        if new_key:
            self.stdout.write(crypto.new_key())
            return
        for model, names in encrypted_models():
            count = 0
            with transaction.atomic():
                # Reading decrypts with any key; saving encrypts with the first and hashes again.
                for obj in model.objects.select_for_update().order_by("pk").iterator(chunk_size=500):
                    obj.save(update_fields=names)
                    count += 1
            self.stdout.write(f"{model._meta.verbose_name}：{count} 条已用新密钥重新加密。")
        self.stdout.write(
            self.style.SUCCESS("完成。现在可以从 JIGUAN_DATA_KEY（或 var/data_key）中删去旧密钥。")
        )
