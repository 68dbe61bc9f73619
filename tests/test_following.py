"""Following by e-mail, for anyone: confirmed before anything else is sent, stopped in one
click, and never told of a draft, an embargoed request or a private letter."""

import re
from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Letter, Request
from campaigns.services import letter_change
from following.mail import updates_send
from following.models import Follow
from tests.factories import LetterFactory, RequestFactory
from tests.test_alerts import free_port, inbox, parts  # noqa: F401 - the SMTP server fixture

pytestmark = pytest.mark.django_db

LONDON = timezone.get_default_timezone()


def ask(client, email="reader@example.org", frequency="daily", **target):
    return client.post(
        f"{reverse('following:start')}?{'&'.join(f'{k}={v}' for k, v in target.items())}",
        {"email": email, "frequency": frequency},
    )


def link(message, name):
    text, _html = parts(message)
    return re.search(rf"https://tracker\.example\.org(/follow/{name}/[^/\s]+/)", text).group(1)


def confirmed(client, inbox, **target):  # noqa: F811
    """Ask to follow, confirm by the link sent, and return the follow."""
    assert ask(client, **target).status_code == HTTPStatus.FOUND
    confirm = link(inbox.messages[-1][1], "confirm")
    assert client.post(confirm).status_code == HTTPStatus.OK
    return Follow.objects.get(confirmed_at__isnull=False)


