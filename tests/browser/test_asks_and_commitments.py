"""A campaigner enters a second ask, a reply answering each, a commitment and an extension, in
Chromium, each about as quickly as a letter: one save and a handful of clicks."""

from datetime import date
from importlib import import_module

import pytest

from tests.browser.test_case_entry import Counted, add_letter
from tests.browser.test_content_security_policy import PASSWORD, refusals

pytestmark = pytest.mark.browser

# Entering a reply letter takes five clicks (add, direction, kind, outcome, save), one load.
A_LETTER = {"clicks": 5, "saves": 1}


def campaigners_group(apps):
    """Make the Campaigners group and its permissions, which a transactional test flushes."""
    import_module("workspace.migrations.0002_campaigners_group").group_create(apps, None)
    grant = import_module("workspace.migrations._permissions").granter
    for migration in (
        "0005_campaigners_enter_asks",
        "0006_campaigners_record_commitments_and_deadlines",
    ):
        grant(import_module(f"workspace.migrations.{migration}").CODENAMES)(apps, None)


@pytest.mark.django_db(transaction=True)
def test_asks_answers_commitments_and_extensions_are_entered_as_quickly_as_a_letter(
    browser, live_server, django_user_model
):
    from django.apps import apps

    from campaigns.choices import CommitmentStatus, Direction, LetterKind
    from campaigns.models import Commitment, Request
    from campaigns.services import letter_record
    from tests.factories import RequestFactory
    from tests.test_access import make_campaigner
    from workspace.models import Role

    campaigners_group(apps)
    request = RequestFactory(title="Publish the analysis", summary="Publish the analysis.")
    letter_record(
        request=request,
        direction=Direction.SENT,
        kind=LetterKind.INITIAL,
        date=date(2022, 4, 29),
        signed_by_every_member=True,
    )
    sent = request.letters.get()
    make_campaigner(django_user_model, "ann", {request.coalition: Role.PUBLISHER})

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = refusals(page)
    site = live_server.url
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "ann")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")
    change = f"{site}/admin/campaigns/request/{request.pk}/change/"
    page.goto(change)
    user = Counted(page)
    spent = {}

    def entered(what, step):
        clicks, posts = user.clicks, user.posts
        step()
        user.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")
        spent[what] = {"clicks": user.clicks - clicks, "saves": user.posts - posts}

    def second_ask():
        user.click("#asks-group .add-row a")
        page.fill("#id_asks-1-text", "Meet the coalition to discuss it")

    def extension():
        user.click("#deadline_changes-group .add-row a")
        user.choose("#id_deadline_changes-0-letter", str(sent.pk))
        user.choose("#id_deadline_changes-0-kind", "holding")
        page.fill("#id_deadline_changes-0-new_due_on", "15/6/2022")
        page.fill("#id_deadline_changes-0-reason", "The Panel promised a reply by mid-June.")

    entered("an ask", second_ask)
    entered("an extension", extension)
    first, second = request.asks.order_by("position", "pk")

    def reply():
        add_letter(user, 1, direction="received", kind="substantive", date="10/6/2022")
        user.choose(f"#id_letters-1-ask_outcomes-{first.pk}", "refused")
        user.choose(f"#id_letters-1-ask_outcomes-{second.pk}", "met")

    entered("a reply to each ask", reply)
    answer = request.letters.get(kind="substantive")

    def commitment():
        user.click("#commitments-group .add-row a")
        page.fill("#id_commitments-0-text", "Publish its next annual report")
        user.choose("#id_commitments-0-letter", str(answer.pk))
        page.fill("#id_commitments-0-due_on", "1/12/2022")
        user.choose("#id_commitments-0-due_precision", "year")

    entered("a commitment", commitment)

    req = Request.objects.with_status().get(pk=request.pk)
    assert req.status == "partly_met"
    answer.refresh_from_db()
    assert (answer.outcome, answer.on_time, answer.on_time_original) == ("partly_met", True, False)
    promised = Commitment.objects.with_status(today=date(2023, 1, 1)).get()
    assert (promised.due_by, promised.status) == (date(2022, 12, 31), CommitmentStatus.BROKEN)

    public = context.new_page()
    public.goto(site + req.get_absolute_url())
    text = public.content()
    assert "What was asked, and the latest answer to each" in text
    assert "Publish its next annual report, by the end of 2022." in text
    assert "Holding reply promising a date: due 15 June 2022 instead." in text

    print(f"Entered in {spent}; a letter takes {A_LETTER}")
    for what, cost in spent.items():
        # A reply to two asks chooses one outcome more than a reply to one.
        extra = 1 if what == "a reply to each ask" else 0
        assert cost["saves"] <= A_LETTER["saves"], (what, cost)
        assert cost["clicks"] <= A_LETTER["clicks"] + extra, (what, cost)
    assert refused == []
    context.close()
