"""Campaigners' e-mail alerts, sent through a real SMTP server started by the test."""

import email
import socket
from datetime import date
from email import policy
from http import HTTPStatus

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from campaigns.choices import DatePrecision
from campaigns.models import Commitment
from tests.factories import CoalitionFactory, EventFactory, LetterFactory, RequestFactory
from tests.test_access import make_campaigner
from tracker.mail import email_settings
from workspace.alerts import send_alerts, send_weekly_digests
from workspace.models import CoalitionRole, Role, SentAlert

pytestmark = pytest.mark.django_db

# The demo case's dates: sent on Friday 29 April 2022, a reply due on Monday 30 May.
SENT, DUE = date(2022, 4, 29), date(2022, 5, 30)


class Inbox:
    """An SMTP server's handler that keeps each message it is sent, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    """Start an SMTP server for the test and send the site's mail to it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://tracker.example.org"
    yield handler
    controller.stop()


def parts(message):
    """Return the text and HTML versions of a message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.fixture
def awaited(django_user_model):
    """A request awaiting the Panel's reply, and a campaigner of its coalition."""
    coalition = CoalitionFactory(name="Article 39 coalition")
    request = RequestFactory(coalition=coalition, title="Publish the 48 incidents analysis")
    LetterFactory(request=request, date=SENT, signed_by_every_member=True)
    user = make_campaigner(django_user_model, "ann", {coalition: Role.EDITOR})
    user.email, user.first_name = "ann@article39.org.uk", "Ann"
    user.save()
    request.refresh_from_db()
    assert request.open_due_on == DUE
    return request, user


def test_a_reply_due_soon_then_overdue_is_told_once_each(inbox, awaited):
    request, _user = awaited

    assert send_alerts(today=date(2022, 5, 24)) == 0  # four working days before: not yet
    assert send_alerts(today=date(2022, 5, 25)) == 1  # Wed; Thu, Fri and Mon make three
    assert send_alerts(today=date(2022, 5, 26)) == 0  # told already
    assert send_alerts(today=DUE) == 0  # due today: not yet overdue
    assert send_alerts(today=date(2022, 5, 31)) == 1
    assert send_alerts(today=date(2022, 6, 1)) == 0

    (to_soon, soon), (to_overdue, overdue) = inbox.messages
    assert to_soon == to_overdue == ["ann@article39.org.uk"]
    assert soon["Subject"] == "Reply due soon: Publish the 48 incidents analysis"
    assert overdue["Subject"] == "Reply overdue: Publish the 48 incidents analysis"
    text, html = parts(overdue)
    link = f"https://tracker.example.org/admin/campaigns/request/{request.pk}/change/"
    assert "OVERDUE by 1 day: Publish the 48 incidents analysis" in text
    assert "reply due 30 May 2022" in text and link in text
    assert f'<a href="{link}">Publish the 48 incidents analysis</a>' in html
    assert "https://tracker.example.org/admin/alerts/" in text


def test_a_follow_up_after_a_reply_opens_a_new_round_that_is_told_again(inbox, awaited):
    request, _user = awaited
    assert send_alerts(today=date(2022, 5, 25)) == 1
    LetterFactory(request=request, reply=True, outcome="partly_met", date=DUE)
    LetterFactory(request=request, follow_up=True, date=date(2022, 6, 2))
    request.refresh_from_db()
    assert request.open_due_on == date(2022, 7, 1)  # past the Jubilee bank holidays

    assert send_alerts(today=date(2022, 6, 27)) == 0
    assert send_alerts(today=date(2022, 6, 28)) == 1  # Wed 29, Thu 30, Fri 1 July
    assert send_alerts(today=date(2022, 7, 4)) == 1
    assert send_alerts(today=date(2022, 7, 5)) == 0
    assert [m["Subject"].split(":")[0] for _to, m in inbox.messages] == [
        "Reply due soon",
        "Reply due soon",
        "Reply overdue",
    ]


def test_a_follow_up_in_an_unanswered_round_is_not_told_again(inbox, awaited):
    """A follow-up to a letter still unanswered belongs to its round: one overdue alert."""
    request, _user = awaited
    assert send_alerts(today=date(2022, 5, 31)) == 1
    LetterFactory(request=request, follow_up=True, date=date(2022, 6, 2))
    assert send_alerts(today=date(2022, 7, 20)) == 0


def test_a_commitment_due_soon_then_broken_is_told_once_each(inbox, awaited):
    request, user = awaited
    reply = LetterFactory(request=request, reply=True, date=DUE)
    promised = Commitment.objects.create(
        request=request,
        letter=reply,
        text="Publish the annual report",
        due_on=date(2022, 12, 1),
        due_precision=DatePrecision.MONTH,
    )
    assert promised.due_by == date(2022, 12, 31)  # a Saturday

    # Three working days from Tue 27 December, a bank holiday, end on Fri 30: not yet.
    assert send_alerts(today=date(2022, 12, 27)) == 0
    # From Wed 28: Thu 29, Fri 30 and (Mon 2 January being a bank holiday) Tue 3.
    assert send_alerts(today=date(2022, 12, 28)) == 1
    assert send_alerts(today=date(2022, 12, 30)) == 0  # told already
    assert send_alerts(today=date(2023, 1, 1)) == 1
    assert send_alerts(today=date(2023, 1, 2)) == 0

    (_to, soon), (_to, broken) = inbox.messages
    assert soon["Subject"] == "Commitment due soon: Publish the 48 incidents analysis"
    assert broken["Subject"] == "Commitment broken: Publish the 48 incidents analysis"
    text, html = parts(broken)
    assert "COMMITMENT BROKEN 1 day ago: Publish the 48 incidents analysis" in text
    assert '"Publish the annual report", promised by 31 December 2022' in text
    assert "“Publish the annual report”, promised by 31 December 2022" in html


