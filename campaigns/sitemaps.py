"""The sitemap: an index of sections, each listing public pages, a page of URLs at a time.

`/sitemap.xml` is the index; each section is served at `/sitemap-<section>.xml`, split into
pages of at most `limit` URLs (`?p=2`, ...) that the index lists.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from campaigns.models import Request
from campaigns.public import public_coalitions, public_organisations


class RequestSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    # Well under the protocol's 50,000 URLs, so that each page renders in about half a second.
    limit = 5_000

    def items(self):
        # Only what a URL and its date need, in primary-key order: each page is a slice of the
        # primary key index, with none of the status annotations the public lists carry.
        return Request.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, req):
        return req.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of reading every request.
        return Request.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CoalitionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_coalitions().order_by("pk")


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_organisations().order_by("pk")


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
