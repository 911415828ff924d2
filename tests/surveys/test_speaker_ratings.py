"""Post-event ratings of trainers and guest speakers, shown on the roster and the event page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys.models import Deployment, Response, SpeakerRating, SurveyTemplate
from surveys.selectors import speaker_rating_summary
from surveys.services import response_save
from tests.events.factories import SpeakerFactory
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.surveys.test_prepost import _answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(shipped_templates, network_a):
    template = SurveyTemplate.objects.get(family="training-pre-post")
    event = EventFactory(networks=[network_a], title="Tập huấn có giảng viên")
    trainer = SpeakerFactory(full_name="Giảng viên Mẫu Một")
    guest = SpeakerFactory(full_name="Khách mời Mẫu Hai")
    event.speakers.set([trainer, guest])
    from tests.surveys.factories import deploy

    pre = deploy(template, event=event, phase=Deployment.Phase.PRE)
    post = deploy(template, event=event, phase=Deployment.Phase.POST)
    return event, pre, post, trainer, guest, template


def _rate(post, template, network, scores):
    person = MembershipFactory(network=network).person
    return response_save(
        deployment=post, person=person, answers=_answers(template, 3, 3), submit=True, speaker_scores=scores
    )


def test_ratings_are_saved_with_the_response_and_averaged_on_the_roster(training, network_a, staff_a, client_for):
    event, _pre, post, trainer, guest, template = training
    for scores in ({trainer.pk: 5, guest.pk: 3}, {trainer.pk: 4}, {trainer.pk: "3", guest.pk: ""}):
        _rate(post, template, network_a, scores)
    assert SpeakerRating.objects.count() == 4
    summary = speaker_rating_summary(staff_a)
    assert summary[trainer.pk] == {"average": 4.0, "count": 3}
    assert summary[guest.pk] == {"average": 3.0, "count": 1}
    roster = client_for(staff_a).get(reverse("surveys:trainers")).content.decode()
    assert "Giảng viên Mẫu Một" in roster and "4,0/5" in roster  # Vietnamese decimal comma
    page = client_for(staff_a).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Được 3 người tham dự chấm trung bình 4,0/5" in page


@pytest.mark.parametrize(
    "scores",
    [{"trainer": 6}, {"trainer": 0}, {"trainer": "tốt"}, {"stranger": 4}],
    ids=["above-5", "zero", "not-a-number", "speaker-of-another-event"],
)
def test_bad_ratings_are_rejected_and_nothing_is_stored(training, network_a, scores):
    event, _pre, post, trainer, _guest, template = training
    stranger = SpeakerFactory(full_name="Không thuộc sự kiện")
    ids = {"trainer": trainer.pk, "stranger": stranger.pk}
    with pytest.raises(ValidationError) as exc:
        _rate(post, template, network_a, {ids[key]: value for key, value in scores.items()})
    assert "speakers" in exc.value.message_dict
    assert not Response.objects.filter(deployment=post).exists()
    assert not SpeakerRating.objects.exists()


def test_before_the_training_nobody_is_rated(training, network_a):
    _event, pre, _post, trainer, _guest, template = training
    person = MembershipFactory(network=network_a).person
    with pytest.raises(ValidationError):
        response_save(
            deployment=pre, person=person, answers=_answers(template, 1, 1), submit=True, speaker_scores={trainer.pk: 4}
        )
    assert not SpeakerRating.objects.exists()


def test_the_fill_page_offers_the_event_speakers_and_saves_the_ratings(training, network_a, client_for):
    _event, _pre, post, trainer, guest, template = training
    rater = UserFactory(email="rater@example.org", role="member")
    MembershipFactory(network=network_a, person__user=rater)
    client = client_for(rater)
    page = client.get(reverse("surveys:fill", args=[post.token])).content.decode()
    assert 'id="speaker-ratings"' in page and "Khách mời Mẫu Hai" in page
    data = {}
    for pk, answer in _answers(template, 2, 4).items():
        if answer.options:
            data[f"q{pk}_opt"] = answer.options[0]
        else:
            data[f"q{pk}"] = answer.value
    data.update({f"speaker_{trainer.pk}": "5", f"speaker_{guest.pk}": "9", "submit": "1"})
    bad = client.post(reverse("surveys:fill", args=[post.token]), data)
    assert bad.status_code == 400
    assert "từ 1 đến 5" in bad.content.decode()
    assert not SpeakerRating.objects.exists()
    data[f"speaker_{guest.pk}"] = "4"
    assert client.post(reverse("surveys:fill", args=[post.token]), data).status_code == 302
    assert set(SpeakerRating.objects.values_list("speaker__full_name", "score")) == {
        ("Giảng viên Mẫu Một", 5),
        ("Khách mời Mẫu Hai", 4),
    }


def test_other_province_sees_none_of_the_ratings(training, network_a, staff_b, client_for):
    _event, _pre, post, trainer, _guest, template = training
    _rate(post, template, network_a, {trainer.pk: 5})
    assert SpeakerRating.objects.visible_to(staff_b).count() == 0
    assert speaker_rating_summary(staff_b) == {}
    roster = client_for(staff_b).get(reverse("surveys:trainers")).content.decode()
    assert "5,0/5" not in roster


def test_roster_is_staff_only(member_a, client_for):
    assert client_for(member_a).get(reverse("surveys:trainers")).status_code == 404


def test_roster_query_count_does_not_grow_with_ratings(
    training, network_a, staff_a, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _event, _pre, post, trainer, guest, template = training
    client = client_for(staff_a)
    _rate(post, template, network_a, {trainer.pk: 5})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("surveys:trainers"))
    for _i in range(8):
        _rate(post, template, network_a, {trainer.pk: 4, guest.pk: 2})
    SpeakerFactory.create_batch(5)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("surveys:trainers"))
    assert len(few) > 0
    assert len(many) == len(few)


def test_ratings_in_an_unsubmitted_draft_do_not_count(training, network_a, staff_a):
    _event, _pre, post, trainer, _guest, template = training
    _rate(post, template, network_a, {trainer.pk: 5})
    person = MembershipFactory(network=network_a).person
    response_save(
        deployment=post, person=person, answers=_answers(template, 3, 3), submit=False, speaker_scores={trainer.pk: 1}
    )
    assert SpeakerRating.objects.filter(score=1).exists()  # the draft keeps what she chose
    assert speaker_rating_summary(staff_a)[trainer.pk] == {"average": 5.0, "count": 1}