def test_only_the_confirmation_is_sent_until_its_link_is_followed(client, inbox, demo):  # noqa: F811
    response = ask(client, request=demo.slug)

    assert response["Location"] == reverse("following:sent")
    [(to, message)] = inbox.messages
    assert to == ["reader@example.org"]
    # Mail programs ignore the space a folded, encoded header may start with.
    assert message["Subject"].strip().startswith('Confirm: follow "Publish the Panel')
    assert (
        message["List-Unsubscribe"].strip().startswith("<https://tracker.example.org/follow/stop/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    LetterFactory(request=demo, follow_up=True, date=date(2022, 6, 14), subject="Our follow-up")
    assert updates_send(now=timezone.now() + timedelta(days=2)) == 0

    confirm = link(message, "confirm")
    assert "Confirm" in client.get(confirm).content.decode()  # a GET alone confirms nothing
    assert not Follow.objects.filter(confirmed_at__isnull=False).exists()
    assert "You follow" in client.post(confirm).content.decode()
    LetterFactory(request=demo, follow_up=True, date=date(2022, 7, 1), subject="Another")

    assert updates_send(now=timezone.now() + timedelta(days=1)) == 1
    news = inbox.messages[-1][1]
    text, html = parts(news)
    assert "follow-up of 1 July 2022" in text and "follow-up of 14 June 2022" not in text
    assert news["List-Unsubscribe"] == message["List-Unsubscribe"]
    assert "reader@example.org" not in html


def test_stopping_works_from_the_link_and_from_the_one_click_header(client, inbox, demo):  # noqa: F811
    follow = confirmed(client, inbox, request=demo.slug)
    stop = reverse("following:stop", args=[follow.token])
    assert "Stop following" in client.get(stop).content.decode()
    assert Follow.objects.exists()  # the link shows a button; a GET stops nothing

    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token: RFC 8058
    response = mail_program.post(
        stop, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == HTTPStatus.OK
    assert not Follow.objects.exists()
    assert client.get(stop).status_code == HTTPStatus.NOT_FOUND

    second = confirmed(client, inbox, request=demo.slug)
    assert (
        "no longer follow"
        in client.post(reverse("following:stop", args=[second.token])).content.decode()
    )


def test_a_draft_an_embargo_and_a_private_letter_send_nothing_until_public(client, inbox, demo):  # noqa: F811
    follow = confirmed(client, inbox, organisation=demo.recipient.slug)
    Follow.objects.filter(pk=follow.pk).update(frequency="hourly")
    draft = RequestFactory(recipient=demo.recipient, is_published=False, title="The draft")
    LetterFactory(request=draft, date=date(2024, 3, 1))
    private = LetterFactory(request=demo, follow_up=True, date=date(2024, 3, 4), is_private=True)
    assert updates_send() == 0

    later = timezone.now() + timedelta(days=1)
    Request.objects.filter(pk=draft.pk).update(is_published=True, publish_at=later)
    from campaigns.services import request_refresh

    request_refresh(request=Request.objects.get(pk=draft.pk))
    assert updates_send() == 0  # embargoed until tomorrow

    letter_change(letter=Letter.objects.get(pk=private.pk), is_private=False)
    assert updates_send() == 1
    text, _html = parts(inbox.messages[-1][1])
    assert "follow-up of 4 March 2024" in text and "The draft" not in text


def test_a_daily_digest_comes_once_a_day_grouped_by_day(client, inbox, demo):  # noqa: F811
    follow = confirmed(client, inbox, coalition=demo.coalition.slug)
    start = follow.confirmed_at
    first = LetterFactory(request=demo, follow_up=True, date=date(2022, 6, 14))
    second = LetterFactory(request=demo, follow_up=True, date=date(2022, 6, 20))
    Letter.objects.filter(pk=first.pk).update(shown_since=start + timedelta(hours=1))
    Letter.objects.filter(pk=second.pk).update(shown_since=start + timedelta(hours=25))

    assert updates_send(now=start + timedelta(hours=12)) == 0  # not a day since the last
    assert updates_send(now=start + timedelta(hours=26)) == 1
    text, _html = parts(inbox.messages[-1][1])
    days = [timezone.localdate(start + timedelta(hours=h)) for h in (1, 25)]
    headings = [day.strftime("%A %-d %B %Y") for day in days]
    assert text.index(headings[0]) < text.index("14 June 2022") < text.index(headings[1])
    assert text.index(headings[1]) < text.index("20 June 2022")
    assert updates_send(now=start + timedelta(hours=27)) == 0


def test_asking_again_reveals_nothing_and_asks_are_limited(client, inbox, demo):  # noqa: F811
    confirmed(client, inbox, request=demo.slug)
    sent = len(inbox.messages)
    assert ask(client, request=demo.slug)["Location"] == reverse("following:sent")
    assert len(inbox.messages) == sent  # already following: nothing sent, nothing said

    for n in range(8):
        ask(client, email=f"reader{n}@example.org", request=demo.slug)
    refused = ask(client, email="last@example.org", request=demo.slug)
    assert refused.status_code == HTTPStatus.OK
    assert "Too many asks to follow" in refused.content.decode()


def test_only_public_things_can_be_followed(client):
    draft = RequestFactory(is_published=False)
    for query in ({"request": draft.slug}, {"coalition": "nobody"}, {}):
        response = client.get(reverse("following:start"), query)
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_confirmation_the_mail_server_refused_is_sent_by_the_next_run(
    client,
    inbox,  # noqa: F811
    demo,
    settings,
    caplog,
):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    response = ask(client, request=demo.slug)

    assert response["Location"] == reverse("following:sent")  # the reader sees no error
    assert "Could not send follow" in caplog.text
    assert Follow.objects.get().confirmation_sent_at is None

    settings.EMAIL_PORT = inbox.port
    call_command("send_follow_news")  # the scheduler's hourly run, through the task queue
    [(_to, message)] = inbox.messages
    assert message["Subject"].strip().startswith("Confirm: follow")
    assert Follow.objects.get().confirmation_sent_at is not None
    call_command("send_follow_news")
    assert len(inbox.messages) == 1


def test_a_search_followed_sends_the_news_of_public_requests_it_finds(client, inbox):  # noqa: F811
    follow = confirmed(client, inbox, q="quokka")
    assert str(follow.followed) == "the search for quokka"
    Follow.objects.filter(pk=follow.pk).update(frequency="hourly")
    found = LetterFactory(body="The quokka census, please.").request
    other = LetterFactory(body="Something else.").request
    draft = RequestFactory(is_published=False)
    LetterFactory(request=draft, body="A quokka draft.")

    assert updates_send() == 1
    text, _html = parts(inbox.messages[-1][1])
    assert found.title in text
    assert other.title not in text and draft.title not in text
    assert text.count("initial letter of") == 1


@pytest.mark.parametrize("query", ["", "   ", "a " * 11, "x" * 201])
def test_a_search_that_cannot_run_cannot_be_followed(client, query):
    response = client.get(reverse("following:start"), {"q": query})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_search_results_offer_to_follow_the_search(client, demo):
    page = client.get(reverse("campaigns:request-list"), {"q": "analysis 48"}).content.decode()
    assert f'href="{reverse("following:start")}?q=analysis%2048"' in page
