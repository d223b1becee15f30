"""Encryption at rest of personal data (ID and phone numbers) and the keyed hashes that find it.

The keys are `settings.DATA_KEYS`: Fernet keys (AES-128-CBC with HMAC-SHA256), from the
environment variable JIGUAN_DATA_KEY (several separated by commas) or, when it is unset, from the
file var/data_key (one per line), generated on first start. The first key encrypts; every key
decrypts. To rotate: put a new key first, keep the old ones after it, run
`manage.py rotate_data_key` (every value is encrypted and hashed again under the first key), then
drop the old keys (README, "The data key").

A column holding ciphertext cannot be searched, so each searchable value also has a keyed hash
(HMAC-SHA256 of the normalised number, under a key derived from the data key): equal numbers have
equal hashes, which a unique constraint and an exact lookup can use, and without the key the hash
tells nothing. Writes store the hash under the first key; a lookup asks for the hash under every
key (`blind_indexes`), so rows not yet re-encrypted after a rotation are still found.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jiguan.numbers import normalize_number

# Every Fernet token starts with the version byte 0x80, which base64 writes as "gAAAAA".
TOKEN_PREFIX = "gAAAAA"
_HASH_CONTEXT = b"jiguan blind index v1"


class UndecryptableValue(ImproperlyConfigured):
    """A stored value none of the keys decrypts: the data key is not the one the data was written with."""


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]):
    if not keys:
        raise ImproperlyConfigured("JIGUAN_DATA_KEY is empty: at least one data key is needed.")
    try:
        fernets = [Fernet(key.encode("ascii")) for key in keys]
    except (ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "JIGUAN_DATA_KEY must hold Fernet keys (32 bytes in URL-safe base64, 44 characters), "
            "separated by commas; make one with `manage.py rotate_data_key --new-key`."
        ) from exc
    hash_keys = [hmac.new(key.encode("ascii"), _HASH_CONTEXT, hashlib.sha256).digest() for key in keys]
    return MultiFernet(fernets), hash_keys


def _keys():
    return _keyring(tuple(settings.DATA_KEYS))


def encrypt(plain: str) -> str:
    return _keys()[0].encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UndecryptableValue(
            "A stored personal value cannot be decrypted with the configured data keys "
            "(JIGUAN_DATA_KEY or var/data_key): restore the key the data was written with."
        ) from None


def rotate(token: str) -> str:
    """The same value encrypted under the first key."""
    try:
        return _keys()[0].rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise UndecryptableValue("A stored personal value cannot be decrypted with the data keys.") from None


def is_token(value) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def _hash(key: bytes, value: str) -> str:
    return hmac.new(key, normalize_number(value).encode("utf-8"), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """The keyed hash stored with a value (under the first key)."""
    return _hash(_keys()[1][0], value)


def blind_indexes(value: str) -> list[str]:
    """The keyed hashes of a value under every key, for a lookup: `…_hash__in=blind_indexes(x)`."""
    return [_hash(key, value) for key in _keys()[1]]


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
