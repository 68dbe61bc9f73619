"""A campaigner enters a whole case in Chromium from an empty database, and publishes it.

The case: a coalition of three, a request to the Department for Education, the letter sent
with its PDF, an acknowledgement, a partly-met reply and a follow-up. Entered by hand before
the workspace was built, it took 13 page loads and 51 clicks; the test counts both and holds
them under 60% of that, and axe checks each admin page it passes through.
"""

from importlib import import_module

import pytest

from tests.browser.test_content_security_policy import PASSWORD, refusals
from tests.documents import pdf

pytestmark = pytest.mark.browser

BEFORE = {"page loads": 13, "clicks": 51}


class Counted:
    """A page whose loads and clicks (choices and file pickers included) are counted."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.clicks = 0
        self.posts = 0
        page.on("load", self._loaded)
        page.on("request", self._requested)

    def _loaded(self, _page):
        self.loads += 1

    def _requested(self, request):
        # Counted when sent, so a form's submission is never counted with the step after it,
        # as a load event that fires once the next page is already in use can be.
        self.posts += request.method == "POST"

    def click(self, selector):
        self.clicks += 1
        self.page.click(selector)

    def choose(self, selector, value):
        self.clicks += 1
        self.page.select_option(selector, value)

    def pick_file(self, selector, path):
        self.clicks += 1
        self.page.set_input_files(selector, str(path))


def axe_violations(browser, storage, urls):
    """Return axe's reports on these pages, seen by the logged-in user.

    In a context of their own that lets axe add its styles: the case's own context keeps the
    site's Content-Security-Policy, and counts any refusal as a failure.
    """
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True, storage_state=storage)
    page = context.new_page()
    reports = []
    for url in urls:
        page.goto(url)
        results = Axe().run(page)
        if results.violations_count:
            reports += [url, results.generate_report()]
    context.close()
    return reports


def add_letter(user, index, *, direction, kind, date, outcome=None):
    user.click("#letters-group .add-row a")
    prefix = f"#id_letters-{index}"
    user.choose(f"{prefix}-direction", direction)
    user.choose(f"{prefix}-kind", kind)
    user.page.fill(f"{prefix}-date", date)
    if outcome:
        user.choose(f"{prefix}-outcome", outcome)


@pytest.mark.django_db(transaction=True)
def test_a_campaigner_enters_and_publishes_the_whole_case(
    browser, live_server, django_user_model, tmp_path
):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from campaigns.models import Request

    # The Campaigners group is made by a data migration, which a transactional test flushes.
    import_module("workspace.migrations.0002_campaigners_group").group_create(apps, None)

    campaigner = django_user_model.objects.create_user(
        "campaigner", password=PASSWORD, is_staff=True
    )
    campaigner.groups.add(Group.objects.get(name="Campaigners"))
    campaigner.user_permissions.add(Permission.objects.get(codename="add_coalition"))
    letter_file = tmp_path / "letter.pdf"
    letter_file.write_bytes(pdf("We ask the Department to publish the data."))

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = refusals(page)
    user = Counted(page)
    site = live_server.url
    visited = []

    page.goto(site + "/admin/login/")
    page.fill("#id_username", "campaigner")
    page.fill("#id_password", PASSWORD)
    user.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")
    visited.append(page.url)

    user.click("text=Start a new case")
    page.wait_for_selector("#start-case-form")
    visited.append(page.url)
    page.fill("#id_coalition_name", "Coalition on care data")
    page.fill("#id_members", "Article 39\nCoram\nNagalro")
    page.fill("#id_recipient", "Department for Education")
    page.fill("#id_title", "Publish the data on children in care")
    page.fill("#id_summary", "Publish the analysis of serious incidents.")
    page.fill("#id_sent_on", "29/4/2022")
    user.click("#id_signed_by_0")  # every member
    page.fill("#id_subject", "Request to publish the data")
    user.pick_file("#id_files", letter_file)
    user.click("#start-case-form input[type=submit]")
    page.wait_for_selector("#letters-group")

    add_letter(user, 1, direction="received", kind="acknowledgement", date="3/5/2022")
    add_letter(
        user, 2, direction="received", kind="substantive", date="27/5/2022", outcome="partly_met"
    )
    add_letter(user, 3, direction="sent", kind="follow_up", date="10/6/2022")
    user.click("#id_letters-3-signed_by_every_member")
    user.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    visited.append(page.url)

    user.click("#id_is_published")
    user.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    req = Request.objects.with_status().get()
    assert req.is_published
    assert req.letters.count() == 4
    assert req.coalition.members.count() == 3
    assert req.recipient.name == "Department for Education"
    public = context.new_page()
    public.goto(site + req.get_absolute_url())
    text = public.content()
    assert "Partly met" in text
    assert (
        f'letter.pdf</a> <span class="file-label">(PDF, {letter_file.stat().st_size} bytes)' in text
    )

    counted = {"page loads": user.loads, "clicks": user.clicks}
    print(f"Entered the case in {counted} (before the workspace: {BEFORE})")
    for measure, before in BEFORE.items():
        assert counted[measure] < 0.6 * before, (measure, counted[measure], before)
    assert refused == []
    violations = axe_violations(browser, context.storage_state(), visited)
    assert violations == [], "\n".join(violations)
    context.close()
