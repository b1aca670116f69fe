from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
# The project's catalog, and those of apps that keep their own (`make messages` fills each).
CATALOGS = [ROOT / "locale" / "vi" / "LC_MESSAGES", *sorted(ROOT.glob("motcua/*/locale/vi/LC_MESSAGES"))]
OUR_APPS = (
    "core",
    "org",
    "workdays",
    "catalog",
    "dossiers",
    "notify",
    "signing",
    "feedback",
    "reports",
    "payments",
)


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"')


def _po_entries(path: Path) -> list[tuple[str, str, bool]]:
    """Return (msgid, msgstr, fuzzy) for every entry of a .po file (plural forms joined)."""
    entries: list[tuple[str, str, bool]] = []
    msgid: str | None = None
    msgstr, target, fuzzy, pending_fuzzy = "", "", False, False
    for line in [*path.read_text(encoding="utf-8").splitlines(), 'msgid ""']:
        if line.startswith("#,") and "fuzzy" in line:
            pending_fuzzy = True
        elif line.startswith("msgid "):
            if msgid is not None:
                entries.append((msgid, msgstr, fuzzy))
            msgid, msgstr, target, fuzzy, pending_fuzzy = _unquote(line[6:]), "", "id", pending_fuzzy, False
        elif line.startswith("msgid_plural "):
            target = "plural"
        elif line.startswith("msgstr"):
            msgstr += _unquote(line.split(" ", 1)[1])
            target = "str"
        elif line.startswith('"') and msgid is not None:
            if target == "id":
                msgid += _unquote(line)
            elif target == "str":
                msgstr += _unquote(line)
    return entries


@pytest.mark.parametrize("locale", CATALOGS, ids=lambda path: str(path.relative_to(ROOT).parents[2]))
def test_every_vietnamese_message_is_translated_and_not_fuzzy(locale):
    entries = [e for e in _po_entries(locale / "django.po") if e[0]]

    assert entries, "the Vietnamese catalog is empty"
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries if is_fuzzy]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("locale", CATALOGS, ids=lambda path: str(path.relative_to(ROOT).parents[2]))
def test_the_compiled_catalog_matches_its_source(locale):
    with (locale / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    source = {msgid: msgstr for msgid, msgstr, _ in _po_entries(locale / "django.po") if msgid}

    stale = [msgid for msgid, msgstr in source.items() if msgid in compiled and compiled[msgid] != msgstr]
    missing = [msgid for msgid in source if msgid not in compiled and (msgid, 0) not in compiled]
    assert not stale and not missing, f"run `make messages`: stale {stale[:5]}, missing {missing[:5]}"


@pytest.mark.parametrize("app_label", OUR_APPS)
def test_every_model_and_field_has_a_vietnamese_name(app_label):
    missing = []
    with translation.override("vi"):
        for model in apps.get_app_config(app_label).get_models():
            names = [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
            names += [str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")]
            with translation.override("en"):
                english = [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
                english += [
                    str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")
                ]
            missing += [
                f"{model.__name__}: {en}"
                for vi, en in zip(names, english, strict=True)
                if vi == en and re.search(r"[a-z]{3}", en) and en not in {"id", "ID"}
            ]
    assert not missing, f"no Vietnamese name for {missing[:15]}"


def test_commands_speak_vietnamese_by_default(db):
    out = io.StringIO()

    call_command("workdays", "due", "2025-04-25T09:00", "3d", stdout=out)

    assert "Hẹn trả" in out.getvalue()
