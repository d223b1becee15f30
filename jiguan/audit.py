"""The history of every change, written from the services (one place, one model).

A change of a record goes through `update`, inside the service's transaction:

    audit.update(actor, member, {"category": category}, unique={"id_number": DUPLICATE_MEMBER})

which is the one sequence snapshot → change → full_clean → save → record_update. `record_create`
and `record_delete` take the object itself. Values of sensitive fields are
masked (jiguan.masking) before they are stored.
"""

import datetime
import decimal
import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from jiguan import data_version
from jiguan.fields import BlindIndexField, NameOrderField
from jiguan.integrity import refuse_duplicate
from jiguan.masking import MASKERS, mask_field
from jiguan.models import AuditAction, AuditEntry


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name"):  # a FieldFile
        return value.name or ""
    return str(value)


def _display(obj, field):
    """The value as a user reads it: choice labels, related names, masked personal data."""
    if field.is_relation:
        related = getattr(obj, field.name, None)
        value = str(related) if related is not None else None
    elif field.choices:
        value = getattr(obj, f"get_{field.name}_display")() if getattr(obj, field.attname) else None
    else:
        value = _plain(getattr(obj, field.attname))
    return mask_field(field.name, value)


def _fields(obj):
    return [
        f
        for f in obj._meta.concrete_fields
        if not f.primary_key
        and f.name not in {"password", "last_login", "created_at", "updated_at"}
        # A hash or a sort key of another field: derived, meaningless to a reader.
        and not isinstance(f, BlindIndexField | NameOrderField)
    ]


def snapshot(obj):
    """The audited values of `obj` now, to compare with after a change."""
    return {f.name: _display(obj, f) for f in _fields(obj)}


def _labels(obj):
    return {f.name: str(f.verbose_name) for f in _fields(obj)}


def _write(actor, obj, action, changes):
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.display_name if actor is not None and actor.pk else "系统"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
    )


def record_create(actor, obj):
    labels = _labels(obj)
    changes = {
        name: {"label": labels[name], "old": None, "new": value}
        for name, value in snapshot(obj).items()
        if value not in (None, "")
    }
    return _write(actor, obj, AuditAction.CREATE, changes)


def record_update(actor, obj, before):
    """Record the fields that differ from `before` (a snapshot); nothing when none differ."""
    after = snapshot(obj)
    labels = _labels(obj)
    changes = {
        name: {"label": labels[name], "old": before.get(name), "new": value}
        for name, value in after.items()
        if before.get(name) != value
    }
    if not changes:
        return None
    return _write(actor, obj, AuditAction.UPDATE, changes)


def update(actor, obj, changes: dict, *, unique=None, exclude=None):
    """Change `obj` and record it: snapshot → set `changes` ({field: value}) → full_clean → save →
    record_update. Only the changed fields are written (with `updated_at` and the blind indexes
    derived from them), so what another request changed in other fields meanwhile stays.

    `unique`: what a unique constraint's refusal at save becomes (jiguan.integrity.refuse_duplicate:
    a {field: message}, or a check to run again). `exclude`: fields full_clean leaves out."""
    before = snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=exclude)
    written = set(changes)
    for field in obj._meta.concrete_fields:
        if field.name == "updated_at" or (isinstance(field, BlindIndexField) and field.of in written):
            written.add(field.name)
    fields = [f.name for f in obj._meta.concrete_fields if f.name in written]
    if len(fields) != len(written):
        raise ValueError(f"not fields of {type(obj).__name__}: {sorted(written - set(fields))}")
    if unique is None:
        obj.save(update_fields=fields)
    else:
        with refuse_duplicate(unique):
            obj.save(update_fields=fields)
    record_update(actor, obj, before)
    return obj


def record_delete(actor, obj):
    labels = _labels(obj)
    changes = {
        name: {"label": labels[name], "old": value, "new": None}
        for name, value in snapshot(obj).items()
        if value not in (None, "")
    }
    return _write(actor, obj, AuditAction.DELETE, changes)


