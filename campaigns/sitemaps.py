"""The sitemap: an index of sections, each listing public pages, a page of URLs at a time.

`/sitemap.xml` is the index; each section is served at `/sitemap-<section>.xml`, split into
pages of at most `limit` URLs (`?p=2`, ...) that the index lists.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from campaigns.cache import cached_figures
from campaigns.models import Coalition, Organisation, Request
from campaigns.public import public_coalitions, public_ids, public_organisations


class RequestSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    # Far under the protocol's 50,000 URLs, so that a page renders in about a tenth of a second
    # (5,000 took half a second): crawlers fetch more pages, no request costs much.
    limit = 1_000

    def items(self):
        # Only what a URL and its date need, in primary-key order: each page is a slice of the
        # primary key index, with none of the status annotations the public lists carry.
        return Request.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, req):
        return req.updated_at

    def get_latest_lastmod(self):
        # For the index: the newest change, read from the end of an index.
        return Request.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    @property
    def paginator(self):
        # The index counts each section's pages: the count of public requests is one of the
        # figures kept per data version, not 100,000 rows counted on every view.
        paginator = super().paginator
        paginator.count = cached_figures("sitemap-requests", lambda: self.items().count())
        return paginator


class CoalitionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        ids = public_ids(public_coalitions().order_by("pk"), "coalitions-by-pk")
        return Coalition.objects.filter(pk__in=ids).order_by("pk")


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        ids = public_ids(public_organisations().order_by("pk"), "organisations-by-pk")
        return Organisation.objects.filter(pk__in=ids).order_by("pk")


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "request-list", "coalition-list", "organisation-list", "stats"]

    def location(self, name):
        return reverse(f"campaigns:{name}")


SITEMAPS = {
    "pages": PageSitemap,
    "requests": RequestSitemap,
    "coalitions": CoalitionSitemap,
    "organisations": OrganisationSitemap,
}
