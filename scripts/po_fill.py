"""Fill translations into a .po file from a JSON object {msgid: msgstr}; clears their fuzzy marks.

Dev-time helper for `make messages`:
    python scripts/po_fill.py motcua/feedback/locale/vi/LC_MESSAGES/django.po vi.json
then `make messages` again to compile. Entries not in the JSON are left as they are; msgids in the
JSON that the catalog lacks are listed and the file is not written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(line: str) -> str:
    body = line.strip()[1:-1]
    return body.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def fill(po: Path, translations: dict[str, str]) -> list[str]:
    """Rewrite `po` with `translations`; return the msgids it could not find."""
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    found: set[str] = set()
    out = []
    for block in blocks:
        lines = block.splitlines()
        msgid, i = None, 0
        for i, line in enumerate(lines):
            if line.startswith("msgid "):
                msgid = _unquote(line[6:])
                j = i + 1
                while j < len(lines) and lines[j].startswith('"'):
                    msgid += _unquote(lines[j])
                    j += 1
                break
        if msgid and msgid in translations and not any(x.startswith("msgid_plural") for x in lines):
            found.add(msgid)
            keep = [x for x in lines if x.startswith("#") and "fuzzy" not in x and not x.startswith("#|")]
            start = next(k for k, x in enumerate(lines) if x.startswith("msgid "))
            end = next(k for k, x in enumerate(lines) if x.startswith("msgstr"))
            block = "\n".join([*keep, *lines[start:end], "msgstr " + _quote(translations[msgid])])
        out.append(block)
    missing = [m for m in translations if m not in found]
    if not missing:
        po.write_text("\n\n".join(out), encoding="utf-8")
    return missing


if __name__ == "__main__":
    missing = fill(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    if missing:
        sys.exit("not in the catalog (nothing written): " + "; ".join(missing[:20]))
