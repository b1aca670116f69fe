from __future__ import annotations

import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = _("Digital signatures")

    def ready(self) -> None:
        # pyHanko logs a warning with a traceback for every certificate it cannot trust or that expired;
        # the verification report already says so in words, and the public page would flood the logs.
        logging.getLogger("pyhanko").setLevel(logging.ERROR)
        logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)
