"""Turn a message kind and its variables into the exact text (and HTML) a channel will send."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template.loader import render_to_string

from motcua.core.refcache import ReferenceCache
from motcua.core.rows import Prepared
from motcua.notify import conf, rendering, sms
from motcua.notify.defaults import default_template
from motcua.notify.models import MessageTemplate

FOOTER = {
    "vi": "Thư này được gửi tự động từ hệ thống một cửa MotCua; vui lòng không trả lời thư này.",
    "en": "This message was sent automatically by the MotCua one-stop system; please do not reply.",
}
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
SENDER = {"vi": "Hệ thống một cửa – MotCua", "en": "One-stop system – MotCua"}


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str
    html: str = ""
    unicode: bool = False
    segments: int | None = None


_TEMPLATES = Prepared(lambda: MessageTemplate.objects.order_by("pk"), track=False)


def _read_templates(_key: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {(row.kind, row.channel, row.language): (row.subject, row.body) for row in _TEMPLATES.rows()}


# The administrator's templates (a few dozen rows), kept while nobody edits any (core/refcache.py).
_SOURCES: ReferenceCache[str, dict[tuple[str, str, str], tuple[str, str]]] = ReferenceCache(_read_templates)


class TemplateCache:
    """The administrator's templates for a batch of messages, else the built-in defaults."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str, str], tuple[str, str]] | None = None

    def source(self, kind: str, channel: str, language: str) -> tuple[str, str] | None:
        if self._rows is None:
            self._rows = _SOURCES.get("all")
        found = self._rows.get((kind, channel, language))
        if found is not None:
            return found
        return default_template(kind, channel, language)


def compose(
    kind: str, channel: str, language: str, variables: dict, templates: TemplateCache | None = None
) -> Composed | None:
    """Render one message; None when the kind has no template on that channel."""
    source = (templates or TemplateCache()).source(kind, channel, language)
    if source is None:
        return None
    subject_source, body_source = source
    body = rendering.render(body_source, variables)
    if channel == "sms":
        settings = conf.get()
        fitted = sms.fit(body, mode=settings.sms_unicode, max_segments=settings.sms_max_segments)
        return Composed(subject="", body=fitted.text, unicode=fitted.unicode, segments=fitted.segments)
    subject = " ".join(rendering.render(subject_source, variables).split())[:255]
    text = _paragraphs(body)
    footer = FOOTER.get(language, FOOTER["vi"])
    html = render_to_string(
        "notify/email.html",
        {
            "subject": subject,
            "body": text,
            "footer": footer,
            "sender": SENDER.get(language, SENDER["vi"]),
            "language": language,
        },
    )
    return Composed(subject=subject, body=f"{text}\n\n--\n{footer}\n", html=html)


def _paragraphs(text: str) -> str:
    """Trim each line and keep at most one blank line between paragraphs."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
