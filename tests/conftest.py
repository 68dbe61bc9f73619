"""Shared fixtures."""

import uuid

import pytest
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered

from campaigns.demo import demo_load
from tests.factories import CoalitionFactory, PublicBodyFactory


@pytest.fixture(autouse=True, scope="session")
def jinja2_pages_tell_the_test_client():
    """Give the test client a Jinja2 page's context and template, as Django does for its own.

    Django instruments only its own engine's templates, so without this `response.context` is
    None for the public pages.
    """
    render = jinja2_backend.Template.render

    def render_and_tell(self, context=None, request=None):
        context = {} if context is None else context
        html = render(self, context, request)
        assert "bound method" not in html, "A template printed a method instead of calling it."
        template_rendered.send(sender=self, template=self.template, context=context)
        return html

    jinja2_backend.Template.render = render_and_tell
    yield
    jinja2_backend.Template.render = render


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Keep uploaded files out of the project folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Render every page afresh whatever the environment says; tests/test_cache.py turns it on."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FIGURES_CACHE_SECONDS = 0
    # Its own location per test: local-memory caches of one location share their data, and
    # a test's writes, rolled back, never start a new data version.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def demo(db):
    """Load the reference case and return its request."""
    return demo_load()


@pytest.fixture
def staff_client(client, django_user_model):
    """Return a client logged in as a campaigner with full admin rights."""
    user = django_user_model.objects.create_superuser("campaigner", "c@example.org", "x-long-pw-1")
    client.force_login(user)
    return client


@pytest.fixture
def parties(db):
    """Return a coalition and a public body, for a request between them."""
    return CoalitionFactory(), PublicBodyFactory()
