"""Model fields for personal data kept encrypted at rest (jiguan.crypto).

Declare a personal number as an `EncryptedCharField`, and give it a `BlindIndexField` when it must
be unique or looked up:

    id_number = EncryptedCharField("公民身份号码", max_length=18)
    id_number_hash = BlindIndexField("公民身份号码散列", of="id_number", unique=True)

    objects = EncryptedQuerySet.as_manager()        # or a QuerySet subclassing it

    Member.objects.matching("id_number", number)     # an exact lookup, any key, any typing

The model holds the plain value; the column holds a Fernet token; the hash column the keyed hash of
the normalised number, filled on every save and bulk_create. `max_length` bounds the plain value
(the column itself is text). An encrypted column cannot be filtered on: a lookup on it raises
FieldError instead of silently finding nothing. `QuerySet.update()` and `bulk_update()` skip the
hash: change such a value with `save()` (naming the hash in `update_fields` when giving them).
A dump (dumpdata, a backup) writes the token, so it is of no use without the key; loading one decrypts.
"""

from django.core.exceptions import FieldError
from django.db import models

from jiguan import crypto


class EncryptedCharField(models.CharField):
    def get_internal_type(self):
        return "TextField"  # the token is about 100 characters longer than the value

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def to_python(self, value):
        # A token longer than the field can hold only comes from a dump (loaddata, restore).
        if crypto.is_token(value) and len(value) > (self.max_length or 0):
            return crypto.decrypt(value)
        return super().to_python(value)

    def get_db_prep_save(self, value, connection):
        value = self.get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return crypto.encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: look it up with "
                f'.matching("{self.name}", value) (jiguan.fields.EncryptedQuerySet).'
            )
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """The keyed hash of the normalised value of the field `of` (None when that is empty)."""

    def __init__(self, *args, of: str, **kwargs):
        self.of = of
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = self.of
        # Leave out what __init__ sets by default; write out what differs from it.
        for key, ours, djangos in (
            ("max_length", 64, None),
            ("editable", False, True),
            ("null", True, False),
        ):
            value = kwargs.get(key, djangos)
            if value == ours:
                kwargs.pop(key, None)
            else:
                kwargs[key] = value
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.of)
        digest = crypto.blind_index(value) if value else None
        setattr(model_instance, self.attname, digest)
        return digest


class NameOrderField(models.CharField):
    """How people expect the name of the field `of` in order (jiguan.pinyin.order_key: 第二 before
    第十一, 王 before 张 by pinyin), stored with it on every save and bulk_create, so that lists sort
    in the database: order_by("name_order", "name")."""

    def __init__(self, *args, of: str = "name", **kwargs):
        self.of = of
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = self.of
        for key, ours, djangos in (
            ("max_length", 200, None),
            ("editable", False, True),
            ("default", "", models.NOT_PROVIDED),
            ("db_index", True, False),
        ):
            value = kwargs.get(key, djangos)
            if value == ours:
                kwargs.pop(key, None)
            else:
                kwargs[key] = value
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        from jiguan.pinyin import order_key

        value = order_key(getattr(model_instance, self.of) or "")
        setattr(model_instance, self.attname, value)
        return value


class EncryptedQuerySet(models.QuerySet):
    def matching(self, field: str, value: str):
        """Rows whose encrypted `field` holds `value` (normalised), found through `<field>_hash`."""
        return self.filter(**{f"{field}_hash__in": crypto.blind_indexes(value)})

    def matching_any(self, field: str, values):
        """Rows whose encrypted `field` holds any of `values` (group them by the decrypted value)."""
        hashes = [digest for value in values for digest in crypto.blind_indexes(value)]
        return self.filter(**{f"{field}_hash__in": hashes})
