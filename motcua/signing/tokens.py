"""Private keys that stay in a PKCS#11 token or HSM: open the token, find the key, sign through pyHanko.

The module (.so) and the PINs are settings from the environment, never rows: a copy of the database
gives neither the keys nor the means to use them. `MOTCUA_SIGNING_PKCS11_MODULE` is the module,
`MOTCUA_SIGNING_PKCS11_PIN` the user PIN of every token, and `MOTCUA_SIGNING_PKCS11_PIN_<LABEL>` the PIN
of one token (`pin_variable`: its label in capitals, every character but A-Z and 0-9 as "_").

A session is opened for each operation (log in, sign, log out, close) under a lock per token in the
process, rather than kept open per process:
- PKCS#11 shares the login state among all of a process's sessions on a token, so two threads of one
  worker that each opened and closed a session would log each other out: a process uses a token for one
  operation at a time;
- a kept session dies silently with the HSM (restart, fail-over, a network HSM reconnecting, a token
  pulled out) and every later signature would fail until the worker restarts; opening one costs
  milliseconds beside building and verifying the PDF;
- worker processes are separate PKCS#11 applications, each with its own sessions and login, so they need
  no coordination; a worker forked after its parent loaded the module initialises it again (`_library`),
  as PKCS#11 requires of a child process.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pkcs11
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings
from django.utils.translation import gettext as _
from pkcs11 import Attribute, KeyType, ObjectClass
from pkcs11 import exceptions as p11

from motcua.core.env import env_str
from motcua.core.errors import DomainError, ValidationFailed
from motcua.signing.certificates import Credential, asn1_certificate, check_signing_certificate
from motcua.signing.coroutines import finish

if TYPE_CHECKING:
    from pyhanko.sign.pkcs11 import PKCS11Signer

PIN_VARIABLE = "MOTCUA_SIGNING_PKCS11_PIN"
LOCK_TIMEOUT = 60  # seconds another thread of this process may hold the token
MAX_CHAIN = 5

TOKEN_ABSENT = (p11.NoSuchToken, p11.TokenNotPresent, p11.TokenNotRecognised, p11.DeviceRemoved)
PIN_REFUSED = (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange, p11.PinExpired, p11.UserPinNotInitialized)


class TokenUnavailable(DomainError):
    """The token or HSM holding a key cannot be used now: nothing was signed, the administrator must look."""

    code = "signing_token_unavailable"
    status = 503


@dataclass(frozen=True)
class TokenKey:
    """Where a private key is: the token's label, and the key's label and/or id (CKA_ID)."""

    token_label: str
    key_label: str = ""
    key_id: bytes = b""

    def __str__(self) -> str:
        key = " ".join(p for p in (self.key_label, f"id {self.key_id.hex()}" if self.key_id else "") if p)
        return f"{key} @ {self.token_label}"


@dataclass(frozen=True)
class TokenCredential:
    """A certificate whose private key stays in a token, and the certificates of its issuers."""

    token: TokenKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


SigningCredential = Credential | TokenCredential


def pin_variable(token_label: str) -> str:
    """The environment variable holding one token's PIN: token "So TP-01" → …_PIN_SO_TP_01."""
    return f"{PIN_VARIABLE}_{re.sub(r'[^A-Z0-9]', '_', token_label.upper())}"


def _pin(token_label: str) -> str:
    pin = env_str(pin_variable(token_label), "") or str(settings.MOTCUA.get("SIGNING_PKCS11_PIN", ""))
    if not pin:
        raise TokenUnavailable(
            _("No PIN is set for the token “%(token)s”: set %(variable)s (or MOTCUA_SIGNING_PKCS11_PIN) on "
              "every web node and worker. Nothing was signed.")
            % {"token": token_label, "variable": pin_variable(token_label)},
            code="token_pin_not_configured",
        )  # fmt: skip
    return pin


def _module_path() -> str:
    path = str(settings.MOTCUA.get("SIGNING_PKCS11_MODULE", ""))
    if not path:
        raise TokenUnavailable(
            _("The certificate's key is in a PKCS#11 token or HSM, but no PKCS#11 module is set "
              "(MOTCUA_SIGNING_PKCS11_MODULE). Nothing was signed."),
            code="token_module_not_configured",
        )  # fmt: skip
    return path


