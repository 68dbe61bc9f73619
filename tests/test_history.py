"""The history of every change: old and new values, who and when, UK dates, and restore."""

from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse

from campaigns.choices import Outcome, RequestStatus
from campaigns.models import Attachment, Event, Letter, Organisation, Request
from campaigns.services import event_change, event_delete, letter_change, letter_delete
from tests.factories import (
    CoalitionFactory,
    EventFactory,
    LetterFactory,
    OrganisationFactory,
    PersonFactory,
    RequestFactory,
)
from tests.test_access import make_campaigner
from tests.test_admin_queries import change_form_data
from workspace.models import Role

pytestmark = pytest.mark.django_db


def letter_history_url(letter):
    return reverse("admin:campaigns_request_letter_history", args=[letter.request_id, letter.pk])


def restore_url(record):
    return reverse(
        "admin:campaigns_request_letter_restore",
        args=[record.request_id, record.id, record.history_id],
    )


@pytest.fixture
def answered():
    """Return a draft request of a coalition, with a letter sent and a reply that met the ask."""
    request = RequestFactory(coalition=CoalitionFactory(name="Coalition A"), is_published=False)
    LetterFactory(request=request, date=date(2021, 7, 5), subject="Please publish")
    reply = LetterFactory(
        request=request,
        reply=True,
        outcome=Outcome.MET,
        date=date(2021, 7, 20),
        subject="We will publish",
        body="The analysis will be published.",
    )
    return request, reply


def status_of(request):
    return Request.objects.with_status().get(pk=request.pk).status


def test_request_history_shows_old_and_new_values_who_changed_them_and_uk_dates(
    client, django_user_model, answered
):
    request, _ = answered
    user = make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})
    client.force_login(user)
    edited = Request.objects.get(pk=request.pk)
    edited.title = "Publish the 48 reviews"
    edited.closed_result, edited.closed_on = "won", date(2021, 8, 3)
    edited._history_user = user
    edited.save()

    page = client.get(reverse("admin:campaigns_request_history", args=[request.pk]))

    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert request.title in text and "Publish the 48 reviews" in text
    assert "3 August 2021" in text and "August 3, 2021" not in text
    assert ">ann<" in text
    assert letter_history_url(Letter.objects.filter(request=request).first()) in text


def test_letter_history_shows_each_changed_field_old_and_new_in_uk_format(
    client, django_user_model, answered
):
    request, reply = answered
    client.force_login(
        make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})
    )
    letter_change(letter=reply, subject="We refuse", date=date(2021, 7, 27), outcome="refused")

    page = client.get(letter_history_url(reply))

    assert page.status_code == HTTPStatus.OK
    changes = page.context["records"][0].history_delta_changes
    by_field = {change["field"]: (change["old"], change["new"]) for change in changes}
    assert by_field["Subject"] == ("We will publish", "We refuse")
    assert by_field["Date"] == ("20 July 2021", "27 July 2021")
    assert by_field["Outcome"] == ("Met", "Refused")
    assert "July 20, 2021" not in page.content.decode()


def test_letter_history_shows_who_signed_before_and_after_each_change(
    client, django_user_model, answered
):
    request, _ = answered
    letter = request.letters.get(direction="sent")
    members = list(request.coalition.members.order_by("name"))
    carole = PersonFactory(name="Carole Littlechild", organisation=members[0])
    client.force_login(
        make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})
    )
    url = reverse("admin:campaigns_request_change", args=[request.pk])
    data = change_form_data(request)
    data["letters-0-signatories"] = [str(members[0].pk)]
    data["letters-0-signers"] = [str(carole.pk)]
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    letter_change(letter=Letter.objects.get(pk=letter.pk), subject="Please publish it")

    records = client.get(letter_history_url(letter)).context["records"]

    changes = [
        {change["field"]: (change["old"], change["new"]) for change in record.history_delta_changes}
        for record in records[:2]
    ]
    assert changes[0] == {"Subject": ("Please publish", "Please publish it")}
    assert changes[1] == {
        "Signed by": ("-", "Carole Littlechild"),
        "Signatory organisations": ("-", members[0].name),
    }


def test_restoring_a_letter_brings_it_back_and_recomputes_the_requests_status(
    client, django_user_model, answered
):
    request, reply = answered
    user = make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})
    client.force_login(user)
    as_written = reply.history.earliest()
    letter_change(
        letter=reply, subject="We refuse", body="No.", date=date(2021, 7, 27), outcome="refused"
    )
    assert status_of(request) == RequestStatus.REFUSED

    response = client.post(restore_url(as_written))

    assert response.status_code == HTTPStatus.FOUND
    restored = Letter.objects.get(pk=reply.pk)
    assert (restored.subject, restored.body, restored.date, restored.outcome) == (
        "We will publish",
        "The analysis will be published.",
        date(2021, 7, 20),
        Outcome.MET,
    )
    assert status_of(request) == RequestStatus.MET
    assert Request.objects.get(pk=request.pk).latest_reply_on == date(2021, 7, 20)
    assert restored.history.latest().history_user == user


def test_restoring_a_deleted_letter_records_it_again(client, django_user_model, answered):
    request, reply = answered
    client.force_login(
        make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})
    )
    as_written = reply.history.earliest()
    letter_id = reply.pk
    letter_delete(letter=reply)
    assert status_of(request) == RequestStatus.OVERDUE

    assert client.post(restore_url(as_written)).status_code == HTTPStatus.FOUND

    assert Letter.objects.get(pk=letter_id).subject == "We will publish"
    assert status_of(request) == RequestStatus.MET


