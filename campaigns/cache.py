"""Whole public pages cached for anonymous visitors, and dropped whenever campaign data changes.

A page is stored under its address (scheme, host, path and query string), the data version and
today's date. Any write to the app's models starts a new data version once it commits, so the next
view of every page is rendered afresh; the date is in the key because a request can turn overdue
at midnight with no write at all. An embargo can end with no write at all too, so nothing is
kept past the end of the next one. Campaigners are logged in, and a request carrying a session
cookie never reads or fills the cache.
"""

import hashlib
import logging
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from http import HTTPStatus

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.cache import cc_delim_re

from campaigns.models import Request

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
# How long the end of the next embargo is remembered for one data version.
EMBARGO_KEY_SECONDS = 24 * 60 * 60
# Never cached, whatever their headers say.
EXCLUDED_PATH_PREFIXES = ("/admin/",)
UNCACHEABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")
# The data version read in the current block of `one_data_version()`, once read.
_version_read = ContextVar("version_read", default=None)


def page_cache():
    return caches["default"]


def data_version():
    """Return the current data version, starting one if the cache holds none."""
    read = _version_read.get()
    if read:
        return read[0]
    cache = page_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    if read is not None:
        read.append(version)
    return version


@contextmanager
def one_data_version():
    """Read the data version at most once inside the block, which serves one page.

    Every figure on the page is then of one version, and each costs one cache read, not two.
    """
    token = _version_read.set([])
    try:
        yield
    finally:
        _version_read.reset(token)


def page_key(request, version):
    """Return the key of the page a request asks for, under a data version and today's date."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page-cache:{version}:{timezone.localdate().isoformat()}:{address}"


def cached_figures(name, compute):
    """Return figures over all public data, computed once per data version and day.

    Counts by status and statistics read every public request; any write starts a new data
    version (as for pages), so a figure is never older than the data it counts.
    """
    seconds = settings.FIGURES_CACHE_SECONDS
    version = _safely(data_version) if seconds else None
    if version is None:
        return compute()
    key = f"kept-figures:{version}:{timezone.localdate().isoformat()}:{name}"
    # Kept in a tuple, so that a figure that is None is kept too.
    if (kept := _safely(page_cache().get, key)) is not None:
        return kept[0]
    # Read before computing: figures computed before an embargo ends must not outlive it.
    embargo_end = next_embargo_end(version)
    figures = compute()
    if (timeout := capped_seconds(seconds, embargo_end)) > 0:
        _safely(page_cache().set, key, (figures,), timeout)
    return figures


def next_embargo_end(version):
    """Return when the next embargo on a published request ends, or None if none is set.

    Read from the database once per data version (and again once that moment has passed).
    """
    key = f"page-cache:embargo:{version}"
    now = timezone.now()
    stored = _safely(page_cache().get, key)
    if stored is not None and (stored[0] is None or stored[0] > now):
        return stored[0]
    moment = Request.objects.next_embargo_end(now)
    _safely(page_cache().set, key, (moment,), EMBARGO_KEY_SECONDS)
    return moment


def capped_seconds(seconds, until):
    """Return a cache timeout of at most `seconds` that ends no later than `until` (if given)."""
    if until is None:
        return seconds
    return min(seconds, int((until - timezone.now()).total_seconds()))


def public_data_changed(*, using=None):
    """Have every public page rendered afresh once the current transaction commits.

    Call it after writes that send no model signals, such as QuerySet.update() or bulk_create().
    """
    transaction.on_commit(_start_new_version, using=using)


def _start_new_version():
    # A random version rather than a counter: if the version key is evicted or the cache emptied,
    # the next one can never match pages stored under an earlier one.
    try:
        page_cache().set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        logger.exception(
            "Could not drop the cached pages; they may show old data for up to %s seconds.",
            settings.PAGE_CACHE_SECONDS,
        )


def connect_invalidation(app_config):
    """Drop the cached pages after any write to the app's models, and after every migrate."""
    for model in app_config.get_models(include_auto_created=True):
        post_save.connect(_model_changed, sender=model)
        post_delete.connect(_model_changed, sender=model)
        m2m_changed.connect(_relation_changed, sender=model)
    # Deployments migrate on start, so new templates and data migrations show at once too.
    post_migrate.connect(_model_changed, sender=app_config)


def _model_changed(sender, using=None, **kwargs):
    public_data_changed(using=using)


def _relation_changed(sender, action, using=None, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        public_data_changed(using=using)


class PageCacheMiddleware:
    """Serve anonymous visitors' GET and HEAD requests for public pages from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"}:  # a write starts a new version meanwhile
            return self.get_response(request)
        with one_data_version():
            return self.cached_response(request)

    def cached_response(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not may_use_cache(request):
            return self.get_response(request)
        # The version is read before the page is rendered: a page that misses a write committed
        # meanwhile is stored under the old version, which nobody asks for again.
        version = _safely(data_version)
        if version is None:
            return self.get_response(request)
        key = page_key(request, version)
        cached = _safely(page_cache().get, key)
        if cached is not None:
            vary, response = cached
            if all(request.headers.get(name) == value for name, value in vary):
                response.headers["X-Cache"] = "hit"
                return response

        # Read before rendering: a page rendered before an embargo ends must not outlive it.
        embargo_end = next_embargo_end(version)
        response = self.get_response(request)
        # HEAD is served from the page stored for GET, and stores nothing itself.
        if request.method == "GET":
            vary = storable_vary(request, response)
            timeout = capped_seconds(seconds, embargo_end)
            if vary is not None and timeout > 0:
                _safely(page_cache().set, key, (vary, response), timeout)
        response.headers["X-Cache"] = "miss"
        return response


def may_use_cache(request):
    """Return whether a request may be answered from the cache, or its answer stored."""
    return (
        request.method in {"GET", "HEAD"}
        and not request.path_info.startswith(EXCLUDED_PATH_PREFIXES)
        # The cookies that make a page personal: the login session and flash messages.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "Authorization" not in request.headers
    )


def storable_vary(request, response):
    """Return the request headers a response varies on, or None if it must not be stored."""
    if response.status_code != HTTPStatus.OK or response.streaming or response.cookies:
        return None
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    names = {name.lower() for name in cc_delim_re.split(response.get("Vary", "")) if name}
    if "*" in names:
        return None
    # Requests with a personal cookie never get here, and a page that used another cookie (the
    # CSRF token) sets it again and is not stored, so "Vary: Cookie" needs no key of its own.
    names.discard("cookie")
    return tuple((name, request.headers.get(name)) for name in sorted(names))


def _safely(operation, *args):
    """Run a cache operation; if the cache is down, log it and carry on without the cache."""
    try:
        return operation(*args)
    except Exception as error:
        logger.warning("Page cache unavailable: %r", error)
        return None
