"""Paths built from a slug agree with Django's reverse()."""

import pytest
from django.urls import reverse, set_script_prefix

from campaigns.paths import slug_path

VIEWS = [
    "campaigns:request-detail",
    "campaigns:coalition-detail",
    "campaigns:organisation-detail",
    "api:request-detail",
]


@pytest.mark.parametrize("prefix", ["/", "/tracker/"])
def test_a_slugs_path_is_what_reverse_gives_under_any_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        for view in VIEWS:
            for slug in ["a-slug_1", "panel-48-incidents-analysis-2022"]:
                assert slug_path(view, slug) == reverse(view, kwargs={"slug": slug})
        assert slug_path("campaigns:request-detail", "x").startswith(f"{prefix}requests/")
    finally:
        set_script_prefix("/")
