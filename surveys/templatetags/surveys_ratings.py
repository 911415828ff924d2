"""``{% speaker_ratings_for event as rated %}``: the event's trainers with their ratings,
for the event page (events does not import surveys)."""

from __future__ import annotations

from typing import Any

from django import template

from surveys.selectors import speaker_rating_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def speaker_ratings_for(context: template.Context, event: Any) -> list[tuple[Any, dict[str, Any] | None]]:
    summary = speaker_rating_summary(context["request"].user, event=event)
    return [(speaker, summary.get(speaker.pk)) for speaker in event.speakers.all()]
