"""The speaker roster for staff (replaces the admin for provincial work): trainers,
guest speakers and presenters with their short biographies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from events import services
from events.forms import SpeakerForm
from events.models import Speaker
from portal.access import get_for_user_or_404, require_staff


@login_required
def speaker_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    speakers = Speaker.objects.visible_to(request.user).select_related("province").order_by("full_name", "pk")
    return render(request, "events/speaker_list.html", {"speakers": speakers})


def _may_edit(user, speaker: Speaker) -> bool:  # noqa: ANN001
    """Provincial staff edit their province's roster; the shared roster is the Central Union's."""
    return user.is_central or (speaker.province_id is not None and speaker.province_id == user.scope_province_id)


@login_required
def speaker_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_staff(request.user)
    speaker = None
    if pk is not None:
        speaker = get_for_user_or_404(Speaker, request.user, pk=pk)
        if not _may_edit(request.user, speaker):
            raise Http404
    form = SpeakerForm(request.POST or None, instance=speaker, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        if not request.user.is_central:
            data["province"] = request.user.province
        try:
            if speaker is None:
                services.speaker_create(**data)
            else:
                services.speaker_update(speaker=Speaker.objects.get(pk=speaker.pk), **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The roster has been saved."))
            return redirect("events:speakers")
    return render(request, "events/speaker_form.html", {"form": form, "speaker": speaker})
