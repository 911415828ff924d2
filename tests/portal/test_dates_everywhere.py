"""Issue 15: a date typed as 23/11/2026 is accepted everywhere — every date and date-time
field of every portal form, found by walking the forms modules rather than listed by hand,
and every date field of every model in the admin — in Vietnamese and in English."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.test import RequestFactory
from django.utils import translation

FORM_MODULES = [
    "networks.forms",
    "members.forms",
    "events.forms",
    "surveys.forms",
    "reports.forms",
    "portal.forms",
    "portal.account_forms",
]
DAY = dt.date(2026, 11, 23)


def _portal_date_fields() -> list[tuple[str, str, forms.Field]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _n, form in inspect.getmembers(module, inspect.isclass):
            if form.__module__ != name or not issubclass(form, forms.BaseForm):
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, (forms.DateField, forms.DateTimeField)):
                    found.append((f"{form.__name__}.{field_name}", field_name, field))
    return found


PORTAL_FIELDS = _portal_date_fields()


def test_the_walk_finds_the_portal_date_fields():
    names = {label for label, _f, _field in PORTAL_FIELDS}
    assert {"MediaCoverageForm.published_on", "EventForm.starts_at", "DeploymentForm.opens_at"} <= names
    assert len(names) >= 15, names


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("label", "name", "field"), PORTAL_FIELDS, ids=[label for label, _n, _f in PORTAL_FIELDS])
def test_every_portal_date_field_accepts_day_first(language, label, name, field):
    with translation.override(language):
        if isinstance(field, forms.DateTimeField):
            value = field.clean("23/11/2026 08:30")
            assert (value.day, value.month, value.year, value.hour, value.minute) == (23, 11, 2026, 8, 30), label
        else:
            assert field.clean("23/11/2026") == DAY, label
            assert field.widget.format_value(DAY) == "23/11/2026", label
        html = field.widget.render(name, None)
        assert 'type="date"' not in html and 'type="datetime-local"' not in html, label


def _admin_date_fields() -> list[tuple[str, admin.ModelAdmin, models.Field]]:
    found = []
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if isinstance(field, (models.DateField, models.TimeField)) and field.editable and not field.auto_created:
                if isinstance(field, models.TimeField):
                    continue
                found.append((f"{model._meta.label}.{field.name}", model_admin, field))
    return found


ADMIN_FIELDS = _admin_date_fields()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("label", "model_admin", "field"), ADMIN_FIELDS, ids=[label for label, _a, _f in ADMIN_FIELDS])
def test_every_admin_date_field_accepts_day_first(language, label, model_admin, field, central_staff):
    """The form field the admin builds for each model date (a DateField, or a date and a
    time box for a DateTimeField) reads 23/11/2026 as the 23rd of November."""
    request = RequestFactory().get("/admin/")
    request.user = central_staff
    with translation.override(language):
        form_field = model_admin.formfield_for_dbfield(field, request=request)
        if form_field is None:  # left out of the admin's forms
            return
        if isinstance(field, models.DateTimeField):
            assert isinstance(form_field.widget, admin_widgets.AdminSplitDateTime), label
            value = form_field.clean(["23/11/2026", "08:30"])
            assert (value.day, value.month, value.year, value.hour, value.minute) == (23, 11, 2026, 8, 30), label
        else:
            assert form_field.clean("23/11/2026") == DAY, label
            assert form_field.widget.format_value(DAY) == "23/11/2026", label


def test_the_admin_has_date_fields_to_check():
    labels = {label for label, _a, _f in ADMIN_FIELDS}
    assert "networks.Network.launch_date" in labels and len(labels) >= 10, labels
