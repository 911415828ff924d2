"""Vietnamese is the default and must be complete: every catalogue entry translated.

CI runs ``makemessages`` before the tests, so a string someone forgot to translate
shows up here as an empty entry."""

import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_is_a_vietnamese_catalogue_per_app():
    found = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"locale", "portal", "networks", "members", "events", "surveys", "reports"} <= found


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_every_string_is_translated_to_vietnamese(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"


@pytest.mark.django_db
def test_vietnamese_is_the_default_whatever_the_browser_sends(reference_data):
    """Issue 15: the browser's Accept-Language no longer picks English; only the
    person's choice (the switcher, or the preference on her account) does."""
    page = Client().get(reverse("account_login"))
    assert 'lang="vi"' in page.content.decode()
    assert "Đăng nhập" in page.content.decode()
    english_browser = Client(headers={"accept-language": "en"}).get(reverse("account_login"))
    assert 'lang="vi"' in english_browser.content.decode()
    assert "Đăng nhập" in english_browser.content.decode()


@pytest.mark.django_db
def test_language_switcher_changes_language(reference_data):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


# A placeholder followed by a plural noun ("%(n)s respondents") is a count written with
# plain gettext: English then prints "1 respondents". Verbs that end in -s are not nouns.
COUNTED_NOUN = re.compile(r"%\((\w+)\)[sd]\s+(?:new\s+)?([a-z-]+s|people)\b")
NOT_NOUNS = {"is", "was", "has", "does", "points", "joins", "belongs", "owes", "invites", "address"}
# The figure here is never a number: "<5" or a dash stands in for a withheld count.
NOT_COUNTS = {"From “%(title)s” (%(n)s respondents): too few answers to show without singling someone out."}


OURS = [p for p in CATALOGUES if "thirdparty" not in p.parts]


@pytest.mark.parametrize("path", OURS, ids=[str(p.relative_to(ROOT)) for p in OURS])
def test_counted_nouns_go_through_ngettext(path):
    """Issue 15: every "n things" is a plural entry (ngettext, {% blocktranslate count %})."""
    plain = [
        e.msgid
        for e in polib.pofile(str(path))
        if not e.obsolete and not e.msgid_plural and e.msgid not in NOT_COUNTS
        if any(noun not in NOT_NOUNS for _name, noun in COUNTED_NOUN.findall(e.msgid))
    ]
    assert not plain, f"counted nouns without ngettext in {path}: {plain}"
