"""`manage.py signing create-ca|issue|import|import-token|trust|list|verify|deactivate|serve-tsa`: from the
shell."""

from __future__ import annotations

import contextlib
import getpass
import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.org.models import Agency
from motcua.signing import longterm, selectors, services
from motcua.signing.models import Certificate, KeyStorage, TrustedRoot
from motcua.signing.tokens import TokenKey

DEFAULT_CA_NAME = "MotCua Dev CA – không có giá trị pháp lý"


class Command(BaseCommand):
    help = (
        "Signing certificates: development CA and certificates, .p12 import, keys in a PKCS#11 token or HSM, "
        "trusted roots, list, verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        ca = actions.add_parser("create-ca", help="Make a development CA (no legal value) and trust it.")
        ca.add_argument("--name", default=DEFAULT_CA_NAME)
        ca.add_argument("--rsa", action="store_true", help="RSA 2048 instead of EC P-256")
        issue = actions.add_parser(
            "issue", help="Issue a development certificate for an agency or an officer."
        )
        self._owner(issue)
        issue.add_argument("--ca", default="", help="fingerprint (or its start) of the development CA")
        issue.add_argument("--rsa", action="store_true", help="RSA 2048 instead of EC P-256")
        issue.add_argument("--replace", action="store_true", help="deactivate the owner's active certificate")
        imp = actions.add_parser("import", help="Import a .p12/.pfx file for an agency or an officer.")
        imp.add_argument("file")
        self._owner(imp)
        imp.add_argument(
            "--password-env", default="", help="environment variable holding the file's password"
        )
        imp.add_argument("--replace", action="store_true", help="deactivate the owner's active certificate")
        self._token_parser(actions)
        trust = actions.add_parser("trust", help="Trust a CA's root certificate (PEM or DER).")
        trust.add_argument("file")
        trust.add_argument("--note", default="")
        listing = actions.add_parser("list", help="List certificates, those expiring soonest first.")
        listing.add_argument("--all", action="store_true", help="include deactivated certificates")
        verify = actions.add_parser("verify", help="Verify the signatures of a PDF file.")
        verify.add_argument("file")
        off = actions.add_parser("deactivate", help="Stop signing with a certificate.")
        off.add_argument("fingerprint", help="fingerprint (or its start, at least 8 characters)")
        tsa = actions.add_parser(
            "serve-tsa",
            help="Serve a development timestamp authority (RFC 3161) on 127.0.0.1 (no legal value).",
        )
        tsa.add_argument("--ca", default="", help="fingerprint (or its start) of the development CA")
        tsa.add_argument("--port", type=int, default=8318)

    def _token_parser(self, actions: Any) -> None:
        held = actions.add_parser(
            "import-token",
            help="Register the certificate of a key held in a PKCS#11 token or HSM for an agency or an "
            "officer (module and PIN: MOTCUA_SIGNING_PKCS11_MODULE, MOTCUA_SIGNING_PKCS11_PIN[_<TOKEN>]).",
        )
        held.add_argument("--token", required=True, help="the token's label")
        held.add_argument("--key-label", default="", help="label of the private key in the token")
        held.add_argument("--key-id", default="", help="id (CKA_ID) of the private key, in hexadecimal")
        held.add_argument(
            "--certificate",
            default="",
            help="certificate file (PEM, then its issuers; or DER) when the token holds only the key",
        )
        self._owner(held)
        held.add_argument("--replace", action="store_true", help="deactivate the owner's active certificate")

    def _owner(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--agency", help="agency identifier code, e.g. H42.50.01 (its seal)")
        owner.add_argument("--user", help="username of the officer (personal certificate)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _owners(self, options: dict[str, Any]) -> dict[str, Any]:
        if options.get("agency"):
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(_("No agency has the code %(code)s.") % {"code": options["agency"]})
            return {"agency": agency}
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No user is named %(name)s.") % {"name": options["user"]})
        return {"user": user}

    def _create_ca(self, options: dict[str, Any]) -> None:
        root = services.create_development_authority(name=options["name"], use_rsa=options["rsa"])
        self.stdout.write(
            self.style.SUCCESS(_("Development CA %(name)s made and trusted.") % {"name": root.name})
        )
        self.stdout.write(f"  {root.fingerprint}")

    def _development_authority(self, options: dict[str, Any]) -> TrustedRoot:
        authorities = TrustedRoot.objects.exclude(private_key=b"").filter(
            fingerprint__startswith=options["ca"].lower()
        )
        authority = authorities.order_by("-added_at").first()
        if authority is None:
            raise CommandError(_("No development CA found: run `manage.py signing create-ca` first."))
        return authority

    def _issue(self, options: dict[str, Any]) -> None:
        authority = self._development_authority(options)
        certificate = services.issue_development_certificate(
            authority=authority, use_rsa=options["rsa"], replace=options["replace"], **self._owners(options)
        )
        self._done(certificate)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s not found.") % {"path": path})
        variable = options["password_env"]
        password = os.environ.get(variable, "") if variable else getpass.getpass(_("Password of the file: "))
        certificate = services.import_certificate(
            data=path.read_bytes(), password=password, replace=options["replace"], **self._owners(options)
        )
        self._done(certificate)

    def _import_token(self, options: dict[str, Any]) -> None:
        try:
            key_id = bytes.fromhex(options["key_id"])
        except ValueError:
            raise CommandError(_("The key id must be hexadecimal, e.g. 01 or a1b2.")) from None
        data = b""
        if options["certificate"]:
            path = Path(options["certificate"])
            if not path.is_file():
                raise CommandError(_("File %(path)s not found.") % {"path": path})
            data = path.read_bytes()
        token = TokenKey(token_label=options["token"], key_label=options["key_label"], key_id=key_id)
        certificate = services.register_token_certificate(
            token=token, certificate_data=data, replace=options["replace"], **self._owners(options)
        )
        self._done(certificate)

    def _done(self, certificate: Certificate) -> None:
        owner = certificate.agency or certificate.user
        self.stdout.write(
            self.style.SUCCESS(
                _("%(owner)s signs with %(name)s until %(date)s.")
                % {"owner": owner, "name": certificate.common_name, "date": _day(certificate.valid_to)}
            )
        )

    def _trust(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s not found.") % {"path": path})
        root = services.add_trusted_root(data=path.read_bytes(), actor=None, note=options["note"])
        self.stdout.write(
            self.style.SUCCESS(_("Signatures under %(name)s are trusted now.") % {"name": root.name})
        )

    def _list(self, options: dict[str, Any]) -> None:
        now = timezone.now()
        found = selectors.certificates_by_expiry()
        if not options["all"]:
            found = found.filter(is_active=True)
        for c in found:
            days = (c.valid_to - now).days
            state = _("active") if c.is_active else _("deactivated")
            held = f"  [PKCS#11 {c.token_label}]" if c.key_storage == KeyStorage.PKCS11 else ""
            self.stdout.write(
                f"{_day(c.valid_to)}  {days:>5}  {state:<12} {c.key_type:<9} "
                f"{c.agency.code if c.agency else c.user.get_username() if c.user else '?'}  {c.common_name}"
                f"{held}"
            )

    def _verify(self, options: dict[str, Any]) -> None:
        from motcua.signing.verify import verify_pdf  # pyHanko: imported when a command needs it

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File %(path)s not found.") % {"path": path})
        report = verify_pdf(
            path.read_bytes(),
            trust_roots=selectors.trust_roots(),
            now=timezone.now(),
            options=longterm.configured(),
        )
        self.stdout.write(report.summary)
        for s in report.signatures:
            when = timezone.localtime(s.signed_at).strftime("%H:%M %d/%m/%Y") if s.signed_at else "—"
            self.stdout.write(f"  {s.position + 1}. {s.signer_name} · {when} · {s.status_label}")
            for problem in s.problems:
                self.stdout.write(f"     {problem}")
        for note in report.notes:
            self.stdout.write(f"  ({note})")
        if report.status != "valid":
            raise CommandError(_("The file's signatures are not all valid."))

    def _deactivate(self, options: dict[str, Any]) -> None:
        prefix = options["fingerprint"].lower()
        found = (
            list(Certificate.objects.filter(fingerprint__startswith=prefix)[:2]) if len(prefix) >= 8 else []
        )
        if len(found) != 1:
            raise CommandError(_("Give at least 8 characters of exactly one certificate's fingerprint."))
        services.deactivate_certificate(certificate=found[0], actor=None)
        self.stdout.write(self.style.SUCCESS(_("%(name)s no longer signs.") % {"name": found[0].common_name}))

    def _serve_tsa(self, options: dict[str, Any]) -> None:
        """The demo's TSA: a TSA certificate issued in memory by the development CA at each start."""
        from motcua.signing.devserver import AuthorityServer  # pyHanko: imported when a command needs it

        authority = self._development_authority(options)
        server = AuthorityServer(services.authority_credential(authority), port=options["port"])
        self.stdout.write(
            _("Timestamp authority of %(name)s on %(url)s (MOTCUA_SIGNING_TSA_URL). Ctrl-C stops it.")
            % {"name": authority.name, "url": server.tsa_url}
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def _day(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%d/%m/%Y"))
