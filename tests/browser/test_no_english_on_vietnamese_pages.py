"""Issue 15: with the browser set to English and no preference stored, every page each
demo role can reach — the admin included for staff — is Vietnamese: no word from the
list of English interface words (tests/browser/english_words.py) on any of them.

The crawl follows the links of each page (same site, GET only), one page per URL shape
(numbers replaced), skipping downloads and links that change something on GET."""

from __future__ import annotations

import importlib
import re
from urllib.parse import urlparse

import pytest

from portal.demo import load_demo
from portal.management.commands.load_demo import APP_DEMOS
from portal.models import User
from tests.browser.english_words import context_of, english_words_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["trunguong@demo.vn", "hungyen@demo.vn", "banchunhiem@demo.vn", "thanhvien@demo.vn", "nhataitro@demo.vn"]
SKIP = re.compile(
    r"logout|/i18n/|\.(pdf|xlsx|csv|png|svg|json|js)$|/export|download|/media/|/static/|jsi18n|/delete/|"
    r"/letter|letters\.pdf|/my-data|/qr|/apply/|/a/[\w-]+$|/sw\.js|offline"
)
MAX_PAGES = 220

# Text of the page as a person sees it, with the words buttons and boxes carry; without
# what is English by design: the language switcher (it names "English"), content marked
# lang="en", and the English half of bilingual records (the admin's ``*_en`` fields).
VISIBLE_TEXT = """() => {
  document.querySelectorAll('form.lang, [lang=en], textarea').forEach(e => e.remove());
  document.querySelectorAll('[class*="field-"]').forEach(e => {
    if (/(^|\\s)field-\\w+_en(\\s|$)/.test(e.className)) e.remove();
  });
  const extra = [];
  document.querySelectorAll('input[type=submit], input[type=button]').forEach(e => extra.push(e.value));
  document.querySelectorAll('[placeholder], [title], [aria-label]').forEach(e => {
    for (const a of ['placeholder', 'title', 'aria-label']) { if (e.getAttribute(a)) extra.push(e.getAttribute(a)); }
  });
  return document.body.innerText + '\\n' + extra.join('\\n');
}"""
LINKS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"


def _shape(path: str) -> str:
    """One page per URL shape: numbers replaced, the query string (admin filters,
    sorting, pages of a list) left out."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def _crawl(page, start: list[str], origin: str) -> tuple[int, dict[str, list[str]]]:
    queue, seen, shapes = list(start), set(), set()
    found: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            response = page.goto(path)
        except Exception:  # noqa: BLE001 — a download or an aborted navigation is not a page
            continue
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        if page.locator("html").get_attribute("lang") != "vi":
            found[path] = ["<html lang> is not vi"]
            continue
        text = page.evaluate(VISIBLE_TEXT)
        words = english_words_in(text)
        if words:
            found[path] = [f"{w!r} in …{context_of(text, w)}…" for w in words]
        for href in page.evaluate(LINKS):
            url = urlparse(href)
            if f"{url.scheme}://{url.netloc}" != origin:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if SKIP.search(url.path) or target in seen or _shape(target) in shapes:
                continue
            shapes.add(_shape(target))
            queue.append(target)
    return len(seen), found


@pytest.fixture
def demo(reference_data):
    load_demo(members_per_network=5)
    for dotted in APP_DEMOS:
        module, name = dotted.rsplit(".", 1)
        getattr(importlib.import_module(module), name)()
    User.objects.update(language="")
    for user in User.objects.filter(email__in=ROLES):
        user.set_password(PASSWORD)
        user.save()


@pytest.fixture
def english_page(chromium, live_server):
    context = chromium.new_context(
        locale="en-US", base_url=live_server.url, extra_http_headers={"Accept-Language": "en-US,en;q=0.9"}
    )
    pg = context.new_page()
    pg.set_default_timeout(20000)
    yield pg
    context.close()


@pytest.mark.parametrize("email", ROLES)
def test_every_page_a_role_reaches_is_vietnamese_in_an_english_browser(demo, english_page, live_server, email):
    user = User.objects.get(email=email)
    english_page.goto("/accounts/login/")
    english_page.fill("#id_login", email)
    english_page.fill("#id_password", PASSWORD)
    english_page.click("#login-form button[type=submit]")
    english_page.wait_for_url(lambda url: "/accounts/login" not in url)

    start = ["/"] + (["/admin/"] if user.is_portal_staff else [])
    visited, found = _crawl(english_page, start, live_server.url)
    assert visited > (30 if user.is_portal_staff else 5), f"the crawl only reached {visited} pages"
    report = "\n".join(f"{path}:\n    " + "\n    ".join(words) for path, words in found.items())
    assert not found, f"English on {len(found)} of {visited} Vietnamese pages for {email}:\n{report}"
