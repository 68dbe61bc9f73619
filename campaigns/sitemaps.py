"""The sitemap: public pages only, starting from the same public querysets as the views."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from campaigns.models import Coalition, Organisation
from campaigns.public import public_requests


class RequestSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return public_requests().order_by("pk")

    def lastmod(self, req):
        return req.updated_at


class CoalitionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Coalition.objects.order_by("pk")


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.order_by("pk")


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
