"""Every URL the admin registers, tried by staff of another province.

The URLs are enumerated from ``admin.site.get_urls()`` and each ModelAdmin's
``get_urls()``. Each kind of view has a cross-province check below; a new admin view
(an extra ``get_urls`` entry, a mixin that adds an import or a report page) has none,
and the suite fails until one is written."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver

from networks.models import Province
from tests.networks.makers import PUBLIC_REFERENCE
from tests.scoping import all_makers

MAKERS = all_makers()

# Site-wide admin views, and where their cross-province check lives.
SITE_VIEWS = {
    "index": "test_site_pages_show_no_other_province_rows",
    "app_list": "test_site_pages_show_no_other_province_rows",
    "login": "no rows (tests/portal/test_login_rate_limit.py)",
    "logout": "no rows",
    "password_change": "her own account only",
    "password_change_done": "no rows",
    "jsi18n": "no rows",
    "autocomplete": "tests/portal/test_scoping.py::test_autocomplete_hides_other_province",
    "view_on_site": "test_view_on_site_is_404_for_other_province",
    None: "the catch-all 404",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def _model_views(model, model_admin):
    """(suffix, route) of every URL this ModelAdmin registers; the suffix is the URL
    name without ``<app>_<model>_`` (None for Django's unnamed change redirect)."""
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    for route, name in _walk(model_admin.get_urls()):
        if name is not None and not name.startswith(prefix):
            yield f"?{name}", route
        else:
            yield (name.removeprefix(prefix) if name else None), route


def _site_view_names():
    """Names of the site's own views: every URL not registered by a ModelAdmin."""
    model_views = {name for m, ma in admin.site._registry.items() for _r, name in _walk(ma.get_urls()) if name}
    for _route, name in _walk(admin.site.get_urls()):
        if name not in model_views:
            yield name


ALL_MODEL_VIEWS = [
    pytest.param(model, suffix, route, id=f"{model._meta.label}:{suffix}")
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)
    for suffix, route in _model_views(model, model_admin)
]


@pytest.fixture
def ctx(province_a, network_a, staff_a, staff_b, central_staff):
    return SimpleNamespace(province_a=province_a, network_a=network_a, staff_a=staff_a, staff_b=staff_b)


def test_the_enumeration_finds_the_admin():
    suffixes = {p.values[1] for p in ALL_MODEL_VIEWS}
    assert {"changelist", "add", "change", "delete", "history", "simple_history", "export"} <= suffixes
    assert len(ALL_MODEL_VIEWS) > 100


def test_every_site_view_has_a_cross_province_check():
    unknown = set(_site_view_names()) - set(SITE_VIEWS)
    assert not unknown, f"admin site views without a cross-province test: {unknown}"


# --- the checks, one per kind of model view ---------------------------------------------


def _url(model, route, *args) -> str:
    """Fill the route's parameters (``<path:object_id>`` or regex groups) in order."""
    import re

    url = route.lstrip("^").rstrip("$")
    for arg in args:
        url = re.sub(r"<[^>]+>|\([^)]*\)", str(arg), url, count=1)
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{url}"


def _assert_hidden(response, term):
    assert response.status_code in (200, 302, 403, 404)
    assert term not in response.content.decode(errors="replace")


def _unchanged(model, obj, before):
    assert model._default_manager.filter(pk=obj.pk).values().get() == before


def check_changelist(client, model, route, obj, term):
    _assert_hidden(client.get(_url(model, route)), term)


def check_add(client, model, route, obj, term):
    # Every foreign key pre-filled with the other province's row id must not label it.
    params = {f.name: obj.pk for f in model._meta.fields if f.is_relation and f.related_model is type(obj)}
    _assert_hidden(client.get(_url(model, route), params), term)


def check_export(client, model, route, obj, term):
    _assert_hidden(client.get(_url(model, route)), term)
    _assert_hidden(client.post(_url(model, route), {"format": "0", "resource": "0"}), term)


def check_object(client, model, route, obj, term):
    before = model._default_manager.filter(pk=obj.pk).values().get()
    response = client.get(_url(model, route, obj.pk))
    assert response.status_code in (403, 404)
    _assert_hidden(response, term)
    assert client.post(_url(model, route, obj.pk), {"post": "yes", "name": "X", "title": "X"}).status_code in (
        403,
        404,
    )
    _unchanged(model, obj, before)
    assert client.get(_url(model, route, "9" * 30)).status_code in (403, 404), "a huge id is a 404, not a 500"


def check_history_form(client, model, route, obj, term):
    before = model._default_manager.filter(pk=obj.pk).values().get()
    version = obj.history.order_by("history_id").first().history_id
    response = client.get(_url(model, route, obj.pk, version))
    assert response.status_code in (403, 404)
    _assert_hidden(response, term)
    assert client.post(_url(model, route, obj.pk, version), {"name": "X", "title": "X"}).status_code in (403, 404)
    _unchanged(model, obj, before)


def check_change_redirect(client, model, route, obj, term):
    response = client.get(_url(model, route, obj.pk), follow=True)
    assert response.status_code in (403, 404)
    _assert_hidden(response, term)


CHECKS = {
    "changelist": check_changelist,
    "add": check_add,
    "export": check_export,
    "change": check_object,
    "delete": check_object,
    "history": check_object,
    "simple_history": check_history_form,
    None: check_change_redirect,
    # UserAdmin's "change password" page of one account (central staff only).
    "?auth_user_password_change": check_object,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "suffix", "route"), ALL_MODEL_VIEWS)
def test_admin_view_is_closed_to_other_province(model, suffix, route, ctx, client):
    assert suffix in CHECKS, (
        f"{model._meta.label}: admin view {suffix!r} ({route}) has no cross-province check; "
        "add one to tests/portal/test_admin_urls.py"
    )
    if model not in MAKERS:
        # Reference data every user may read, or an app outside the portal (auth groups,
        # sites, allauth e-mails) that provincial staff cannot open at all.
        client.force_login(ctx.staff_b)
        status = client.get(_url(model, route, *(["1"] * route.count("<") + ["1"] * route.count("(")))).status_code
        assert model in [*PUBLIC_REFERENCE, Province] or status in (302, 403, 404), model._meta.label
        return
    maker = MAKERS[model]
    obj = maker.make(ctx)
    term = maker.search(obj)
    client.force_login(ctx.staff_b)
    CHECKS[suffix](client, model, route, obj, term)


@pytest.mark.django_db
def test_site_pages_show_no_other_province_rows(ctx, client):
    terms = []
    for maker in MAKERS.values():
        terms.append(maker.search(maker.make(ctx)))
    client.force_login(ctx.staff_b)
    pages = [client.get("/admin/")]
    pages += [client.get(f"/admin/{app}/") for app in ("portal", "networks", "members", "events", "surveys", "reports")]
    for page in pages:
        assert page.status_code in (200, 404)
        content = page.content.decode()
        for term in terms:
            assert term not in content


@pytest.mark.django_db
def test_view_on_site_is_404_for_other_province(ctx, client):
    client.force_login(ctx.staff_b)
    for model, maker in MAKERS.items():
        obj = maker.make(ctx)
        ct = ContentType.objects.get_for_model(model)
        response = client.get(f"/admin/r/{ct.pk}/{obj.pk}/")
        assert response.status_code == 404, model._meta.label
        huge = client.get(f"/admin/r/{ct.pk}/{'9' * 30}/")
        assert huge.status_code == 404, model._meta.label