def test_reverting_a_request_recomputes_its_stored_facts(client, django_user_model, answered):
    request, _ = answered
    client.force_login(
        make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})
    )
    first = request.history.earliest()
    url = reverse("admin:campaigns_request_simple_history", args=[request.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = first.title

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    assert Request.objects.get(pk=request.pk).title == first.title
    assert status_of(request) == RequestStatus.MET


def test_a_campaigner_of_another_coalition_can_neither_see_nor_restore_the_history(
    client, django_user_model, answered
):
    request, reply = answered
    as_written = reply.history.earliest()
    letter_change(letter=reply, subject="We refuse", outcome="refused")
    client.force_login(
        make_campaigner(django_user_model, "bob", {CoalitionFactory(): Role.PUBLISHER})
    )
    urls = [
        reverse("admin:campaigns_request_history", args=[request.pk]),
        reverse(
            "admin:campaigns_request_simple_history",
            args=[request.pk, request.history.earliest().history_id],
        ),
        letter_history_url(reply),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        assert "We will publish" not in response.content.decode()

    assert client.post(restore_url(as_written)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(urls[1], {"title": "Taken"}).status_code == HTTPStatus.NOT_FOUND
    assert Letter.objects.get(pk=reply.pk).subject == "We refuse"
    assert Request.objects.get(pk=request.pk).title == request.title


def test_an_editor_sees_a_published_requests_letter_history_but_cannot_restore_it(
    client, django_user_model, answered
):
    request, reply = answered
    Request.objects.filter(pk=request.pk).update(is_published=True)
    as_written = reply.history.earliest()
    letter_change(letter=reply, subject="We refuse", outcome="refused")
    client.force_login(make_campaigner(django_user_model, "eve", {request.coalition: Role.EDITOR}))

    page = client.get(letter_history_url(reply))

    assert page.status_code == HTTPStatus.OK
    assert "Restore this version" not in page.content.decode()
    assert client.post(restore_url(as_written)).status_code == HTTPStatus.FORBIDDEN
    assert Letter.objects.get(pk=reply.pk).subject == "We refuse"


def test_organisation_changes_are_kept_with_old_and_new_values(admin_client):
    organisation = OrganisationFactory(name="Department for Educaton")
    organisation.name = "Department for Education"
    organisation.save()

    page = admin_client.get(reverse("admin:campaigns_organisation_history", args=[organisation.pk]))

    changes = page.context["page_obj"][0].history_delta_changes
    assert changes == [
        {"field": "Name", "old": "Department for Educaton", "new": "Department for Education"}
    ]
    assert Organisation.history.count() == 2


def test_derived_columns_are_not_tracked():
    tracked = {field.name for field in Request.history.model._meta.fields}
    assert not tracked & {"search_document", "search_vector", "open_due_on", "published_at"}
    assert "text" not in {field.name for field in Attachment.history.model._meta.fields}


def event_history_url(event):
    return reverse("admin:campaigns_request_event_history", args=[event.request_id, event.pk])


def test_an_event_is_restored_as_it_was_and_a_deleted_one_brought_back(
    client, django_user_model, answered
):
    request, _ = answered
    event = EventFactory(request=request, title="Annual report published", date=date(2022, 12, 15))
    as_written = event.history.earliest()
    event_change(event=event, title="Annual report witheld", outlet="A blog")
    client.force_login(
        make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})
    )

    listing = client.get(reverse("admin:campaigns_request_history", args=[request.pk]))
    assert event_history_url(event) in listing.content.decode()
    page = client.get(event_history_url(event)).content.decode()
    assert "Annual report published &rarr; Annual report witheld" in page
    restore = reverse(
        "admin:campaigns_request_event_restore",
        args=[request.pk, event.pk, as_written.history_id],
    )
    assert client.post(restore).status_code == HTTPStatus.FOUND
    event.refresh_from_db()
    assert (event.title, event.outlet) == ("Annual report published", "")

    event_pk = event.pk
    event_delete(event=event)
    assert (
        "(deleted)"
        in client.get(
            reverse("admin:campaigns_request_history", args=[request.pk])
        ).content.decode()
    )
    assert client.post(restore).status_code == HTTPStatus.FOUND
    assert Event.objects.get(pk=event_pk).title == "Annual report published"


def test_an_editor_cannot_restore_a_published_requests_event(client, django_user_model, answered):
    request, _ = answered
    event = EventFactory(request=request, title="As it was")
    as_written = event.history.earliest()
    event_change(event=event, title="Changed")
    Request.objects.filter(pk=request.pk).update(is_published=True)
    client.force_login(make_campaigner(django_user_model, "eve", {request.coalition: Role.EDITOR}))
    assert "Restore this version" not in client.get(event_history_url(event)).content.decode()
    restore = reverse(
        "admin:campaigns_request_event_restore", args=[request.pk, event.pk, as_written.history_id]
    )
    assert client.post(restore).status_code == HTTPStatus.FORBIDDEN
    assert Event.objects.get(pk=event.pk).title == "Changed"


def test_another_coalitions_event_history_is_not_found(client, django_user_model, answered):
    request, _ = answered
    event = EventFactory(request=request)
    client.force_login(
        make_campaigner(django_user_model, "bob", {CoalitionFactory(): Role.PUBLISHER})
    )
    assert client.get(event_history_url(event)).status_code == HTTPStatus.NOT_FOUND
