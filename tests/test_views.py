"""The public pages: content, what stays hidden, and how many queries they run."""

from datetime import date
from http import HTTPStatus

import django_filters
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from markupsafe import escape  # as the public pages' Jinja2 templates escape

from campaigns.choices import DeadlineChangeKind, EscalationStage, EventKind
from campaigns.filters import RequestFilter
from campaigns.models import Ask, Commitment, Request
from campaigns.services import (
    answers_save,
    deadline_change_record,
    letter_change,
    request_refresh,
)
from tests.documents import PNG, pdf
from tests.factories import (
    CoalitionFactory,
    EventFactory,
    LetterFactory,
    OrganisationFactory,
    PersonFactory,
    PublicBodyFactory,
    RequestFactory,
    attach,
)

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar-draft-marker"


def text(response):
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("home", {}, "/"),
        ("request-list", {}, "/requests/"),
        ("request-detail", {"slug": "a-request"}, "/requests/a-request/"),
        ("attachment", {"slug": "a-request", "pk": 3}, "/requests/a-request/attachments/3/"),
        (
            "letter-attachment",
            {"slug": "a-request", "pk": 3},
            "/requests/a-request/letters/3/attachment/",
        ),
        ("coalition-list", {}, "/coalitions/"),
        ("coalition-detail", {"slug": "a-coalition"}, "/coalitions/a-coalition/"),
        ("organisation-list", {}, "/organisations/"),
        ("organisation-detail", {"slug": "an-org"}, "/organisations/an-org/"),
    ],
)
def test_public_url_map_resolves_both_ways(name, kwargs, path):
    assert reverse(f"campaigns:{name}", kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == f"campaigns:{name}"
    assert match.kwargs == kwargs


class TestDemoCase:
    def test_request_page_shows_status_parties_and_key_dates(self, client, demo):
        page = text(client.get(demo.get_absolute_url()))

        assert 'Status: <span class="status status-refused">Refused</span>' in page
        assert "Child Safeguarding Practice Review Panel" in page
        assert "Addressed to Annie Hudson, Chair" in page
        assert 'Article 39</a> <strong class="lead-mark">(lead)</strong>' in page
        assert "a coalition of 7 organisations" in page
        for member in (
            "BASW, the British Association of Social Workers",
            "Children England",
            "Coram Group",
            "Just for Kids Law",
            "Nagalro",
            "Association of Lawyers for Children",
        ):
            assert f">{member}</a>" in page
        assert '<dt>First sent</dt><dd><time datetime="2022-04-29">29 April 2022</time>' in page
        assert (
            '<dt>Reply was due</dt><dd><time datetime="2022-05-30">30 May 2022</time>'
            '<span class="detail">to the initial letter of 29 April 2022</span>'
        ) in page
        assert (
            '<dt>Replied</dt><dd><time datetime="2022-05-30">30 May 2022</time>'
            '<span class="detail">Refused</span>'
        ) in page
        assert (
            '<dt>Took</dt><dd>31 days<span class="detail">20 working days: '
            '<span class="timing on-time">on time</span>'
        ) in page

    def test_timeline_is_in_date_order_with_letters_distinct_and_readable(self, client, demo):
        page = text(client.get(demo.get_absolute_url()))
        timeline = page[page.index('id="timeline"') :]
        order = [
            "Request to publish the Panel",
            "Independent review of children",
            "Panel publishes its national review",
            "Reply from the Chair of the Panel",
            "Children First reports the Panel",
            "third annual report",
            "fourth annual report",
        ]
        positions = [timeline.index(title) for title in order]
        assert positions == sorted(positions)
        assert timeline.count('class="entry letter letter-sent"') == 1
        assert timeline.count('class="entry letter letter-received"') == 1
        assert timeline.count('class="entry event ') == 5
        assert 'Outcome: <span class="status status-refused">Refused</span>' in timeline
        assert "declining to publish the analysis" in timeline  # the reply in full
        assert "Josh MacAlister" in timeline  # the letter in full
        assert '<time datetime="2022">2022 (after 30 May; exact date unknown)</time>' in timeline

    def test_coalition_page_lists_members_lead_first_and_the_request(self, client, demo):
        page = text(client.get(demo.coalition.get_absolute_url()))
        assert page.index("Article 39") < page.index("Association of Lawyers for Children")
        assert escape(demo.title) in page

    def test_organisation_pages_show_requests_made_and_received(self, client, demo):
        panel = text(client.get(demo.recipient.get_absolute_url()))
        assert "Annie Hudson, Chair" in panel
        received = panel[panel.index('id="received"') :]
        assert escape(demo.title) in received

        member = text(client.get(reverse("campaigns:organisation-detail", args=["nagalro"])))
        made = member[member.index('id="made"') : member.index('id="received"')]
        assert escape(demo.title) in made

    def test_home_counts_statuses_and_shows_latest_activity(self, client, demo):
        page = text(client.get("/"))
        assert 'status-refused">Refused</span> <span class="count">1</span>' in page
        assert "Browse all 1 request" in page
        assert "fourth annual report" in page

    def test_list_shows_row_with_dates_and_status(self, client, demo):
        page = text(client.get(reverse("campaigns:request-list")))
        assert escape(demo.title) in page
        assert '<td data-label="Sent"><time datetime="2022-04-29">29 April 2022</time>' in page
        # The latest item is a report known only to the year: shown no more precisely.
        assert '<td data-label="Last activity"><time datetime="2023">2023</time>' in page


class TestFilters:
    def test_filters_by_coalition_recipient_and_year(self, client):
        old = LetterFactory(date=date(2021, 3, 1)).request
        new = LetterFactory(date=date(2023, 3, 1)).request
        url = reverse("campaigns:request-list")

        for params, shown, hidden in (
            ({"year": "2021"}, old, new),
            ({"coalition": new.coalition.slug}, new, old),
            ({"recipient": old.recipient.slug}, old, new),
        ):
            page = text(client.get(url, params))
            assert shown.title in page and hidden.title not in page, params

    def test_newest_first(self, client):
        older = LetterFactory(date=date(2021, 3, 1)).request
        newer = LetterFactory(date=date(2023, 3, 1)).request
        page = text(client.get(reverse("campaigns:request-list")))
        assert page.index(newer.title) < page.index(older.title)

    @pytest.mark.parametrize(
        "params", [{"status": "bogus"}, {"year": "soon"}, {"coalition": "nobody"}, {"page": "99"}]
    )
    def test_bad_filter_values_give_a_clear_message_not_an_error(self, client, params):
        RequestFactory()
        response = client.get(reverse("campaigns:request-list"), params)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)
        if response.status_code == HTTPStatus.OK:
            page = response.content.decode()
            assert '<p class="error" role="alert">' in page
            assert "0 requests" in page
            # The field names its error, so a screen reader reads it with the field.
            (name,) = params
            if name != "page":
                described = f'aria-describedby="id_{name}_error"'
                assert described in page and f'<div id="id_{name}_error">' in page

    def test_the_filter_form_keeps_what_was_chosen(self, client):
        request = LetterFactory(date=date(2022, 3, 1)).request
        params = {"q": 'a "b" <c>', "status": "overdue", "year": "2022", "counted": "sent"}
        params["recipient"] = request.recipient.slug
        page = text(client.get(reverse("campaigns:request-list"), params))
        assert '<input type="text" name="q" value="a &quot;b&quot; &lt;c&gt;" id="id_q">' in page
        assert '<option value="overdue" selected>Overdue</option>' in page
        assert '<option value="2022" selected>2022</option>' in page
        assert '<option value="sent" selected>Requests sent</option>' in page
        assert f'<option value="{request.recipient.slug}" selected>' in page
        assert page.count(" selected>") == 4

    def test_filters_with_errors_offer_no_pages_of_what_they_do_not_list(self, client):
        for _ in range(21):
            RequestFactory()
        assert "Page 1 of 2" in text(client.get(reverse("campaigns:request-list")))
        page = text(client.get(reverse("campaigns:request-list"), {"status": "bogus"}))
        assert "0 requests listed" in page
        assert "Page 1 of" not in page and "Next page" not in page

    def test_list_is_paginated_keeping_the_filters(self, client, settings):
        for _ in range(25):
            LetterFactory(date=date(2022, 1, 10))
        page = text(client.get(reverse("campaigns:request-list"), {"year": "2022"}))
        assert "Page 1 of 2" in page
        assert 'href="?year=2022&amp;page=2"' in page


