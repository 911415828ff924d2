"""The speaker roster for staff (replaces the admin for provincial work): trainers,
guest speakers and presenters with their short biographies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from events import services
from events.forms import SpeakerForm
from events.models import Speaker
from portal.access import get_for_action_or_404, may, require_staff


@login_required
def speaker_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    speakers = Speaker.objects.visible_to(request.user).select_related("province").order_by("full_name", "pk")
    return render(request, "events/speaker_list.html", {"speakers": speakers})


@login_required
def speaker_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_staff(request.user)
    speaker = None
    if pk is not None:
        # Provincial staff edit their province's roster; the shared roster is the Central Union's.
        speaker = get_for_action_or_404(Speaker, request.user, "manage_speaker", pk=pk)
    form = SpeakerForm(request.POST or None, instance=speaker, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        if not may(request.user, "keep_shared_roster"):
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
