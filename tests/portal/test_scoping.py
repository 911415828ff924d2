"""Staff of another province can neither see nor change a record: one parametrised test
per admin entry point, over every model registered in the admin."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from networks.models import Network
from portal.admin_scoping import ReferenceAdminMixin, ScopedAdminMixin
from tests.networks.makers import PUBLIC_REFERENCE
from tests.scoping import all_makers

MAKERS = all_makers()
MODELS = sorted(MAKERS, key=lambda m: m._meta.label)
IDS = [m._meta.label for m in MODELS]


@pytest.fixture
def ctx(province_a, network_a, staff_a, staff_b, central_staff):
    return SimpleNamespace(province_a=province_a, network_a=network_a, staff_a=staff_a, staff_b=staff_b)


def _names(model):
    return model._meta.app_label, model._meta.model_name


def _admin_url(model, view, *args):
    app, name = _names(model)
    return reverse(f"admin:{app}_{name}_{view}", args=args)


def _registered_admin(model):
    return admin.site._registry[model]


def test_every_registered_model_is_scoped_and_has_a_maker():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"auth", "sites", "account"}:
            continue
        assert isinstance(model_admin, ScopedAdminMixin), f"{model._meta.label} admin is not scoped"
        if model not in PUBLIC_REFERENCE:
            assert model in MAKERS, f"{model._meta.label} has no maker in tests/<app>/makers.py"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_changelist_hides_other_province_rows(model, ctx, client):
    obj = MAKERS[model].make(ctx)
    owner = ctx.staff_a if not _registered_admin(model).staff_only_central else None
    if owner:
        client.force_login(owner)
        seen = client.get(_admin_url(model, "changelist"))
        assert obj in list(seen.context["cl"].result_list), "positive control: her own province sees it"
    client.force_login(ctx.staff_b)
    response = client.get(_admin_url(model, "changelist"))
    if response.status_code == 403:  # models only central staff may open at all
        return
    assert obj not in list(response.context["cl"].queryset)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_changelist_search_finds_nothing_of_other_province(model, ctx, client):
    maker = MAKERS[model]
    obj = maker.make(ctx)
    term = maker.search(obj)
    if not _registered_admin(model).staff_only_central:
        client.force_login(ctx.staff_a)
        mine = client.get(_admin_url(model, "changelist"), {"q": term})
        assert obj in list(mine.context["cl"].result_list), "positive control: the term finds it"
    client.force_login(ctx.staff_b)
    response = client.get(_admin_url(model, "changelist"), {"q": term})
    assert response.status_code == 403 or obj not in list(response.context["cl"].queryset)


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_object_pages_are_404_for_other_province(model, view, ctx, client):
    obj = MAKERS[model].make(ctx)
    model_admin = _registered_admin(model)
    if not model_admin.staff_only_central:
        client.force_login(ctx.staff_a)
        expected = (200, 403) if isinstance(model_admin, ReferenceAdminMixin) and view == "delete" else (200,)
        assert client.get(_admin_url(model, view, obj.pk)).status_code in expected, "positive control"
    client.force_login(ctx.staff_b)
    response = client.get(_admin_url(model, view, obj.pk))
    assert response.status_code in (403, 404) if _registered_admin(model).staff_only_central else 404
    if response.status_code == 404 and view == "delete":
        assert client.post(_admin_url(model, view, obj.pk), {"post": "yes"}).status_code == 404
        assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_change_post_from_other_province_changes_nothing(model, ctx, client):
    obj = MAKERS[model].make(ctx)
    before = model._default_manager.filter(pk=obj.pk).values().get()
    client.force_login(ctx.staff_b)
    response = client.post(_admin_url(model, "change", obj.pk), {"name": "Đổi tên", "title": "Đổi"})
    assert response.status_code in (403, 404)
    assert model._default_manager.filter(pk=obj.pk).values().get() == before


def _autocomplete_sources():
    """(target model, source model, field name) for every admin autocomplete field."""
    for source, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            target = source._meta.get_field(field_name).related_model
            if target in MAKERS:
                yield pytest.param(target, source, field_name, id=f"{source._meta.label}.{field_name}")


@pytest.mark.django_db
@pytest.mark.parametrize(("target", "source", "field_name"), list(_autocomplete_sources()))
def test_autocomplete_hides_other_province(target, source, field_name, ctx, client):
    maker = MAKERS[target]
    obj = maker.make(ctx)
    params = {
        "app_label": source._meta.app_label,
        "model_name": source._meta.model_name,
        "field_name": field_name,
        "term": maker.search(obj),
    }
    client.force_login(ctx.staff_a)
    mine = client.get(reverse("admin:autocomplete"), params).json()
    assert str(obj.pk) in {r["id"] for r in mine["results"]}, "positive control"
    client.force_login(ctx.staff_b)
    theirs = client.get(reverse("admin:autocomplete"), params)
    assert theirs.status_code == 200
    assert str(obj.pk) not in {r["id"] for r in theirs.json()["results"]}


def _export_ids(client, model) -> set[str]:
    url = _admin_url(model, "export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {"format": "0"}
    if "resource" in form.fields:
        data["resource"] = "0"
    for name, field in form.fields.items():
        if isinstance(field, forms.BooleanField) and field.initial:
            data[name] = "on"
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return {row["id"] for row in rows}


EXPORTABLE = [m for m in MODELS if hasattr(_registered_admin(m), "get_export_queryset")]


@pytest.mark.django_db
@pytest.mark.parametrize("model", EXPORTABLE, ids=[m._meta.label for m in EXPORTABLE])
def test_export_contains_no_other_province_rows(model, ctx, client):
    obj = MAKERS[model].make(ctx)
    client.force_login(ctx.staff_a)
    assert str(obj.pk) in _export_ids(client, model), "positive control"
    client.force_login(ctx.staff_b)
    assert str(obj.pk) not in _export_ids(client, model)


@pytest.mark.django_db
def test_network_page_is_404_for_other_province(ctx, client):
    client.force_login(ctx.staff_a)
    assert client.get(reverse("networks:detail", args=[ctx.network_a.pk])).status_code == 200
    client.force_login(ctx.staff_b)
    assert client.get(reverse("networks:detail", args=[ctx.network_a.pk])).status_code == 404
    listing = client.get(reverse("networks:list"))
    assert ctx.network_a not in list(listing.context["networks"])
    assert Network.objects.visible_to(ctx.staff_b).filter(pk=ctx.network_a.pk).count() == 0