def history_for(obj):
    """The audit entries of one record, newest first."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).select_related("actor")


def _reader(field):
    """A function of an object answering `_display(obj, field)`, worked out once for a field (the
    bulk path): the choice labels read once, each related record's name once."""
    masker = MASKERS.get(field.name)
    attname = field.attname
    if field.is_relation:
        names = {}

        def read(obj):
            key = getattr(obj, attname)
            if key is None:
                return mask_field(field.name, None)
            if key not in names:
                related = getattr(obj, field.name, None)
                names[key] = mask_field(field.name, str(related) if related is not None else None)
            return names[key]

        return read
    if field.choices:
        labels = {value: str(label) for value, label in field.flatchoices}

        def read(obj):
            value = getattr(obj, attname)
            if not value:
                return mask_field(field.name, None)
            key = make_hashable(value)
            return mask_field(
                field.name, labels[key] if key in labels else force_str(value, strings_only=True)
            )

        return read
    if masker is None:
        return lambda obj: _plain(getattr(obj, attname))
    return lambda obj: masker(_plain(getattr(obj, attname)))


# Sent by record_bulk_create with the objects (`objs`): bulk_create sends no post_save, and a higher
# layer may keep something derived from them (members.dues.ledger).
created_in_bulk = Signal()


def record_bulk_create(actor, objs):
    """Record the creation of many objects (imports): one entry per object, the same as
    `record_create` writes. Related objects should be set on the instances already, so that
    reading them costs no query. What is the same for every object of a model (its audited fields,
    their labels and readers, its content type, its date fields) is worked out once, and the
    entries are inserted as rows (an import writes 144,000: no model instance each, one time stamp)."""
    objs = list(objs)
    who = actor if actor is not None and actor.pk else None
    common = AuditEntry(
        at=timezone.now(),
        actor=who,
        actor_name=actor.display_name if who is not None else "系统",
        action=AuditAction.CREATE,
    )
    of_model = {}
    rows = []
    earliest, undated = None, False
    for obj in objs:
        model = type(obj)
        if model not in of_model:
            of_model[model] = (
                [(_reader(f), f.name, str(f.verbose_name)) for f in _fields(obj)],
                ContentType.objects.get_for_model(obj, for_concrete_model=True).pk,
                data_version.date_attnames(model),
            )
        fields, content_type_id, date_attnames = of_model[model]
        # The days the record is dated on (data_version.days_of): only the earliest matters.
        dated = False
        for attname in date_attnames:
            day = getattr(obj, attname)
            if isinstance(day, datetime.date):
                day = data_version.as_day(day)
                dated = True
                if earliest is None or day < earliest:
                    earliest = day
        undated = undated or not dated
        changes = {}
        for read, name, label in fields:
            value = read(obj)
            if value is not None and value != "":
                changes[name] = {"label": label, "old": None, "new": value}
        rows.append((content_type_id, str(obj.pk), str(obj)[:200], changes))
    if rows:  # no post_save is sent: the records' new version, once for them all
        data_version.changed() if undated else data_version.changed(earliest)
        _insert_entries(common, rows)
        created_in_bulk.send(sender=None, objs=objs)


def _insert_entries(common, rows):
    """Insert audit entries that share `common`'s time, actor and action: `rows` of (content type
    id, object id, repr, changes), each value prepared for the database as bulk_create would.

    PostgreSQL takes each batch of 5,000 as one JSON document (jsonb_to_recordset), five parameters
    a statement: psycopg parses a statement of thousands of placeholders slowly, quotes arrays
    slowly, and runs an executemany row by row.
    SQLite runs one prepared statement for every row (executemany)."""
    meta = AuditEntry._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    varying = ("content_type", "object_id", "object_repr", "changes")
    shared = {
        f.name: f.get_db_prep_save(f.pre_save(common, add=False), connection)
        for f in fields
        if f.name not in varying
    }
    changes_field = meta.get_field("changes")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            selected = ", ".join(
                f"u.{f.name}" if f.name in varying else f"%s::{f.db_type(connection)}" for f in fields
            )
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {selected} FROM "
                "jsonb_to_recordset(%s::jsonb) "
                "AS u(content_type integer, object_id text, object_repr text, changes jsonb)"
            )
            head = [shared[f.name] for f in fields if f.name not in varying]
            for start in range(0, len(rows), 5000):
                batch = [
                    {"content_type": r[0], "object_id": r[1], "object_repr": r[2], "changes": r[3]}
                    for r in rows[start : start + 5000]
                ]
                cursor.execute(sql, [*head, json.dumps(batch, cls=changes_field.encoder)])
            return
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), 1000):
            params = []
            for row in rows[start : start + 1000]:
                values = dict(shared)
                values["content_type"], values["object_id"], values["object_repr"] = row[:3]
                values["changes"] = changes_field.get_db_prep_save(row[3], connection)
                params.append([values[f.name] for f in fields])
            cursor.executemany(sql, params)
