"""Closed vocabularies of the catalog, shared by models, the exchange format and the API."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class Change(models.TextChoices):
    NEW = "new", _("New procedure")
    AMEND = "amend", _("Amendment")
    REPLACE = "replace", _("Replacement of other procedures")


# The exchange format also knows "abolish", recorded on the procedure rather than as a version.
ABOLISH = "abolish"


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class TimeUnit(models.TextChoices):
    DAYS = "d", _("working days")
    HOURS = "h", _("working hours")


class CutoffRule(models.TextChoices):
    NONE = "none", _("No cut-off")
    ONLINE_17H = "online_17h", _("Online after 17:00 or on a day off counts from the next working morning")
    CUTOFF_15H = "cutoff_15h", _("Received after 15:00 counts from the next working day")


class SupplementRule(models.TextChoices):
    RESTART = "restart", _("The time limit restarts when the supplement arrives")
    PAUSE = "pause", _("The time limit pauses while waiting for the supplement")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online (toàn trình)")
    PARTIAL = "partial", _("Partly online (một phần)")
    NONE = "none", _("Not online")


class RefKind(models.TextChoices):
    """How a procedure names an agency: a fixed agency, or the agency of a sector where filed."""

    FIXED = "fixed", _("Fixed agency")
    LOCAL = "local", _("Local agency of a sector")


class ActorKind(models.TextChoices):
    FIXED = "fixed", _("Fixed agency")
    LOCAL = "local", _("Local agency of a sector")
    LEAD = "lead", _("The procedure's lead agency")
    RECEIVING = "receiving", _("The receiving service point")


class AgencyRole(models.TextChoices):
    DECIDING = "deciding", _("Deciding agency")
    IMPLEMENTING = "implementing", _("Implementing agency")


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    ORIGINAL_OR_COPY = "original_or_copy", _("Original or copy")
    SHOWN = "shown", _("Shown at the counter only")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Fee (phí)")
    CHARGE = "charge", _("Charge (lệ phí)")


class FeeMethod(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PER_UNIT = "per_unit", _("Per unit")


class FeeChannel(models.TextChoices):
    ANY = "any", _("Any channel")
    COUNTER = "counter", _("Paper filings (counter or post)")
    ONLINE = "online", _("Online filings")


class StepRole(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Counter officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
