"""Private keys at rest: encrypted PKCS#8, with a passphrase from the environment.

`MOTCUA_SIGNING_PASSPHRASE` (the same on every web node and worker) encrypts every key held on the
server. Without it the passphrase is derived from SECRET_KEY: fine for development and the demo, never
for production, where rotating SECRET_KEY would then make every stored key unreadable.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.env import env_str
from motcua.core.errors import DomainError

PASSPHRASE_VARIABLE = "MOTCUA_SIGNING_PASSPHRASE"


class KeyUnreadable(DomainError):
    code = "signing_key_unreadable"
    status = 500


def passphrase() -> bytes:
    """Return the passphrase of stored keys: the environment's, else one derived from SECRET_KEY."""
    configured = env_str(PASSPHRASE_VARIABLE, "")
    if configured:
        return configured.encode()
    # Development only (README): a fresh clone signs at once, without any set-up.
    return hmac.new(settings.SECRET_KEY.encode(), b"motcua.signing.keys", hashlib.sha256).hexdigest().encode()


def is_passphrase_configured() -> bool:
    return bool(env_str(PASSPHRASE_VARIABLE, ""))


def encrypt_key(key: PrivateKeyTypes) -> bytes:
    """Return `key` as encrypted PKCS#8 (DER)."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase()),
    )


def decrypt_key(blob: bytes | memoryview) -> PrivateKeyTypes:
    """Return the key stored as `blob`, or raise KeyUnreadable when the passphrase no longer opens it."""
    try:
        return serialization.load_der_private_key(bytes(blob), password=passphrase())
    except (ValueError, TypeError):
        raise KeyUnreadable(
            _(
                "The certificate's private key cannot be opened: the signing passphrase "
                "(MOTCUA_SIGNING_PASSPHRASE, or SECRET_KEY when it is not set) has changed since the "
                "certificate was imported."
            )
        ) from None
