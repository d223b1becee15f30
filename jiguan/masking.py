"""Masking of personal data: ID numbers and phone numbers never leave the system whole.

Who sees what, on every page, form and export (`shown_id_number`, `shown_phone`):
- ID numbers in full: committee staff only;
- phone numbers in full: committee staff, and a secretary for the members in their scope (they
  must call them); leadership sees them masked.
A form showing a number masked takes it back as it was when it comes back unchanged (`unmask`),
so whoever may not see a number may still save the form, or type a whole new number.
The audit log and the logs always mask them.
"""

import logging
import re

SENSITIVE_FIELDS = {"id_number", "phone"}

# An 18-character ID number or an 11-digit mobile number inside free text.
_ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_id_number(value):
    """450322197504120111 -> 450322********0111."""
    if not value:
        return value or ""
    value = str(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value):
    """13877450000 -> 138****0000."""
    if not value:
        return value or ""
    value = str(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def sees_id_numbers(user) -> bool:
    return bool(user and user.is_authenticated and user.is_committee_staff)


def sees_phones(user) -> bool:
    """Staff, and a secretary (every member they can see is one of their organization's)."""
    return bool(user and user.is_authenticated and (user.is_committee_staff or user.is_secretary))


def shown_id_number(user, value):
    return value if sees_id_numbers(user) else mask_id_number(value)


def shown_phone(user, value):
    return value if sees_phones(user) else mask_phone(value)


def unmask(value, originals, masker=mask_id_number):
    """A number posted back as a form showed it masked: the original it masks (else `value`)."""
    if value and "*" in str(value):
        for original in originals:
            if original and masker(original) == value:
                return original
    return value


def mask_field(field_name, value):
    masker = MASKERS.get(field_name)
    return masker(value) if masker else value


def mask_text(text):
    """Mask every ID number and mobile number found in free text (log lines, error messages)."""
    text = _ID_NUMBER_RE.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not stop logging
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            # A traceback ends with the exception's message, which may quote a row of an import;
            # formatters use exc_text when it is set.
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        return True
