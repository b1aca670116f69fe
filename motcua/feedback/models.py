"""Satisfaction ratings of ended dossiers, and citizens' feedback (phản ánh, kiến nghị) with its answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Citizen's account")
    LOOKUP = "lookup", _("Public look-up (receipt QR code)")
    COUNTER = "counter", _("Screen at the counter")
    API = "api", _("API")


class Rating(models.Model):
    """The applicant's one rating of an ended dossier, with its evaluation against the scheme's criteria."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="rating", verbose_name=_("dossier")
    )
    scheme = models.CharField(_("scheme version"), max_length=40)
    level = models.CharField(_("rating level"), max_length=30)
    satisfied = models.BooleanField(_("satisfied"))
    # [{"code", "points", "max", "source": "computed"|"citizen", "value"}], in the scheme's order.
    criteria = models.JSONField(_("criteria"), default=list)
    total = models.PositiveSmallIntegerField(_("total points"))
    max_total = models.PositiveSmallIntegerField(_("maximum points"))
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    rated_at = models.DateTimeField(_("rated at"), db_index=True)
    # The citizen's account, or the officer whose counter screen the citizen used; none from the look-up.
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__lte=models.F("max_total")), name="rating_total_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.level} · {self.total}/{self.max_total}"


class Topic(models.TextChoices):
    REGULATION = "regulation", _("The rules of a procedure")
    HANDLING = "handling", _("The handling of a dossier")
    CONDUCT = "conduct", _("The conduct of staff")
    OTHER = "other", _("Something else")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    ANSWERED = "answered", _("Answer sent")
    DECLINED = "declined", _("Declined")


class DeclineReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Not within our remit")
    DUPLICATE = "duplicate", _("Already sent and handled")
    ABUSIVE = "abusive", _("Offensive or abusive")


class Reaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied with the answer")
    UNSATISFIED = "unsatisfied", _("Not satisfied with the answer")


class Feedback(models.Model):
    """A citizen's feedback on a procedure's rules, a dossier's handling or staff conduct, and its answer."""

    code = models.CharField(_("tracking code"), max_length=30, unique=True)
    # Given to the sender with the code; never derived from it (like a dossier's look-up secret).
    secret = models.CharField(_("tracking secret"), max_length=16)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("procedure"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("dossier"),
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="feedback", verbose_name=_("responsible agency")
    )
    service_point = models.ForeignKey(
        "org.ServicePoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("service point concerned"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    sender_name = models.CharField(_("sender's name"), max_length=200)
    sender_phone = models.CharField(_("sender's phone"), max_length=20, blank=True)
    sender_email = models.EmailField(_("sender's e-mail"), blank=True)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_sent",
        verbose_name=_("sender's account"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    scheme = models.CharField(_("scheme version"), max_length=40)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    due_at = models.DateTimeField(_("answer due"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Judged once, when answered or declined: on time or late against `due_at`.
    on_time = models.BooleanField(_("handled on time"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    # What the public sees once a leader publishes: the question and answer with personal data removed.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    public_question = models.TextField(_("published question"), blank=True)
    public_answer = models.TextField(_("published answer"), blank=True)
    reaction = models.CharField(_("sender's reaction"), max_length=12, choices=Reaction.choices, blank=True)
    reaction_comment = models.TextField(_("comment on the answer"), blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )
    # SHA-256 of an anonymous API client's Idempotency-Key, and of its request: a retry gets the first.
    submission_key = models.CharField(_("submission key"), max_length=64, blank=True)
    submission_hash = models.CharField(_("submission hash"), max_length=64, blank=True)
    # The specialist of the agency who holds it now (assigned by a leader, or taken); none once forwarded.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_held",
        verbose_name=_("held by"),
    )
    assigned_at = models.DateTimeField(_("held since"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "due_at"], condition=Q(status="open"), name="feedback_open_due"),
            models.Index(fields=["procedure", "-published_at"], name="feedback_published"),
            models.Index(
                fields=["assignee", "due_at"], condition=Q(status="open"), name="feedback_open_held"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"], condition=~Q(submission_key=""), name="feedback_submission_once"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True, on_time__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False, on_time__isnull=False)),
                name="feedback_closed_consistently",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="answered"),
                name="feedback_published_answered",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""), name="feedback_answered_has_answer"
            ),
            models.CheckConstraint(
                condition=Q(assignee__isnull=True, assigned_at__isnull=True)
                | Q(assignee__isnull=False, assigned_at__isnull=False),
                name="feedback_held_since",
            ),
        ]

    def __str__(self) -> str:
        return self.code


def _attachment_path(instance: FeedbackFile, filename: str) -> str:
    # Content-addressed like the dossiers' files: the sender's file name never reaches a path.
    return f"feedback/{instance.sha256[:2]}/{instance.sha256}"


class FeedbackFile(models.Model):
    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="files", verbose_name=_("feedback")
    )
    file = models.FileField(_("file"), upload_to=_attachment_path)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self) -> str:
        return self.original_name


class FeedbackAction(models.TextChoices):
    SUBMIT = "submit", _("Received")
    FORWARD = "forward", _("Forwarded to another agency")
    ANSWER = "answer", _("Answer sent")
    DECLINE = "decline", _("Declined")
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Publication withdrawn")
    ASSIGN = "assign", _("Assigned to a specialist")
    REASSIGN = "reassign", _("Assigned to another specialist")
    TAKE = "take", _("Taken by a specialist")
    RELEASE = "release", _("Handed back by its holder")
    REACT = "react", _("Sender reacted to the answer")
    FOLLOW_UP = "follow_up", _("Sender wrote again")


# The agency's own work on a feedback: staff see it; the sender's page and the API's track do not.
INTERNAL_ACTIONS = frozenset(
    {
        FeedbackAction.ASSIGN,
        FeedbackAction.REASSIGN,
        FeedbackAction.TAKE,
        FeedbackAction.RELEASE,
        FeedbackAction.UNPUBLISH,
    }
)


class FeedbackEvent(models.Model):
    """An append-only audit row for every change of a feedback: who, when, what, why."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="events", verbose_name=_("feedback")
    )
    at = models.DateTimeField(_("at"))
    action = models.CharField(_("action"), max_length=12, choices=FeedbackAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=255, blank=True)
    from_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from agency"),
    )
    to_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to agency"),
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        ordering = ["feedback", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class FeedbackPublication(models.Model):
    """One published version of a question and its answer; a withdrawn one stays here for staff to read.

    The live text is also copied to the feedback (`public_question`, `public_answer`) so that the public
    lists read one row; it is cleared when the publication is withdrawn.
    """

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="publications", verbose_name=_("feedback")
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    question = models.TextField(_("published question"))
    answer = models.TextField(_("published answer"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        verbose_name = _("publication of an answer")
        verbose_name_plural = _("publications of answers")
        ordering = ["feedback", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "revision"], name="feedback_publication_revision"),
            # At most one live publication of a feedback at a time.
            models.UniqueConstraint(
                fields=["feedback"], condition=Q(withdrawn_at__isnull=True), name="feedback_publication_live"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdraw_reason=""),
                name="feedback_publication_withdrawn_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} #{self.revision}"
