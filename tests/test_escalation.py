"""Escalation chains: each stage a request of its own, to its own body, shown as one chain."""

from datetime import date
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.choices import EscalationStage, RequestStatus
from campaigns.models import Request
from campaigns.stats import scorecard_for
from tests.factories import LetterFactory, PublicBodyFactory, RequestFactory
from tests.test_admin_queries import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """The Panel refuses; the coalition writes to the minister, then to the select committee."""
    panel = RequestFactory(recipient=PublicBodyFactory(name="The Panel"), title="To the Panel")
    LetterFactory(request=panel, date=date(2022, 4, 29))
    LetterFactory(request=panel, reply=True, date=date(2022, 5, 30))
    minister = RequestFactory(
        coalition=panel.coalition,
        recipient=PublicBodyFactory(name="Department for Education"),
        title="To the minister",
        escalated_from=panel,
        stage=EscalationStage.MINISTER,
    )
    LetterFactory(request=minister, date=date(2022, 6, 10))
    LetterFactory(request=minister, reply=True, outcome="partly_met", date=date(2022, 7, 1))
    committee = RequestFactory(
        coalition=panel.coalition,
        recipient=PublicBodyFactory(name="Education Committee"),
        title="To the committee",
        escalated_from=minister,
        stage=EscalationStage.SELECT_COMMITTEE,
    )
    LetterFactory(request=committee, date=date(2022, 7, 15))
    return panel, minister, committee


def test_three_stages_across_three_bodies_each_count_for_their_own_body(chain):
    panel, minister, committee = chain
    assert {
        stage.chain_root_id for stage in Request.objects.filter(pk__in=[s.pk for s in chain])
    } == {panel.pk}

    for stage in chain:
        card = scorecard_for(stage.recipient)
        assert card.received == 1
    assert scorecard_for(panel.recipient).counts["escalated"] == 1
    assert scorecard_for(committee.recipient).counts["escalated"] == 0
    assert scorecard_for(minister.recipient).outcomes["Partly met"] == 1


def test_the_page_and_api_show_the_whole_chain(client, chain):
    panel, minister, committee = chain

    page = client.get(minister.get_absolute_url()).content.decode()
    section = page[page.index('id="chain"') :]
    section = section[: section.index("</section>")]

    assert "The whole chain of escalation" in section
    assert section.index("To the Panel") < section.index("this request")
    assert section.index("this request") < section.index("To the committee")
    assert '<li class="current" aria-current="page"><p><strong>Minister</strong>' in page
    data = client.get(reverse("api:request-detail", args=[committee.slug])).json()
    assert [(stage["slug"], stage["stage"], stage["status"]) for stage in data["chain"]] == [
        (panel.slug, "", RequestStatus.REFUSED),
        (minister.slug, "minister", RequestStatus.PARTLY_MET),
        (committee.slug, "select_committee", data["status"]),
    ]


def test_a_draft_stage_is_not_shown_in_the_chain(client, chain):
    panel, minister, committee = chain
    Request.objects.filter(pk=committee.pk).update(is_published=False)

    page = client.get(minister.get_absolute_url()).content.decode()

    assert "To the committee" not in page
    assert scorecard_for(minister.recipient).counts["escalated"] == 0


def test_a_request_never_escalated_has_no_chain(client, db):
    request = RequestFactory()
    assert request.chain() == [request]
    assert "The whole chain" not in client.get(request.get_absolute_url()).content.decode()


def test_a_chain_cannot_loop_and_a_stage_needs_both_its_request_and_stage(chain):
    panel, _minister, committee = chain
    panel.escalated_from, panel.stage = committee, EscalationStage.REGULATOR
    with pytest.raises(ValidationError) as refused:
        panel.full_clean()
    assert refused.value.message_dict["escalated_from"] == [
        "A request cannot escalate itself or a later stage."
    ]

    lone = RequestFactory.build(coalition=panel.coalition, recipient=panel.recipient)
    lone.stage = EscalationStage.MINISTER
    with pytest.raises(ValidationError) as refused:
        lone.full_clean()
    assert "escalated_from" in refused.value.message_dict
    lone.stage, lone.escalated_from = EscalationStage.FIRST, panel
    with pytest.raises(ValidationError) as refused:
        lone.full_clean()
    assert "stage" in refused.value.message_dict


def test_a_stage_moved_out_of_its_chain_takes_its_later_stages_along(chain):
    panel, minister, committee = chain
    minister.escalated_from, minister.stage = None, EscalationStage.FIRST
    minister.save()

    committee.refresh_from_db()
    assert committee.chain_root_id == minister.pk
    assert [stage.pk for stage in minister.chain()] == [minister.pk, committee.pk]


def test_the_admin_escalates_a_request_to_its_next_stage(staff_client, chain):
    panel, *_rest = chain
    change = staff_client.get(reverse("admin:campaigns_request_change", args=[panel.pk]))
    link = f"/admin/campaigns/request/add/?escalated_from={panel.pk}&amp;coalition="
    assert link in change.content.decode()

    body = PublicBodyFactory(name="The Ombudsman")
    data = change_form_data(panel) | {
        "title": "To the ombudsman",
        "slug": "to-the-ombudsman",
        "recipient": str(body.pk),
        "escalated_from": str(panel.pk),
        "stage": "regulator",
        "letters-TOTAL_FORMS": "0",
        "letters-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = staff_client.post(reverse("admin:campaigns_request_add"), data)

    assert response.status_code == HTTPStatus.FOUND, response.context and response.context.get(
        "errors"
    )
    added = Request.objects.get(slug="to-the-ombudsman")
    assert (added.escalated_from, added.chain_root, added.stage) == (panel, panel, "regulator")
