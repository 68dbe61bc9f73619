"""The sitemap: an index of sections, each listing public pages, a page of URLs at a time.

`/sitemap.xml` is the index; each section is served at `/sitemap-<section>.xml`, split into
pages of at most `limit` URLs (`?p=2`, ...) that the index lists.
"""

from html import escape
from math import ceil

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from campaigns.models import Coalition, Organisation, Request
from campaigns.public import RowsByIds, public_coalition_ids, public_organisation_ids


class IdRangePaginator(Paginator):
    """Pages of a queryset by ranges of its primary key, `per_page` ids wide.

    Page 100 is a range scan of the primary key index, as cheap as page 1, where an offset read
    and skipped 99,000 rows (80 ms). Ids of drafts and deleted rows leave a page short of
    `per_page`; no row is on two pages or missed.
    """

    def __init__(self, object_list, per_page):
        super().__init__(object_list, per_page)
        bounds = object_list.aggregate(first=Min("pk"), last=Max("pk"))
        self.first_id, self.last_id = bounds["first"] or 1, bounds["last"] or 0

    @cached_property
    def num_pages(self):
        return max(1, ceil((self.last_id - self.first_id + 1) / self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        low = self.first_id + (number - 1) * self.per_page
        rows = self.object_list.filter(pk__gte=low, pk__lt=low + self.per_page).order_by("pk")
        return self._get_page(list(rows), number, self)


SLUG_MARK = "slug-of-the-request"


class RequestSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    # Far under the protocol's 50,000 URLs, so that a page renders quickly: crawlers fetch more
    # pages, no request costs much.
    limit = 1_000

    def items(self):
        # Only what a URL and its date need, as plain rows: no model instance, none of the
        # status annotations the public lists carry.
        return Request.objects.published().values_list("slug", "updated_at", named=True)

    def location(self, row):
        # Resolved once, not for each of 1,000 rows (15 ms a page); a slug needs no quoting.
        return self.path_pattern.replace(SLUG_MARK, row.slug)

    def lastmod(self, row):
        return row.updated_at

    @cached_property
    def path_pattern(self):
        return reverse("campaigns:request-detail", args=[SLUG_MARK])

    def get_latest_lastmod(self):
        # For the index: the newest change, read from the end of an index.
        return Request.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    @cached_property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)


class CoalitionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return RowsByIds(Coalition.objects.all(), public_coalition_ids())


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return RowsByIds(Organisation.objects.all(), public_organisation_ids())


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


@require_safe
def section(request, section):
    """Serve a page of a sitemap section: Django's view, its XML written here.

    Django's paging, 404s and Last-Modified header are kept; its template took 50 ms to render
    1,000 URLs, more than everything else the page does.
    """
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    return HttpResponse(urlset_xml(response.context_data["urlset"]), headers=response.headers)


def urlset_xml(urls):
    """Return a sitemap's XML for these URLs, as Django's sitemap.xml template writes it."""
    entries = "".join(map(url_xml, urls))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        f"{entries}\n</urlset>\n"
    )


def url_xml(url):
    """Return one sitemap entry's <url> element."""
    parts = [f"<loc>{escape(url['location'])}</loc>"]
    if url.get("lastmod"):
        parts.append(f"<lastmod>{url['lastmod']:%Y-%m-%d}</lastmod>")
    if url.get("changefreq"):
        parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
    if url.get("priority"):
        parts.append(f"<priority>{escape(str(url['priority']))}</priority>")
    parts += [
        f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
        f'href="{escape(alternate["location"])}"/>'
        for alternate in url.get("alternates", ())
    ]
    return f"<url>{''.join(parts)}</url>"
