"""The staff pages' one way of handling a form: fetch the object through the scope and
the rules table (:func:`portal.access.get_for_action_or_404`), then, on a valid POST,
call one service; its ValidationError lands on the form's fields, success is a message
and a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form
    has that field, else on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    then: Callable[[T], str] | str,
    valid: bool = True,
) -> HttpResponse | None:
    """On a POST whose ``form`` is valid (and ``valid``, for a formset beside it), call
    ``save(cleaned_data)``: a ValidationError goes onto the form and ``None`` is returned
    (render the page again); otherwise ``success`` (a text, or a function of what ``save``
    returned) is shown and the redirect to ``then``
    (a URL, or a function of what ``save`` returned) is returned. ``None`` also for a GET
    or an invalid form."""
    if request.method != "POST" or not form.is_valid() or not valid:
        return None
    try:
        result = save(dict(form.cleaned_data))
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)
