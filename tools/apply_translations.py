"""Fill msgstrs from a Python file of {msgid: msgstr} (and PLURALS) into the zh_Hans catalogue.

    .venv/bin/python tools/apply_translations.py /path/to/translations.py

Entries it fills lose their fuzzy flag; anything still untranslated or fuzzy is listed at the end.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "jiceng" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main(path: str) -> int:
    data = runpy.run_path(path)
    singles, plurals = data.get("T", {}), data.get("PLURALS", {})
    po = polib.pofile(str(CATALOGUE))
    for entry in po:
        if entry.msgid_plural and entry.msgid in plurals:
            value = plurals[entry.msgid]
            entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
        elif entry.msgid in singles:
            entry.msgstr = singles[entry.msgid]
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    po.save()
    missing = [e.msgid for e in po if (not e.translated()) or "fuzzy" in e.flags]
    for msgid in missing:
        print("untranslated:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
