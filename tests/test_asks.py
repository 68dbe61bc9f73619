"""Asks: the outcome of each, the request outcome they make, how they are entered and shown."""

from datetime import date
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from campaigns.asks import combined_outcome, latest_answers, request_outcome
from campaigns.choices import Outcome, RequestStatus
from campaigns.models import Ask, Request
from campaigns.services import answers_save, letter_change
from tests.admin_forms import inline_formset
from tests.factories import LetterFactory, RequestFactory
from tests.test_admin_queries import change_form_data
from tests.test_attachments import make_old_request

MET, PARTLY, REFUSED, NONE = (
    Outcome.MET,
    Outcome.PARTLY_MET,
    Outcome.REFUSED,
    Outcome.NO_ANSWER,
)


@pytest.mark.parametrize(
    ("outcomes", "combined"),
    [
        ([], ""),
        ([REFUSED], REFUSED),
        ([MET, MET], MET),
        ([NONE, NONE], NONE),
        ([MET, REFUSED], PARTLY),
        ([PARTLY, NONE], PARTLY),
        ([MET, NONE], PARTLY),
        ([REFUSED, NONE], REFUSED),
    ],
)
def test_answers_put_together_make_one_outcome(outcomes, combined):
    assert combined_outcome(outcomes) == combined


def reply(pk, outcome):
    return SimpleNamespace(pk=pk, outcome=outcome)


def answer(letter, ask, outcome):
    return SimpleNamespace(letter_id=letter, ask_id=ask, outcome=outcome)


ASKS = [SimpleNamespace(pk=1), SimpleNamespace(pk=2)]


def test_a_reply_without_answers_of_its_own_answers_every_ask():
    answered = latest_answers(ASKS, [reply(10, REFUSED)], [])

    assert [(a.ask.pk, a.outcome, a.reply.pk) for a in answered] == [
        (1, REFUSED, 10),
        (2, REFUSED, 10),
    ]


def test_the_latest_answer_to_each_ask_is_from_the_latest_reply_that_answered_it():
    replies = [reply(10, PARTLY), reply(11, MET)]
    answers = [answer(10, 1, REFUSED), answer(10, 2, MET), answer(11, 1, MET)]

    answered = latest_answers(ASKS, replies, answers)

    assert [(a.outcome, a.reply.pk) for a in answered] == [(MET, 11), (MET, 10)]
    assert request_outcome(ASKS, replies, answers) == MET
    # Before the second reply, one ask was refused and the other met.
    assert request_outcome(ASKS, replies[:1], answers) == PARTLY


def test_an_ask_no_reply_answered_counts_as_not_answered():
    answers = [answer(10, 1, REFUSED)]

    assert request_outcome(ASKS, [reply(10, REFUSED)], answers) == REFUSED
    assert request_outcome(ASKS, [], answers) == ""
    assert latest_answers(ASKS, [reply(10, REFUSED)], answers)[1].reply is None


def test_one_ask_reads_each_replys_own_outcome_as_before():
    ask = [SimpleNamespace(pk=1)]
    replies = [reply(10, REFUSED), reply(11, NONE)]

    # As before asks: the latest reply's outcome, even "no answer" after a refusal.
    assert request_outcome(ask, replies, []) == NONE


def with_new_letter(data, fields):
    """Return change form data with one more letter form, filled with `fields`."""
    index = int(data["letters-TOTAL_FORMS"])
    data = data | {f"letters-{index}-{name}": value for name, value in fields.items()}
    return data | {"letters-TOTAL_FORMS": str(index + 1)}


@pytest.fixture
def two_asks(db):
    request = RequestFactory(summary="Publish the analysis, and meet us.")
    request.asks.all().delete()
    first = Ask.objects.create(request=request, text="Publish the analysis", position=1)
    second = Ask.objects.create(request=request, text="Meet the coalition", position=2)
    LetterFactory(request=request, date=date(2022, 4, 29))
    return request, first, second


def test_a_request_is_given_its_summary_as_its_one_ask(db):
    request = RequestFactory(summary="Publish the analysis of 48 incidents.")

    assert [ask.text for ask in request.asks.all()] == ["Publish the analysis of 48 incidents."]


def test_the_request_outcome_follows_each_asks_latest_answer(two_asks):
    request, first, second = two_asks
    refused_then = LetterFactory(request=request, reply=True, date=date(2022, 5, 30))
    answers_save(letter=refused_then, outcomes={first.pk: REFUSED, second.pk: MET})
    letter_change(letter=refused_then)  # refreshes the request, as the admin's save does

    request = Request.objects.with_status().get(pk=request.pk)
    refused_then.refresh_from_db()
    assert refused_then.outcome == PARTLY
    assert request.status == RequestStatus.PARTLY_MET

    LetterFactory(request=request, follow_up=True, date=date(2022, 6, 6))
    published = LetterFactory(request=request, reply=True, outcome=MET, date=date(2022, 7, 1))
    answers_save(letter=published, outcomes={first.pk: MET})
    letter_change(letter=published)

    request = Request.objects.with_status().get(pk=request.pk)
    assert request.status == RequestStatus.MET


def test_answers_to_another_requests_asks_are_ignored(two_asks):
    request, first, _second = two_asks
    other = RequestFactory().asks.get()
    letter = LetterFactory(request=request, reply=True, date=date(2022, 5, 30))

    answers_save(letter=letter, outcomes={first.pk: MET, other.pk: REFUSED})

    assert list(letter.ask_answers.values_list("ask_id", "outcome")) == [(first.pk, MET)]


