"""The Content-Security-Policy in a real browser: every page works and nothing is refused."""

import pytest

pytestmark = pytest.mark.browser

REQUEST = "/requests/panel-48-incidents-analysis-2022/"
PUBLIC_PAGES = [
    "/",
    "/requests/",
    "/requests/?q=48+incidents",
    REQUEST,
    REQUEST + "embed/",
    "/coalitions/",
    "/coalitions/publish-the-48-incidents-analysis/",
    "/organisations/",
    "/organisations/child-safeguarding-practice-review-panel/",
    "/stats/",
    "/no-such-page/",
    "/admin/login/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/campaigns/request/",
    "/admin/campaigns/request/add/",
    "/admin/campaigns/coalition/add/",
    "/admin/campaigns/organisation/",
    "/admin/campaigns/organisation/add/",
    "/admin/campaigns/person/add/",
]
PASSWORD = "x-long-pw-1"


def log_in(page, site, username, password):
    """Log in to the admin through its login form, and wait for the admin home."""
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "/admin/")


def refusals(page):
    """Collect what the page's policy refuses, as the browser reports it."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_load_with_nothing_refused(page, site, path):
    refused = refusals(page)
    response = page.goto(site + path)
    page.wait_for_load_state("networkidle")
    assert response.header_value("content-security-policy")
    assert refused == []
    # The stylesheet applied: every page's sets the body's margin to 0, a browser's is 8px.
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"


def test_admin_pages_work_with_nothing_refused(page, site, django_user_model):
    django_user_model.objects.create_superuser("campaigner", "c@example.org", PASSWORD)
    refused = refusals(page)
    log_in(page, site, "campaigner", PASSWORD)
    for path in ADMIN_PAGES:
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    # The admin's own scripts ran: the add form's date shortcuts are drawn by JavaScript.
    page.goto(site + "/admin/campaigns/coalition/add/")
    assert page.locator(".datetimeshortcuts").count() > 0
    assert refused == []


def test_api_docs_render_the_schema_with_nothing_refused(page, site):
    refused = refusals(page)
    page.goto(site + "/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 0
    assert refused == []
