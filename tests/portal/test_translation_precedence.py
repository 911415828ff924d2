"""The portal's translations win: every entry of every project catalogue, looked up
through the real catalogue chain (LOCALE_PATHS, the apps in INSTALLED_APPS order, then
Django's), must come back as the project wrote it.

This is the test that sees collisions: a string Django or a library also translates
("To" → "Sang", "History" → "Bản ghi nhớ"), or two of the portal's apps translating the
same English differently (use a message context, ``pgettext``, when the meanings differ)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def _looked_up(entry: polib.POEntry) -> tuple[str, str]:
    if entry.msgid_plural:
        if entry.msgctxt:
            got = npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
        else:
            got = ngettext(entry.msgid, entry.msgid_plural, 1)
        return got, entry.msgstr_plural[0]
    got = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
    return got, entry.msgstr


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_the_project_translation_is_the_one_shown(path):
    losing = []
    with translation.override("vi"):
        for entry in polib.pofile(str(path)).translated_entries():
            got, wanted = _looked_up(entry)
            if got != wanted:
                losing.append(f"{entry.msgctxt or ''}|{entry.msgid!r}: shows {got!r}, catalogue says {wanted!r}")
    assert not losing, "\n".join(losing[:30])


@pytest.mark.parametrize(
    ("context", "english", "vietnamese"),
    [
        ("agenda end time", "to", "đến"),
        ("status change", "to", "sang"),
        ("consent text", "version", "phiên bản"),
        ("survey template", "version", "phiên bản"),
        ("report requests", "History", "Lịch sử yêu cầu"),
    ],
)
def test_colliding_strings_have_their_own_context(context, english, vietnamese):
    with translation.override("vi"):
        assert pgettext(context, english) == vietnamese
