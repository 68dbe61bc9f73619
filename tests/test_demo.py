from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.choices import RequestStatus
from campaigns.models import Coalition, Event, Letter, Membership, Organisation, Person, Request

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
