"""The admin's request page and its save cost the same number of queries however many letters."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.choices import Direction
from campaigns.models import Attachment, Letter, Request
from tests.admin_forms import EVENT_FIELDS, LETTER_FIELDS, inline_data
from tests.documents import pdf
from tests.factories import EventFactory, LetterFactory, PersonFactory, RequestFactory, attach

pytestmark = pytest.mark.django_db


def request_with_letters(count):
    """Return a request with `count` letters, alternating sent and replies, people named."""
    request = RequestFactory()
    ours = PersonFactory(organisation=request.coalition.members.first())
    theirs = PersonFactory(organisation=request.recipient)
    day = date(2021, 1, 4)
    for index in range(count):
        sent = index % 2 == 0
        letter = LetterFactory(
            request=request,
            date=day + timedelta(days=index * 10),
            signers=[ours if sent else theirs],
            addressee=theirs if sent else ours,
            signed_by_every_member=sent,
            **({"kind": "follow_up"} if sent and index else {} if sent else {"reply": True}),
        )
        attach(letter, pdf(f"Letter {index}"), f"letter-{index}.pdf", is_private=index % 3 == 0)
    EventFactory(request=request, date=day)
    return request


def change_form_data(request, **changes):
    """Return the change form as the browser would post it back, with `changes` applied."""
    letters = [
        {
            **{field: letter_value(letter, field) for field in LETTER_FIELDS},
            "id": str(letter.pk),
        }
        for letter in request.letters.prefetch_related("signatories", "signers")
    ]
    events = [
        {**{field: getattr(event, field) or "" for field in EVENT_FIELDS}, "id": str(event.pk)}
        for event in request.events.all()
    ]
    data = {
        "title": request.title,
        "slug": request.slug,
        "summary": request.summary,
        "coalition": str(request.coalition_id),
        "recipient": str(request.recipient_id),
        "recipient_person": "",
        "is_published": "on",
        "closed_result": "",
        "closed_on": "",
        **changes,
    }
    data.update(inline_data("asks", [], ()))
    data.update(inline_data("letters", letters, LETTER_FIELDS, initial=len(letters)))
    data.update(inline_data("events", events, EVENT_FIELDS, initial=len(events)))
    data.update(inline_data("commitments", [], ()))
    data.update(inline_data("deadline_changes", [], ()))
    return data


def letter_value(letter, field):
    if field in {"signatories", "signers"}:
        return [str(related.pk) for related in getattr(letter, field).all()]
    if field == "addressee":
        return str(getattr(letter, f"{field}_id") or "")
    if field == "kept_files-private":
        return [str(a.pk) for a in letter.attachments.all() if a.is_private]
    if field in {"files", "kept_files-remove", "signed_by_every_member"}:
        return [] if field == "kept_files-remove" else ""
    value = getattr(letter, field)
    return "" if value is None else str(value)


def save_queries(staff_client, count, limit):
    request = request_with_letters(count)
    url = reverse("admin:campaigns_request_change", args=[request.pk])
    data = change_form_data(request, title="A new title")
    ContentType.objects.clear_cache()  # so each save looks up the admin log's type alike
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and [
        formset.errors for formset in response.context["inline_admin_formsets"]
    ]
    assert Request.objects.get().title == "A new title"
    assert len(queries) <= limit, "\n".join(query["sql"] for query in queries)
    return len(queries)


def test_saving_a_request_with_20_letters_runs_at_most_40_queries(staff_client):
    few = save_queries(staff_client, 2, 40)
    Request.objects.all().delete()
    many = save_queries(staff_client, 20, 40)
    assert many == few


def test_change_page_queries_do_not_grow_with_the_letters(staff_client):
    counts = []
    for count in (2, 20):
        request = request_with_letters(count)
        url = reverse("admin:campaigns_request_change", args=[request.pk])
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('name="letters-') >= count
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_save_with_unchanged_letters_keeps_their_signatories_and_facts(staff_client):
    request = request_with_letters(4)
    signed = {letter.pk: set(letter.signatories.all()) for letter in request.letters.all()}
    before = Request.objects.values("open_due_on", "latest_reply_on").get()
    url = reverse("admin:campaigns_request_change", args=[request.pk])
    assert staff_client.post(url, change_form_data(request)).status_code == 302
    assert {letter.pk: set(letter.signatories.all()) for letter in request.letters.all()} == signed
    assert Request.objects.values("open_due_on", "latest_reply_on").get() == before
    assert all(signed[letter.pk] for letter in Letter.objects.filter(direction=Direction.SENT))
    assert sorted(Attachment.objects.values_list("name", "is_private")) == [
        (f"letter-{index}.pdf", index % 3 == 0) for index in range(4)
    ]
