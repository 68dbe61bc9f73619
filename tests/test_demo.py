from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.choices import CommitmentStatus, RequestStatus
from campaigns.models import (
    Coalition,
    Commitment,
    Event,
    Letter,
    Membership,
    Organisation,
    Person,
    Request,
)

pytestmark = pytest.mark.django_db

MODELS = (Organisation, Person, Coalition, Membership, Request, Letter, Event)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_creates_the_case_and_running_it_again_adds_nothing():
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = counts()
    call_command("load_demo", stdout=StringIO())

    assert counts() == first
    assert first == {
        "Organisation": 8,
        "Person": 3,
        "Coalition": 1,
        "Membership": 7,
        "Request": 1,
        "Letter": 2,
        "Event": 5,
    }
    assert "/requests/panel-48-incidents-analysis-2022/" in out.getvalue()


def test_demo_request_is_refused_with_article_39_leading_seven_members(demo):
    request = Request.objects.with_status().get(pk=demo.pk)
    assert request.status == RequestStatus.REFUSED
    assert request.coalition.memberships.get(role="lead").organisation.name == "Article 39"
    assert request.coalition.members.count() == 7
    assert request.letters.get(direction="sent").signatories.count() == 7


def test_load_demo_restores_edited_facts(demo):
    Letter.objects.filter(direction="received").update(outcome="met")
    call_command("load_demo", stdout=StringIO())
    assert Request.objects.with_status().get().status == RequestStatus.REFUSED


def test_demo_case_has_one_ask_refused_and_the_replys_two_commitments(demo, client):
    (ask,) = demo.asks.all()
    assert ask.text == demo.summary
    commitments = {c.text: c for c in Commitment.objects.with_status().filter(request=demo)}
    report = commitments["Share evidence through its next annual report, due later this year"]
    briefings = commitments["Share evidence through a new series of practice briefings"]
    assert (report.status, report.due_by, report.kept_by.date) == (
        CommitmentStatus.KEPT,
        date(2022, 12, 31),
        date(2022, 12, 15),
    )
    assert (briefings.status, briefings.due_on) == (CommitmentStatus.OPEN, None)

    page = client.get(demo.get_absolute_url()).content.decode()
    # One ask reads as before: no list of asks, the status says the outcome.
    assert "What was asked" not in page
    assert "What was promised in reply" in page
    assert "next annual report, due later this year, by the end of 2022." in page
    assert "practice briefings, no date given." in page