def unpublished_request_with_everything():
    """Return a draft request whose every part carries a marker that must never be public."""
    request = RequestFactory(
        is_published=False, title=f"{SECRET} title", summary=f"{SECRET} summary"
    )
    letter = LetterFactory(request=request, subject=f"{SECRET} subject", body=f"{SECRET} body")
    attach(letter, pdf(SECRET), "secret.pdf")
    EventFactory(request=request, title=f"{SECRET} event", kind=EventKind.NOTE)
    return request, letter


class TestUnpublished:
    def test_draft_pages_and_attachments_are_404(self, client):
        request, letter = unpublished_request_with_everything()
        assert client.get(request.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        attachment = letter.attachments.get()
        for url in (
            reverse("campaigns:attachment", args=[request.slug, attachment.pk]),
            reverse("campaigns:letter-attachment", args=[request.slug, letter.pk]),
        ):
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND

    def test_drafts_are_absent_from_every_list_and_count(self, client):
        request, _ = unpublished_request_with_everything()
        urls = [
            "/",
            reverse("campaigns:request-list"),
            reverse("campaigns:request-list") + "?status=awaiting",
            reverse("campaigns:coalition-list"),
            reverse("campaigns:organisation-list"),
        ]
        for url in urls:
            page = text(client.get(url))
            assert SECRET not in page, url
        home = text(client.get("/"))
        assert "Browse all 0 requests" in home
        coalitions = text(client.get(reverse("campaigns:coalition-list")))
        assert request.coalition.name not in coalitions
        # Parties known only to drafts are not public yet (tests/test_public_only.py).
        for party in (request.coalition, request.recipient, request.coalition.members.first()):
            assert client.get(party.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND

    def test_attachment_of_a_published_letter_is_served_by_content_type(self, client):
        letter = LetterFactory()
        content = pdf("Original")
        attachment = attach(letter, content, "Letter to the Panel.pdf")
        response = client.get(
            reverse("campaigns:attachment", args=[letter.request.slug, attachment.pk])
        )
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="Letter to the Panel.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == content

    def test_a_letters_files_are_each_listed_with_type_and_size_on_its_page(self, client):
        letter = LetterFactory()
        scan_bytes = pdf("Scan")
        scan = attach(letter, scan_bytes, "scan.pdf")
        photo = attach(letter, PNG, "enclosure.png")
        page = client.get(letter.request.get_absolute_url()).content.decode()
        for attachment in (scan, photo):
            url = reverse("campaigns:attachment", args=[letter.request.slug, attachment.pk])
            assert f'href="{url}">{attachment.name}</a>' in page
        assert len(scan_bytes) < 1024
        assert f"(PDF, {len(scan_bytes)} bytes)" in page
        assert "(PNG image, 40 bytes)" in page

    def test_a_private_attachment_of_a_public_letter_is_not_shown_or_served(self, client):
        letter = LetterFactory()
        shown = attach(letter, pdf("Shown"), "shown.pdf")
        hidden = attach(letter, pdf(SECRET), "hidden.pdf", is_private=True)
        page = client.get(letter.request.get_absolute_url()).content.decode()
        assert "shown.pdf" in page
        assert "hidden.pdf" not in page
        slug = letter.request.slug
        assert client.get(reverse("campaigns:attachment", args=[slug, shown.pk])).status_code == 200
        hidden_url = reverse("campaigns:attachment", args=[slug, hidden.pk])
        assert client.get(hidden_url).status_code == HTTPStatus.NOT_FOUND
        assert client.get("/requests/", {"q": SECRET}).context["page_obj"].paginator.count == 0

    def test_a_link_to_a_letters_one_file_goes_on_to_its_first_attachment(self, client):
        letter = LetterFactory()
        first = attach(letter, pdf("First"), "first.pdf")
        attach(letter, pdf("Second"), "second.pdf")
        response = client.get(
            reverse("campaigns:letter-attachment", args=[letter.request.slug, letter.pk])
        )
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == reverse(
            "campaigns:attachment", args=[letter.request.slug, first.pk]
        )

    def test_missing_attachment_file_is_404_not_an_error(self, client):
        attachment = attach(LetterFactory(), pdf())
        attachment.file.storage.delete(attachment.file.name)
        url = reverse("campaigns:attachment", args=[attachment.letter.request.slug, attachment.pk])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND

    def test_letter_without_attachment_is_404(self, client):
        letter = LetterFactory()
        url = reverse("campaigns:letter-attachment", args=[letter.request.slug, letter.pk])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def make_requests(count):
    """Create published requests, each with a full exchange, people and events."""
    for _ in range(count):
        recipient_person = PersonFactory()
        request = RequestFactory(
            recipient=recipient_person.organisation, recipient_person=recipient_person
        )
        sent = LetterFactory(request=request, signers=[PersonFactory()], addressee=recipient_person)
        sent.signatories.set(request.coalition.members.all())
        LetterFactory(
            request=request, reply=True, date=date(2022, 5, 30), signers=[recipient_person]
        )
        EventFactory(request=request)
    return request


@pytest.mark.parametrize("count", [2, 12])
def test_list_and_home_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    make_requests(count)
    with django_assert_max_num_queries(6):
        text(client.get(reverse("campaigns:request-list")))
    with django_assert_max_num_queries(3):
        text(client.get("/"))


@pytest.mark.parametrize("count", [1, 8])
def test_request_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    request = make_requests(1)
    coalition = request.coalition
    for _ in range(count):
        letter = LetterFactory(request=request, kind="reminder", date=date(2022, 5, 20))
        letter.signatories.set(coalition.members.all())
        attach(letter, pdf(), "reminder.pdf")
        attach(letter, PNG, "enclosure.png")
        EventFactory(request=request)
    # The request, its letters, their signers, signatory organisations and files, events,
    # members: a part the request lacks (deadline changes, commitments, a second ask) costs none.
    with django_assert_max_num_queries(7):
        text(client.get(request.get_absolute_url()))


def test_a_request_page_reads_events_only_once_the_request_has_some(client):
    request = LetterFactory(date=date(2022, 4, 29)).request
    with CaptureQueriesContext(connection) as queries:
        text(client.get(request.get_absolute_url()))
    assert not [query for query in queries if 'FROM "campaigns_event"' in query["sql"]]
    EventFactory(request=request, title="The coalition met officials")
    assert "The coalition met officials" in text(client.get(request.get_absolute_url()))


def test_a_request_page_with_every_part_runs_at_most_eight_queries(
    client, django_assert_max_num_queries, settings
):
    earlier = RequestFactory(title="To the Panel")
    LetterFactory(request=earlier, date=date(2022, 3, 1))
    request = make_requests(1)
    request.escalated_from, request.stage = earlier, EscalationStage.MINISTER
    request.save()
    first = request.asks.get()
    second = Ask.objects.create(request=request, text="Meet the coalition", position=2)
    sent, reply = request.letters.order_by("date")
    attach(sent, pdf(), "letter.pdf")
    deadline_change_record(
        letter=sent,
        kind=DeadlineChangeKind.EXTENSION,
        new_due_on=date(2022, 6, 15),
        reason="The Panel asked for more time.",
    )
    answers_save(letter=reply, outcomes={first.pk: "refused", second.pk: "met"})
    letter_change(letter=reply)
    Commitment.objects.create(request=request, letter=reply, text="Publish a report")
    request_refresh(request=request)  # as the admin does once its commitments are saved

    page = text(client.get(request.get_absolute_url()))
    assert "The whole chain of escalation" in page and "Meet the coalition" in page
    assert "letter.pdf" in page and "The Panel asked for more time." in page
    assert "Publish a report" in page
    # The request and its chain, events, members, commitments, letters, their signers and
    # signatories (one query), files and deadline changes, and the asks with their answers.
    with django_assert_max_num_queries(9):
        text(client.get(request.get_absolute_url()))
    # The coalition's members are kept with the figures, as the site runs.
    settings.FIGURES_CACHE_SECONDS = 300
    text(client.get(request.get_absolute_url()))
    with django_assert_max_num_queries(8):
        text(client.get(request.get_absolute_url()))


@pytest.mark.parametrize("count", [1, 8])
def test_coalition_and_organisation_pages_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, settings, count
):
    member = OrganisationFactory()
    coalition = CoalitionFactory(members=[member, *[OrganisationFactory() for _ in range(count)]])
    for _ in range(count):
        RequestFactory(coalition=coalition)
    with django_assert_max_num_queries(4):  # the coalition, members, latest requests, count
        text(client.get(coalition.get_absolute_url()))
    # With the scorecard and the public ids (organisations, coalitions, people) not yet kept:
    # once per data version, where the page then runs five.
    with django_assert_max_num_queries(9):
        text(client.get(member.get_absolute_url()))
    settings.FIGURES_CACHE_SECONDS = 300
    text(client.get(member.get_absolute_url()))
    # The organisation, its people, coalitions and two lists of requests: whether it is public
    # and its scorecard are read from the figures kept for this data version.
    with django_assert_max_num_queries(5):
        text(client.get(member.get_absolute_url()))
    with django_assert_max_num_queries(3):
        text(client.get(reverse("campaigns:coalition-list")))
    with django_assert_max_num_queries(2):
        text(client.get(reverse("campaigns:organisation-list")))


def test_party_pages_show_the_latest_requests_and_link_to_all(client, settings):
    settings.LATEST_REQUESTS_ON_PARTY_PAGES = 3
    coalition = CoalitionFactory()
    recipient = PublicBodyFactory()
    requests = [RequestFactory(coalition=coalition, recipient=recipient) for _ in range(5)]
    for page in (coalition.get_absolute_url(), recipient.get_absolute_url()):
        html = text(client.get(page))
        assert sum(req.get_absolute_url() in html for req in requests) == 3
    assert "?coalition=" + coalition.slug + '">See all 5 requests by this coalition' in text(
        client.get(coalition.get_absolute_url())
    )
    assert "?recipient=" + recipient.slug + '">See all 5 requests received' in text(
        client.get(recipient.get_absolute_url())
    )


def test_party_lists_are_paginated(client, settings):
    settings.PARTIES_PER_PAGE = 2
    for _ in range(3):
        RequestFactory()
    html = text(client.get(reverse("campaigns:organisation-list")))
    assert "Page 1 of" in html
    assert "Page 2 of 2" in text(client.get(reverse("campaigns:coalition-list"), {"page": 2}))


def test_unknown_page_gets_a_helpful_not_found_page(client, settings):
    settings.DEBUG = False
    response = client.get("/requests/no-such-request/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "There is no public page at this address" in response.content.decode()


def test_embed_card_shows_status_and_dates_and_may_be_framed(client, demo):
    response = client.get(reverse("campaigns:request-embed", args=[demo.slug]))
    page = text(response)
    assert "X-Frame-Options" not in response
    assert 'Status: <span class="status status-refused">Refused</span>' in page
    assert '<dt>Took</dt><dd>31 days<span class="detail">20 working days: ' in page
    assert f'href="http://testserver{demo.get_absolute_url()}" target="_top"' in page


def test_every_other_page_refuses_to_be_framed(client, demo):
    for url in ("/", demo.get_absolute_url(), "/stats/"):
        assert client.get(url)["X-Frame-Options"] == "DENY"


def test_request_page_offers_the_embed_snippet(client, demo):
    page = text(client.get(demo.get_absolute_url()))
    embed = reverse("campaigns:request-embed", args=[demo.slug])
    assert f"&lt;iframe src=&quot;http://testserver{embed}&quot;" in page or (
        f'&lt;iframe src="http://testserver{embed}"' in page
    )


def test_follow_up_shows_its_own_deadline_as_the_one_due(client):
    request = LetterFactory(date=date(2022, 4, 29)).request
    LetterFactory(request=request, reply=True, date=date(2022, 5, 30))
    LetterFactory(request=request, follow_up=True, date=date(2022, 6, 6))
    page = text(client.get(request.get_absolute_url()))
    # 20 working days after 6 June 2022 is 4 July 2022.
    assert '<dt>Reply due</dt><dd><time datetime="2022-07-04">4 July 2022</time>' in page


def test_filter_selects_offer_parties_in_use_escaped_with_the_choice_kept(client):
    chosen = RequestFactory(recipient=PublicBodyFactory(name="Office <of> Things")).recipient
    RequestFactory(is_published=False, recipient=PublicBodyFactory(name="Drafts only body"))
    html = text(client.get(reverse("campaigns:request-list"), {"recipient": chosen.slug}))
    assert f'<option value="{chosen.slug}" selected>Office &lt;of&gt; Things</option>' in html
    assert "Drafts only body" not in html
    assert '<option value="">Any recipient</option>' in html


def test_filter_forms_share_one_class_but_never_a_field_or_an_error():
    first = RequestFilter(QueryDict("status=lost&year=x"), queryset=Request.objects.all())
    second = RequestFilter(QueryDict("status=overdue"), queryset=Request.objects.all())
    assert type(first.form) is type(second.form)
    assert first.form.fields["status"] is not second.form.fields["status"]
    assert set(first.form.errors) == {"status", "year"} and not second.form.errors
    assert second.form.cleaned_data["status"] == "overdue"

    class WithTitle(RequestFilter):
        title = django_filters.CharFilter(lookup_expr="icontains")

    wider = WithTitle(QueryDict("title=panel"), queryset=Request.objects.all())
    assert wider.form.is_valid() and wider.form.cleaned_data["title"] == "panel"


def test_lists_leave_out_the_person_addressed_and_a_request_page_reads_them_with_the_request(
    client,
):
    person = PersonFactory(name="Ada Chair", role_title="Chair")
    addressed = LetterFactory(
        request=RequestFactory(recipient=person.organisation, recipient_person=person)
    ).request
    plain = LetterFactory().request
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("campaigns:request-list"))
    assert not any("campaigns_person" in query["sql"] for query in queries)

    def page_queries(request):
        with CaptureQueriesContext(connection) as queries:
            page = text(client.get(request.get_absolute_url()))
        return page, len(queries)

    page, count = page_queries(addressed)
    assert "Addressed to Ada Chair, Chair" in page
    assert count == page_queries(plain)[1]


def test_the_demo_case_page_runs_at_most_six_queries(client, demo, django_assert_max_num_queries):
    # The request, its letters, their signers and signatory organisations (one query), events,
    # members, commitments: no attachment, deadline change or second ask to read.
    with django_assert_max_num_queries(6):
        page = text(client.get(demo.get_absolute_url()))
    assert "What was promised in reply" in page