_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()
_initialised_in: dict[str, int] = {}  # module path → the process that initialised it


def _lock(path: str, token_label: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault((path, token_label), threading.Lock())


def _library(path: str) -> Any:
    """The module, loaded once per process, initialised again in a process forked after it was loaded."""
    try:
        if not os.path.isfile(path):
            raise p11.PKCS11Error(f"{path}: no such file")
        library = pkcs11.lib(path)
        if _initialised_in.setdefault(path, os.getpid()) != os.getpid():
            with suppress(p11.PKCS11Error):  # the parent's state: some modules refuse to finalise it
                library.finalize()
            library.initialize()
            _initialised_in[path] = os.getpid()
    except p11.PKCS11Error as exc:
        raise TokenUnavailable(
            _("The PKCS#11 module %(module)s cannot be loaded: check MOTCUA_SIGNING_PKCS11_MODULE and that "
              "the HSM's or token's software is installed on this server. Nothing was signed.")
            % {"module": path},
            code="token_module_unavailable",
            fields={"module": path, "error": str(exc)[:200]},
        ) from None  # fmt: skip
    return library


def _refusal(exc: p11.PKCS11Error, token_label: str) -> TokenUnavailable:
    """What to tell the administrator when the token refused: never the PIN, never the raw error alone."""
    names = {"token": token_label, "variable": pin_variable(token_label)}
    if isinstance(exc, TOKEN_ABSENT):
        message = _("The token or HSM “%(token)s” is not present: check that it is plugged in or reachable "
                    "and that its label is right. Nothing was signed.")  # fmt: skip
        code = "token_not_found"
    elif isinstance(exc, p11.PinLocked):
        message = _("The PIN of the token “%(token)s” is locked after too many wrong tries: its security "
                    "officer must unlock it. Nothing was signed.")  # fmt: skip
        code = "token_pin_locked"
    elif isinstance(exc, PIN_REFUSED):
        message = _("The token “%(token)s” refused its PIN: check %(variable)s (or "
                    "MOTCUA_SIGNING_PKCS11_PIN). Nothing was signed.")  # fmt: skip
        code = "token_pin_wrong"
    else:
        message = _("The token or HSM “%(token)s” could not sign (%(error)s). Nothing was signed.")
        names["error"] = type(exc).__name__
        code = "token_failed"
    return TokenUnavailable(message % names, code=code, fields={"token": token_label})


def _token_error(exc: BaseException) -> p11.PKCS11Error | None:
    """The token's error behind `exc`, which pyHanko may have wrapped in its own."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        if isinstance(current, p11.PKCS11Error):
            return current
        seen.append(current)
        current = current.__cause__ or current.__context__
    return None


@contextmanager
def opened(token_label: str) -> Iterator[Any]:
    """A logged-in session on the token for one operation; every failure of the token as TokenUnavailable."""
    path, pin = _module_path(), _pin(token_label)
    lock = _lock(path, token_label)
    if not lock.acquire(timeout=LOCK_TIMEOUT):
        raise TokenUnavailable(
            _("The token “%(token)s” is busy: try again in a moment.") % {"token": token_label},
            code="token_busy",
        )
    try:
        library = _library(path)
        try:
            session = library.get_token(token_label=token_label).open(user_pin=pin)
        except p11.PKCS11Error as exc:
            raise _refusal(exc, token_label) from None
        try:
            yield session
        except Exception as exc:
            cause = _token_error(exc)
            if cause is None:
                raise
            raise _refusal(cause, token_label) from None
        finally:
            with suppress(p11.PKCS11Error):  # a token gone meanwhile: its session is gone with it
                session.close()
    finally:
        lock.release()


def _objects(session: Any, token: TokenKey, kind: ObjectClass) -> list[Any]:
    query: dict[Attribute, Any] = {Attribute.CLASS: kind}
    if token.key_label:
        query[Attribute.LABEL] = token.key_label
    if token.key_id:
        query[Attribute.ID] = token.key_id
    return list(session.get_objects(query))


def _require_key(session: Any, token: TokenKey) -> Any:
    """The key; refused clearly before pyHanko's own look-up when it is not there, or not alone."""
    keys = _objects(session, token, ObjectClass.PRIVATE_KEY)
    found = len(keys)
    names = {"token": token.token_label, "key": token}
    if not found:
        raise TokenUnavailable(
            _("The token “%(token)s” holds no private key with that label or id: %(key)s. Nothing was "
              "signed.") % names,
            code="token_key_not_found",
            fields={"token": token.token_label},
        )  # fmt: skip
    if found > 1:
        raise TokenUnavailable(
            _("The token “%(token)s” holds several private keys with that label or id: %(key)s; give the "
              "key's id.") % names,
            code="token_key_ambiguous",
            fields={"token": token.token_label},
        )  # fmt: skip
    return keys[0]


def _pkcs11_signer(session: Any, credential: TokenCredential) -> PKCS11Signer:
    from pyhanko.sign.pkcs11 import PKCS11Signer  # pyHanko: imported when first needed

    token = credential.token
    _require_key(session, token)
    return PKCS11Signer(
        session,
        signing_cert=asn1_certificate(credential.certificate),
        ca_chain=[asn1_certificate(c) for c in credential.chain],
        key_label=token.key_label or None,
        key_id=token.key_id or None,
        # Every token that holds EC keys knows raw ECDSA; the hash-and-sign mechanisms are optional
        # (SoftHSM and many smart cards lack them), so the digest is computed here.
        use_raw_mechanism=isinstance(credential.certificate.public_key(), ec.EllipticCurvePublicKey),
    )


@contextmanager
def signer(credential: TokenCredential) -> Iterator[PKCS11Signer]:
    """pyHanko's signer for a token-held key, usable until the block ends (the session closes then)."""
    with opened(credential.token.token_label) as session:
        yield _pkcs11_signer(session, credential)


def read_credential(
    token: TokenKey, *, certificate: x509.Certificate | None = None, chain: Sequence[x509.Certificate] = ()
) -> TokenCredential:
    """The certificate of a token's key (read from the token, unless given) checked to sign, the key
    proved to be its own by signing with it, and the issuers the token holds (unless given)."""
    with opened(token.token_label) as session:
        key = _require_key(session, token)
        held = _certificates(session)
        leaf = certificate or _token_certificate(session, token)
        check_signing_certificate(leaf)
        credential = TokenCredential(
            token=token, certificate=leaf, chain=tuple(chain) or _issuers(leaf, held)
        )
        if key.key_type != _key_type(leaf):  # no mechanism would sign: tokens fail with vague errors
            raise _mismatch(token)
        challenge = secrets.token_bytes(32)
        signature = finish(_pkcs11_signer(session, credential).async_sign_raw(challenge, "sha256"))
    if not _signed_by(credential.certificate, signature, challenge):
        raise _mismatch(token)
    return credential


def _mismatch(token: TokenKey) -> ValidationFailed:
    return ValidationFailed(
        _("The private key %(key)s in the token does not belong to the certificate.") % {"key": token},
        code="key_certificate_mismatch",
    )


def _key_type(certificate: x509.Certificate) -> KeyType | None:
    public = certificate.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        return KeyType.RSA
    return KeyType.EC if isinstance(public, ec.EllipticCurvePublicKey) else None


def _certificates(session: Any) -> list[x509.Certificate]:
    objects = session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
    return [x509.load_der_x509_certificate(o[Attribute.VALUE]) for o in objects]


def _token_certificate(session: Any, token: TokenKey) -> x509.Certificate:
    found = _objects(session, token, ObjectClass.CERTIFICATE)
    if len(found) != 1:
        raise ValidationFailed(
            _("The token “%(token)s” holds no single certificate with the key's label or id (%(key)s): write "
              "it into the token beside the key, or give the certificate file.")
            % {"token": token.token_label, "key": token},
            code="token_certificate_not_found",
        )  # fmt: skip
    return x509.load_der_x509_certificate(found[0][Attribute.VALUE])


def _issuers(leaf: x509.Certificate, held: Sequence[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """The issuers of `leaf` among the certificates the token holds, nearest first."""
    chain: list[x509.Certificate] = []
    current = leaf
    while len(chain) < MAX_CHAIN and current.issuer != current.subject:
        issuer = next((c for c in held if c.subject == current.issuer and c not in (leaf, *chain)), None)
        if issuer is None:
            break
        chain.append(issuer)
        current = issuer
    return tuple(chain)


def _signed_by(certificate: x509.Certificate, signature: bytes, data: bytes) -> bool:
    public = certificate.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True
