"""Personas shared by every test: central staff, staff of province A (Hưng Yên) and of
province B (Nghệ An, who must see nothing of A), a board member, a member, a donor viewer."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import MembershipFactory, NetworkFactory, UserFactory, province


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Vietnamese): a request answered in English
    leaves English active in the thread, and a later test would read English strings."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in-process in tests, as without REDIS_URL, so a test sees their effect.
    Tests marked ``worker`` keep the real broker and start a real worker."""
    from portal.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    """Text messages go to ``portal.sms.outbox`` (like ``mail.outbox``), emptied per test."""
    from portal import sms

    settings.SMS_BACKEND = "portal.sms.MemoryBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and other cached state must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data(db):
    """Provinces and communes. The migration loads them, but a transactional test
    (browser, worker) runs after a flush, so reload them idempotently."""
    from networks.reference import load_reference_data

    load_reference_data()


@pytest.fixture
def province_a(reference_data):
    return province("hung_yen")


@pytest.fixture
def province_b(reference_data):
    return province("nghe_an")


@pytest.fixture
def network_a(province_a):
    return NetworkFactory(province=province_a, name="Mạng lưới tỉnh A")


@pytest.fixture
def network_b(province_b):
    return NetworkFactory(province=province_b, name="Mạng lưới tỉnh B")


@pytest.fixture
def central_staff(reference_data):
    return UserFactory(email="central@example.org", role="central")


@pytest.fixture
def staff_a(province_a):
    return UserFactory(email="alice@example.org", role="provincial", province=province_a)


@pytest.fixture
def staff_b(province_b):
    return UserFactory(email="charlie@example.org", role="provincial", province=province_b)


@pytest.fixture
def board_member_a(network_a):
    return UserFactory(email="board@example.org", role="board", network=network_a)


@pytest.fixture
def member_a(network_a):
    user = UserFactory(email="member@example.org", role="member")
    MembershipFactory(network=network_a, person__user=user, person__full_name="Trần Thị Thành Viên")
    return user


@pytest.fixture
def donor_viewer(reference_data):
    return UserFactory(email="donor@example.org", role="donor")


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(staff_a)`` returns the logged-in test client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browser tests (Playwright's Python package driving Debian's Chromium) ----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def chromium():
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, settings):
    """A Vietnamese desktop page; ``phone_page`` is the phone-sized one. Links the
    portal sends (SITE_URL) point at the live server."""
    settings.SITE_URL = live_server.url
    # bypass_csp: Playwright's wait_for_function evaluates strings, which the portal's
    # Content-Security-Policy (no 'unsafe-eval') rightly blocks in a real browser.
    context = chromium.new_context(locale="vi-VN", base_url=live_server.url, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    context = chromium.new_context(
        locale="vi-VN",
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def browser_login():
    """Log a persona in through the real login form."""
    from tests.factories import PASSWORD

    def _login(pg, user):
        pg.goto("/accounts/login/")
        pg.fill("#id_login", user.email)
        pg.fill("#id_password", PASSWORD)
        pg.click("#login-form button[type=submit]")
        pg.wait_for_url(lambda url: "/accounts/login" not in url)

    return _login
