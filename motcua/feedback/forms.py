"""Forms of the feedback pages: they check shapes and keep what was typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.models import User
from motcua.feedback.models import DeclineReason, FeedbackStatus, Reaction, Topic
from motcua.feedback.schemes import Scheme
from motcua.org.models import Agency

MAX_TEXT = 10000


def _agencies() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("— Choose an agency —"),
    )


class FeedbackForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Your feedback is about"), choices=Topic.choices, widget=forms.RadioSelect
    )
    procedure_code = forms.CharField(
        label=_("Procedure code"),
        max_length=30,
        required=False,
        help_text=_("Written on the procedure's page, e.g. 2.002621."),
    )
    agency = _agencies()
    dossier_code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        required=False,
        help_text=_("For feedback on the handling of your dossier: printed on your receipt."),
    )
    dossier_secret = forms.CharField(
        label=_("Look-up code of the dossier"),
        max_length=32,
        required=False,
        help_text=_(
            "The 10 characters under the QR code of the receipt (not needed for your own account's dossiers)."
        ),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(
        label=_("Content"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    sender_name = forms.CharField(label=_("Your full name"), max_length=200)
    sender_phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    sender_email = forms.EmailField(label=_("E-mail"), required=False)
    attachment = forms.FileField(
        label=_("Attached file"),
        required=False,
        help_text=_("A PDF or an image (JPEG, PNG, TIFF, WebP)."),
    )
    follow_up_code = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    follow_up_secret = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("sender_phone", "").strip() and not data.get("sender_email", "").strip():
            self.add_error("sender_phone", _("Give a phone number or an e-mail address for the answer."))
        return data


class FollowForm(forms.Form):
    code = forms.CharField(label=_("Feedback code"), max_length=30, help_text=_("E.g. PAKN-251103-0001."))
    secret = forms.CharField(
        label=_("Secret"), max_length=32, help_text=_("The 10 characters given when you sent it.")
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_secret(self) -> str:
        return str(self.cleaned_data["secret"]).strip().upper()


class ReactionForm(forms.Form):
    reaction = forms.ChoiceField(
        label=_("Does the answer satisfy you?"), choices=Reaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    """The scheme's scale and the questions the citizen answers, as big radio buttons."""

    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["level"] = forms.ChoiceField(
            label=_("How satisfied are you with the handling of your dossier?"),
            choices=[(lv.code, str(lv.label)) for lv in scheme.levels],
            widget=forms.RadioSelect,
        )
        for criterion in scheme.citizen_criteria:
            self.fields[criterion.code] = forms.ChoiceField(
                label=str(criterion.question or criterion.label),
                choices=[(str(a.points), str(a.label)) for a in criterion.answers],
                widget=forms.RadioSelect,
            )
        self.order_fields(["level", *(c.code for c in scheme.citizen_criteria), "comment"])

    def answers(self) -> dict[str, str]:
        return {c.code: self.cleaned_data[c.code] for c in self.scheme.citizen_criteria}

    def questions(self) -> list[forms.BoundField]:
        return [self[c.code] for c in self.scheme.citizen_criteria]


# ---- Staff ---------------------------------------------------------------------------------------

STATUS_CHOICES = [
    ("", _("Being handled")),
    *[(s, label) for s, label in FeedbackStatus.choices if s != "open"],
    ("all", _("All")),
]
URGENCY_CHOICES = [
    ("", _("Any")),
    ("late", _("Late")),
    ("today", _("Due today")),
    ("soon", _("Due soon")),
    ("ok", _("On track")),
]


HOLDER_CHOICES = [
    ("", _("Anyone or nobody")),
    ("mine", _("Held by me")),
    ("none", _("Not assigned yet")),
]


class InboxFilterForm(forms.Form):
    holder = forms.ChoiceField(label=_("Specialist in charge"), choices=HOLDER_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=URGENCY_CHOICES, required=False)
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All topics")), *Topic.choices], required=False
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OnBehalfForm(VersionForm):
    """An action for the feedback's holder; a leader acting for her says why (the services check it)."""

    on_behalf_reason = forms.CharField(
        label=_("Why you act instead of the specialist holding it"),
        max_length=MAX_TEXT,
        required=False,
        help_text=_("Kept in the feedback's history; the sender does not see it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The three forms stand on one page: each its own element ids.
    id_prefix = "action"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ForwardForm(OnBehalfForm):
    id_prefix = "forward"
    agency = _agencies()
    reason = forms.CharField(
        label=_("Why it goes there"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_agency(self) -> Agency:
        agency = self.cleaned_data.get("agency")
        if agency is None:
            raise forms.ValidationError(_("Choose the agency to send it to."))
        return agency


class AnswerForm(OnBehalfForm):
    id_prefix = "answer"
    answer = forms.CharField(label=_("Answer"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 8}))


class DeclineForm(OnBehalfForm):
    id_prefix = "decline"
    kind = forms.ChoiceField(
        label=_("Why it is declined"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Explanation for the sender"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishForm(VersionForm):
    question = forms.CharField(
        label=_("Question as published"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    answer = forms.CharField(
        label=_("Answer as published"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 8})
    )


class AssignForm(VersionForm):
    """The specialists of the feedback's agency to choose from (the service checks again)."""

    assignee = forms.ModelChoiceField(
        label=_("Specialist"),
        queryset=User.objects.none(),
        to_field_name="username",
        empty_label=_("— Choose a specialist —"),
        error_messages={
            "required": _("Choose the specialist who will handle it."),
            "invalid_choice": _("Choose a specialist of the agency from the list."),
        },
    )
    reason = forms.CharField(
        label=_("Note or reason"),
        max_length=MAX_TEXT,
        required=False,
        help_text=_("Required when it is taken from the specialist who holds it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["assignee"].queryset = candidates  # type: ignore[attr-defined]
            self.fields["assignee"].label_from_instance = lambda u: u.full_name or u.username  # type: ignore[attr-defined]


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the publication is withdrawn.")},
    )


class ReleaseForm(VersionForm):
    reason = forms.CharField(
        label=_("Why you hand it back"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the feedback is handed back.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=60)