def test_a_commitment_kept_or_long_broken_is_not_told(inbox, awaited):
    request, user = awaited
    reply = LetterFactory(request=request, reply=True, date=DUE)
    Commitment.objects.create(
        request=request, letter=reply, text="Long broken", due_on=date(2022, 6, 1)
    )
    kept = Commitment.objects.create(
        request=request, letter=reply, text="Kept", due_on=date(2022, 12, 31)
    )
    kept.kept_by = EventFactory(request=request, date=date(2022, 12, 15))
    kept.save()

    assert send_alerts(today=date(2022, 12, 30)) == 0
    CoalitionRole.objects.filter(user=user).update(alert_commitments=False)
    fresh = Commitment.objects.create(
        request=request, letter=reply, text="Fresh", due_on=date(2023, 1, 3)
    )
    assert send_alerts(today=fresh.due_by) == 0


def test_only_the_alerts_a_campaigner_chose_are_sent(inbox, awaited):
    _request, user = awaited
    CoalitionRole.objects.filter(user=user).update(alert_overdue=False)

    assert send_alerts(today=date(2022, 5, 25)) == 1
    assert send_alerts(today=date(2022, 5, 31)) == 0
    assert [m["Subject"] for _to, m in inbox.messages] == [
        "Reply due soon: Publish the 48 incidents analysis"
    ]


def test_a_send_that_fails_is_logged_and_sent_by_the_next_run(inbox, awaited, settings, caplog):
    settings.EMAIL_PORT = free_port()  # nothing listens there

    assert send_alerts(today=date(2022, 5, 31)) == 0
    assert "it will be tried again" in caplog.text
    assert not SentAlert.objects.exists()

    settings.EMAIL_PORT = inbox.port
    assert send_alerts(today=date(2022, 5, 31)) == 1
    assert len(inbox.messages) == 1


def test_the_weekly_digest_comes_once_a_week_with_overdue_due_and_replies(inbox, awaited):
    request, user = awaited
    CoalitionRole.objects.filter(user=user).update(weekly_digest=True)
    other = RequestFactory(coalition=request.coalition, title="Publish the annual report")
    LetterFactory(request=other, date=date(2022, 5, 3), signed_by_every_member=True)
    LetterFactory(request=other, acknowledgement=True, date=date(2022, 5, 27))

    monday = date(2022, 5, 30)
    assert send_weekly_digests(today=monday) == 1
    assert send_weekly_digests(today=date(2022, 6, 1)) == 0  # once a week
    assert send_weekly_digests(today=date(2022, 6, 6)) == 1  # the next week

    digest = inbox.messages[0][1]
    assert digest["Subject"] == "Your coalitions' requests, week of 30 May 2022"
    text, _html = parts(digest)
    assert "Overdue: 0" in text
    assert "Replies due this week: 2" in text
    assert "- Publish the 48 incidents analysis (due Monday 30 May)" in text
    assert "Replies received last week: 1" in text
    assert "- Publish the annual report: acknowledgement or holding reply of 27 May" in text


def test_the_command_queues_the_task_which_sends(inbox, awaited, settings):
    # The tests run tasks at once (DEBUG's immediate backend), as a laptop does.
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    call_command("send_alerts")
    [(_to, message)] = inbox.messages  # the reply, due in 2022, is overdue today
    assert message["Subject"].startswith("Reply overdue")
    assert SentAlert.objects.count() == 1


def test_a_campaigner_chooses_their_alerts_and_no_one_elses(client, awaited, django_user_model):
    request, user = awaited
    other = make_campaigner(django_user_model, "bob", {request.coalition: Role.EDITOR})
    mine = CoalitionRole.objects.get(user=user)
    theirs = CoalitionRole.objects.get(user=other)
    client.force_login(user)

    page = client.get(reverse("alerts"))
    assert page.status_code == HTTPStatus.OK
    assert "Article 39 coalition" in page.content.decode()
    assert "ann@article39.org.uk" in page.content.decode()
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(mine.pk),
        "form-0-alert_due_soon": "on",
        "form-0-weekly_digest": "on",
    }
    assert client.post(reverse("alerts"), data).status_code == HTTPStatus.FOUND
    mine.refresh_from_db()
    assert (mine.alert_due_soon, mine.alert_overdue, mine.weekly_digest) == (True, False, True)

    # Another's role is outside the formset's rows: the form for it is dropped, nothing saved.
    forged = {**data, "form-0-id": str(theirs.pk)}
    client.post(reverse("alerts"), forged)
    theirs.refresh_from_db()
    assert (theirs.alert_overdue, theirs.weekly_digest) == (True, False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "submission://user%40example.org:p%40ss@smtp.example.org",
            {
                "EMAIL_HOST": "smtp.example.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "user@example.org",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("smtp://localhost:2525?tls=1", {"EMAIL_PORT": 2525, "EMAIL_USE_TLS": True}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url_gives_the_mail_settings(url, expected):
    assert email_settings(url).items() >= expected.items()


@pytest.mark.parametrize("url", ["http://example.org", "smtp://", "mail.example.org"])
def test_a_wrong_email_url_is_refused_with_the_forms_it_takes(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must be smtp://"):
        email_settings(url)