def test_the_admin_asks_a_replys_outcome_for_each_ask(staff_client, two_asks):
    request, first, second = two_asks
    url = reverse("admin:campaigns_request_change", args=[request.pk])
    page = staff_client.get(url)
    assert b"Outcome of each ask" in page.content
    assert b"Meet the coalition" in page.content

    reply = {
        "direction": "received",
        "kind": "substantive",
        "date": "2022-05-30",
        "channel": "letter",
        f"ask_outcomes-{first.pk}": "refused",
        f"ask_outcomes-{second.pk}": "",
    }
    response = staff_client.post(url, with_new_letter(change_form_data(request), reply))

    assert response.status_code == HTTPStatus.FOUND
    saved = request.letters.get(kind="substantive")
    assert saved.outcome == REFUSED
    assert list(saved.ask_answers.values_list("ask_id", "outcome")) == [(first.pk, REFUSED)]
    # The second ask was not answered, so the request is refused.
    assert Request.objects.with_status().get(pk=request.pk).status == RequestStatus.REFUSED


def test_a_reply_to_several_asks_with_no_outcome_is_a_form_error(staff_client, two_asks):
    request, first, second = two_asks
    url = reverse("admin:campaigns_request_change", args=[request.pk])
    reply = {"direction": "received", "kind": "substantive", "date": "2022-05-30"}

    response = staff_client.post(url, with_new_letter(change_form_data(request), reply))

    assert response.status_code == HTTPStatus.OK
    errors = inline_formset(response, "letters").forms[-1].errors
    assert errors["ask_outcomes"] == [
        "Choose the outcome of at least one ask that this substantive reply answers."
    ]
    assert not request.letters.filter(kind="substantive").exists()


def test_one_ask_keeps_the_single_outcome_field(staff_client, db):
    request = RequestFactory()
    page = staff_client.get(reverse("admin:campaigns_request_change", args=[request.pk]))

    assert b"Outcome of each ask" not in page.content
    assert 'name="asks-0-text"' in page.content.decode()


def test_the_page_and_api_list_several_asks_with_their_latest_answers(client, two_asks):
    request, first, second = two_asks
    letter = LetterFactory(request=request, reply=True, date=date(2022, 5, 30))
    answers_save(letter=letter, outcomes={first.pk: REFUSED})
    letter_change(letter=letter)

    page = client.get(request.get_absolute_url()).content.decode()
    assert "What was asked, and the latest answer to each" in page
    assert "Meet the coalition" in page
    assert "Not answered yet" in page
    assert "The request's outcome puts these answers together" in page

    data = client.get(reverse("api:request-detail", args=[request.slug])).json()
    assert [(a["text"], a["outcome"], a["answered_on"]) for a in data["asks"]] == [
        ("Publish the analysis", "refused", "2022-05-30"),
        ("Meet the coalition", "", None),
    ]


def test_one_ask_reads_as_before_on_the_page(client, db):
    request = RequestFactory(summary="Publish the analysis.")
    LetterFactory(request=request)
    LetterFactory(request=request, reply=True, date=date(2022, 5, 30))

    page = client.get(request.get_absolute_url()).content.decode()

    assert "What was asked" not in page
    assert page.count("Publish the analysis.") >= 1


def test_a_private_replys_answers_are_not_shown(client, two_asks):
    request, first, second = two_asks
    letter = LetterFactory(request=request, reply=True, date=date(2022, 5, 30), is_private=True)
    answers_save(letter=letter, outcomes={first.pk: MET, second.pk: MET})
    letter_change(letter=letter)

    data = client.get(reverse("api:request-detail", args=[request.slug])).json()

    assert [a["outcome"] for a in data["asks"]] == ["", ""]
    assert data["status"] == RequestStatus.AWAITING or data["status"] == RequestStatus.OVERDUE


def test_each_request_gets_its_summary_as_one_ask_and_loses_it_on_reversal(transactional_db):
    executor = MigrationExecutor(connection)
    before = ("campaigns", "0023_letters_and_events_shown_since")
    after = ("campaigns", "0025_one_ask_per_request")
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    request_id = make_old_request(apps, RequestFactory.build())

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    asks = apps.get_model("campaigns", "Ask").objects.all()
    assert [(ask.request_id, ask.text) for ask in asks] == [(request_id, "Publish it.")]

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def test_an_ask_copied_from_the_summary_follows_the_summary_when_it_is_edited(staff_client, db):
    request = RequestFactory(summary="Publish the analysis.")
    url = reverse("admin:campaigns_request_change", args=[request.pk])
    data = change_form_data(request) | {"summary": "Publish the analysis of 48 incidents."}

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert [ask.text for ask in request.asks.all()] == ["Publish the analysis of 48 incidents."]


def test_an_ask_typed_apart_stays_when_the_summary_is_edited(staff_client, two_asks):
    request, first, second = two_asks
    url = reverse("admin:campaigns_request_change", args=[request.pk])
    data = change_form_data(request) | {"summary": "Publish it, meet us, and reply."}

    assert staff_client.post(url, data).status_code == 302
    assert [ask.text for ask in request.asks.all()] == [
        "Publish the analysis",
        "Meet the coalition",
    ]
