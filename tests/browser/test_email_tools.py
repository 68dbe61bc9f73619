"""Importing a letter from an e-mail and choosing alerts, in Chromium, under the site's CSP."""

import pytest
from django.urls import reverse

from tests.browser.test_case_entry import axe_violations
from tests.browser.test_content_security_policy import PASSWORD, log_in, refusals
from tests.test_email_import import SUBJECT, panel_reply

pytestmark = pytest.mark.browser


def test_a_campaigner_imports_the_panels_reply_and_chooses_alerts(
    browser, page, site, django_user_model, tmp_path
):
    from campaigns.models import Request
    from workspace.models import CoalitionRole, Role

    user = django_user_model.objects.create_superuser("campaigner", "c@example.org", PASSWORD)
    req = Request.objects.get()
    CoalitionRole.objects.create(user=user, coalition=req.coalition, role=Role.PUBLISHER)
    message = tmp_path / "reply.eml"
    message.write_bytes(bytes(panel_reply(message_id="<browser-1@example.org>")))
    refused = refusals(page)
    log_in(page, site, "campaigner", PASSWORD)

    page.goto(site + reverse("admin:campaigns_request_change", args=[req.pk]))
    page.get_by_role("link", name="Import a letter from an e-mail").click()
    upload_url = page.url
    page.set_input_files("#id_message_file", str(message))
    page.get_by_role("button", name="Read the message").click()
    page.get_by_text("Check what was read from the message").wait_for()
    review_url = page.url
    assert page.input_value("#id_subject") == SUBJECT
    page.select_option("#id_direction", "received")
    page.select_option("#id_kind", "acknowledgement")
    page.get_by_role("button", name="Save the letter").click()
    page.wait_for_url(f"**{reverse('admin:campaigns_request_change', args=[req.pk])}**")
    assert req.letters.filter(message_id="browser-1@example.org").exists()

    page.goto(site + reverse("alerts"))
    page.get_by_label("Weekly digest, ", exact=False).first.check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your alert choices are saved.").wait_for()

    assert CoalitionRole.objects.get(user=user).weekly_digest
    assert refused == []
    storage = page.context.storage_state()
    assert axe_violations(browser, storage, [upload_url, site + reverse("alerts")]) == []
    assert review_url == upload_url  # the review answers the upload's POST: checked apart
    another = tmp_path / "another.eml"
    another.write_bytes(bytes(panel_reply(message_id="<browser-2@example.org>")))
    assert review_violations(browser, storage, upload_url, another) == []


def review_violations(browser, storage, upload_url, message):
    """Return axe's reports on the review page an upload leads to."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True, storage_state=storage)
    page = context.new_page()
    page.goto(upload_url)
    page.set_input_files("#id_message_file", str(message))
    page.get_by_role("button", name="Read the message").click()
    page.get_by_text("Check what was read from the message").wait_for()
    results = Axe().run(page)
    context.close()
    return [results.generate_report()] if results.violations_count else []


def test_a_reader_asks_to_follow_a_request_by_e_mail(browser, page, site):
    from campaigns.models import Request
    from following.models import Follow

    req = Request.objects.get()
    refused = refusals(page)
    page.goto(site + req.get_absolute_url())
    page.get_by_role("link", name="Follow this request by e-mail").click()
    follow_url = page.url
    page.get_by_label("Your e-mail address").fill("reader@example.org")
    page.get_by_label("once a day").check()
    page.get_by_role("button", name="Follow by e-mail").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()

    follow = Follow.objects.get()
    assert (follow.email, follow.request, follow.confirmed_at) == ("reader@example.org", req, None)
    assert refused == []
    storage = page.context.storage_state()
    assert axe_violations(browser, storage, [follow_url, page.url]) == []
