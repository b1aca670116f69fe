"""Forms of the signing pages and admin: they check what a person sent; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed
from motcua.org.models import Agency
from motcua.signing.certificates import fingerprint, read_certificate, require_authority
from motcua.signing.models import Certificate, TrustedRoot


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("The signed document as you received it; it is checked and not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class SignForm(forms.Form):
    """Signing a file: only the version the officer saw, so a change since then is a conflict."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SealChoice(forms.Form):
    """The result-ready form's choice to seal the unsigned results; on when the agency has a seal."""

    sign = forms.BooleanField(label=_("Sign the unsigned results with the agency's seal"), required=False)

    def __init__(
        self, *args: Any, seal: Certificate | None = None, may_seal: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not may_seal:  # the desk or another agency: the seal is the handling agency's to apply
            del self.fields["sign"]
            return
        field = self.fields["sign"]
        if seal is None:
            field.help_text = _("The handling agency has no active seal yet: the administrator imports it.")
            field.disabled = True
            return
        self.initial.setdefault("sign", True)
        field.help_text = _(
            "Seal: %(name)s, valid until %(date)s. Results that arrive signed are verified."
        ) % {
            "name": seal.common_name,
            "date": timezone.localtime(seal.valid_to).strftime("%d/%m/%Y"),
        }


class _OwnerForm(forms.Form):
    """Who a certificate is for: an agency (its seal) or an officer, and whether it replaces theirs."""

    agency = forms.ModelChoiceField(
        label=_("Agency (for its seal)"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    user = forms.ModelChoiceField(
        label=_("Officer (personal certificate)"),
        queryset=get_user_model().objects.filter(staff_roles__is_active=True).distinct(),
        required=False,
    )
    replace = forms.BooleanField(
        label=_("Replace the owner's active certificate"),
        required=False,
        initial=True,
        help_text=_("The certificate in use is deactivated; its past signatures stay valid."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("agency")) == bool(data.get("user")):
            raise forms.ValidationError(_("Choose either an agency or an officer."))
        return data


class Pkcs12ImportForm(_OwnerForm):
    """The admin's form to import a .p12/.pfx with its password for an agency or an officer."""

    field_order = ["file", "password"]
    file = forms.FileField(label=_("Certificate file (.p12 or .pfx)"))
    password = forms.CharField(label=_("Password of the file"), required=False, widget=forms.PasswordInput)


class TokenImportForm(_OwnerForm):
    """The admin's form to register the certificate of a key held in a PKCS#11 token or HSM."""

    field_order = ["token_label", "key_label", "key_id", "certificate"]
    token_label = forms.CharField(label=_("Token label"), max_length=32)
    key_label = forms.CharField(label=_("Key label in the token"), max_length=255, required=False)
    key_id = forms.CharField(
        label=_("Key id in the token"),
        max_length=128,
        required=False,
        help_text=_("Hexadecimal (CKA_ID), e.g. 01. Give the key's label, its id, or both."),
    )
    certificate = forms.FileField(
        label=_("Certificate file"),
        required=False,
        help_text=_(
            "Only when the token holds the key without its certificate: PEM (then its issuers) or DER."
        ),
    )

    def clean_key_id(self) -> bytes:
        try:
            return bytes.fromhex(self.cleaned_data["key_id"])
        except ValueError:
            raise forms.ValidationError(_("The key id must be hexadecimal, e.g. 01 or a1b2.")) from None


class TrustedRootForm(forms.ModelForm):
    """Add a trusted root: its certificate file is read; name, dates and fingerprint come from it."""

    certificate_file = forms.FileField(label=_("Root certificate (.cer, .crt or .pem)"))

    class Meta:
        model = TrustedRoot
        fields = ["note"]

    def clean_certificate_file(self) -> Any:
        upload = self.cleaned_data["certificate_file"]
        try:
            certificate = read_certificate(upload.read())
            require_authority(certificate)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        if TrustedRoot.objects.filter(fingerprint=fingerprint(certificate)).exists():
            raise forms.ValidationError(_("This root certificate is already in the list."))
        upload.seek(0)
        return upload
