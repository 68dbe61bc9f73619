"""The letter form in a real browser: it shows what fits the chosen direction, under the CSP."""

import pytest
from django.urls import reverse

from tests.browser.test_content_security_policy import PASSWORD, log_in, refusals

pytestmark = pytest.mark.browser


def kinds_offered(page, prefix):
    return page.locator(f"#id_{prefix}-kind option").evaluate_all(
        "options => options.map(option => option.value).filter(Boolean)"
    )


def test_new_letter_shows_only_what_fits_its_direction(page, site, django_user_model):
    from campaigns.models import Request

    django_user_model.objects.create_superuser("campaigner", "c@example.org", PASSWORD)
    req = Request.objects.get()
    refused = refusals(page)
    log_in(page, site, "campaigner", PASSWORD)

    page.goto(site + reverse("admin:campaigns_request_change", args=[req.pk]))
    page.locator("#letters-group .add-row a").click()
    prefix = f"letters-{req.letters.count()}"
    letter = page.locator(f"#{prefix}")
    reply_by = letter.locator(".fieldBox.field-reply_requested_by")
    outcome = letter.locator(".form-row.field-outcome")

    page.select_option(f"#id_{prefix}-direction", "received")
    assert reply_by.is_hidden()
    assert letter.locator(".form-row.field-signatories").is_hidden()
    assert outcome.is_visible()
    assert kinds_offered(page, prefix) == ["acknowledgement", "substantive"]

    page.select_option(f"#id_{prefix}-kind", "substantive")
    page.select_option(f"#id_{prefix}-direction", "sent")
    assert outcome.is_hidden()
    assert reply_by.is_visible()
    assert kinds_offered(page, prefix) == ["initial", "reminder", "follow_up"]
    # A kind of the other direction is not kept once the direction changes.
    assert page.locator(f"#id_{prefix}-kind").input_value() == ""
    assert refused == []
