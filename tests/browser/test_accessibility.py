"""Accessibility in a real browser: axe finds nothing, and everything works by keyboard."""

import pytest

from tests.browser.conftest import save_screenshots

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "list": "/requests/",
    "search": "/requests/?q=48+incidents",
    "request": "/requests/panel-48-incidents-analysis-2022/",
    "coalition": "/coalitions/publish-the-48-incidents-analysis/",
    "organisation": "/organisations/child-safeguarding-practice-review-panel/",
    "stats": "/stats/",
    "embed": "/requests/panel-48-incidents-analysis-2022/embed/",
}


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(browser, page, site, name):
    from axe_playwright_python.sync_playwright import Axe

    url = site + PAGES[name]
    page.goto(url)
    results = Axe().run(page)
    save_screenshots(browser, url, name)
    assert results.violations_count == 0, results.generate_report()


def test_skip_link_is_first_and_moves_focus_to_the_content(page, site):
    page.goto(site + "/requests/panel-48-incidents-analysis-2022/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).left") == "0px"  # visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert outline[0] != "none" and outline[1] != "0px"


@pytest.mark.parametrize("path", ["/", "/requests/", PAGES["request"], "/stats/"])
def test_every_link_and_control_is_reachable_by_keyboard(page, site, path):
    page.goto(site + path)
    controls = page.evaluate(
        """() => {
            const found = [...document.querySelectorAll(
                'a[href], button, input, select, textarea, [tabindex="0"]')]
              .filter(el => el.offsetParent !== null || el.classList.contains('skip-link'));
            found.forEach((el, index) => { el.dataset.kbd = index; });
            return found.length;
        }"""
    )
    reached = set()
    for _ in range(controls + 5):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.dataset.kbd"))
    reached.discard(None)
    assert reached == {str(index) for index in range(controls)}
