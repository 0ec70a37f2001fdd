"""The Chinese catalogue covers every msgid: no empty or fuzzy entries, placeholders intact."""

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def test_every_msgid_is_translated():
    po = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []


def test_placeholders_match():
    po = polib.pofile(str(CATALOGUE))
    for entry in po:
        targets = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for target in targets:
            assert set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(target)), entry.msgid
