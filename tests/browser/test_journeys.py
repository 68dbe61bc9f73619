"""What a visitor does, in a real browser: find, read, follow, download."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CASE_TITLE = "Publish the Panel's analysis of 48 incidents involving children in care"


def test_home_to_list_to_filter_to_request_timeline(page, site):
    page.goto(site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    page.get_by_label("Status").select_option(label="Refused")
    page.get_by_role("button", name="Filter").click()
    assert "status=refused" in page.url
    page.get_by_role("link", name=CASE_TITLE).click()

    assert page.get_by_role("heading", level=1).inner_text() == CASE_TITLE
    timeline = page.locator("ol.timeline > li")
    assert timeline.count() == 7
    assert timeline.first.is_visible()
    assert page.locator("ol.timeline .letter-received .outcome").inner_text() == "Outcome: Refused"


def test_header_search_finds_the_case(page, site):
    page.goto(site + "/stats/")
    page.get_by_role("searchbox", name="Search requests and letters").fill("looked after children")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Search results for")
    assert page.get_by_role("link", name=CASE_TITLE).is_visible()
    assert page.locator("p.snippet mark").count() > 0


def test_pages_link_their_feeds(page, site):
    for path in ("/", "/requests/panel-48-incidents-analysis-2022/", "/requests/?q=48"):
        page.goto(site + path)
        feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
        assert feed.count() == 1
        response = page.request.get(site + feed.get_attribute("href"))
        assert response.ok and "<feed" in response.text()


def test_csv_downloads_with_the_current_filters(page, site):
    page.goto(site + "/requests/?q=48+incidents")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download as CSV").click()
    download = download_info.value
    assert re.fullmatch(r"requests-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("title,url,coalition,recipient,status")
    assert CASE_TITLE in content and ",Refused," in content


def test_embed_card_renders_inside_an_iframe_on_another_page(page, site):
    page.goto(site + "/requests/panel-48-incidents-analysis-2022/")
    snippet = page.locator("#embed-code").input_value()
    page.set_content(f"<!doctype html><title>Campaign site</title>{snippet}")
    frame = page.frame_locator("iframe")
    assert frame.locator(".status").inner_text() == "Refused"
