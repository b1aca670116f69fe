"""Users of MotCua: staff and citizens share one account table."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class ReferenceStamp(models.Model):
    """One row whose token database triggers renew whenever reference data changes (core/refcache.py)."""

    token = models.CharField(_("token"), max_length=40)

    class Meta:
        verbose_name = _("reference data stamp")
        verbose_name_plural = _("reference data stamps")

    def __str__(self) -> str:
        return self.token
