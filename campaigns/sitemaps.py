"""The sitemap: an index of sections, each listing public pages, a page of URLs at a time.

`/sitemap.xml` is the index; each section is served at `/sitemap-<section>.xml`, split into
pages of at most `limit` URLs (`?p=2`, ...) that the index lists.
"""

from datetime import UTC, date, datetime
from html import escape
from math import ceil

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import CharField, Func, Max, Min
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from campaigns.models import Coalition, Organisation, Request
from campaigns.paths import slug_paths
from campaigns.public import RowsByIds, public_coalition_ids, public_organisation_ids


class LocalDayText(Func):
    """A timestamp's day in the site's time zone, as "YYYY-MM-DD" text."""

    output_field = CharField()
    template = "CAST(%(expressions)s AS text)"  # SQLite's dates are already such text

    def __init__(self, expression):
        super().__init__(TruncDate(expression))

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "to_char(%(expressions)s, 'YYYY-MM-DD')"  # whatever the server's DateStyle
        return self.as_sql(compiler, connection, template=template, **extra_context)


class MomentText(Func):
    """A timestamp in UTC as ISO text, which sorts as the moments do."""

    output_field = CharField()
    template = "CAST(%(expressions)s AS text)"  # SQLite keeps timestamps as UTC text

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


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


class RequestSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    # Far under the protocol's 50,000 URLs, so that a page renders quickly: crawlers fetch more
    # pages, no request costs much.
    limit = 1_000

    def items(self):
        # Only what a URL and its date need, as plain rows of text: no model instance, none of
        # the status annotations the public lists carry, no timestamp to parse (1,000 of them
        # were half the page's time).
        return (
            Request.objects.published()
            .annotate(day=LocalDayText("updated_at"), changed=MomentText("updated_at"))
            .values_list("slug", "day", "changed", named=True)
        )

    def location(self, row):
        return self.request_path(row.slug)

    @cached_property
    def request_path(self):
        return slug_paths("campaigns:request-detail")

    def lastmod_day(self, row):
        """Return the day of a request's last change, "YYYY-MM-DD", as the site's clocks read."""
        return row.day

    def lastmod(self, row):
        """Return the day of a request's last change, for Django's sitemap machinery."""
        return date.fromisoformat(row.day)

    def latest_change(self, rows):
        """Return the latest change of some requests."""
        latest = max(row.changed for row in rows)
        return datetime.fromisoformat(latest).replace(tzinfo=UTC)

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
def index(request):
    """Serve the sitemap index, as Django's index view would, its XML written here.

    Django's template dated every page of every section, each through the date filter: at
    100,000 requests, a hundred pages of them, most of the index's time.
    """
    origin = f"{request.scheme}://{request.get_host()}"
    entries, latest = [], []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = escape(origin + reverse("sitemap-section", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod()
        modified = (
            f"<lastmod>{timezone.localtime(lastmod).isoformat()}</lastmod>" if lastmod else ""
        )
        latest.append(lastmod)
        entries += [
            f"<sitemap><loc>{location}{f'?p={page}' if page > 1 else ''}</loc>{modified}</sitemap>"
            for page in range(1, sitemap.paginator.num_pages + 1)
        ]
    # As Django's view: dated only if every section is, so a cache can revalidate the index.
    headers = {"Last-Modified": http_date(max(latest).timestamp())} if all(latest) else {}
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{''.join(entries)}\n</sitemapindex>\n",
        content_type="application/xml",
        headers=headers,
    )


@require_safe
def section(request, section):
    """Serve a page of a sitemap section, as Django's sitemap view would, its XML written here.

    Django's view and template took 50 ms to write 1,000 URLs, and Django's view alone, building
    a dictionary for each, more than this whole page.
    """
    if section not in SITEMAPS:
        raise Http404(f"No sitemap available for section: {section!r}")
    sitemap = SITEMAPS[section]()
    number = request.GET.get("p", 1)
    try:
        page = sitemap.paginator.page(number)
    except EmptyPage as empty:
        raise Http404(f"Page {number} empty") from empty
    except PageNotAnInteger as not_a_number:
        raise Http404(f"No page {number!r}") from not_a_number
    origin = f"{request.scheme}://{request.get_host()}"
    entries, latest = urls_xml(sitemap, page.object_list, origin)
    headers = {"X-Robots-Tag": "noindex, noodp, noarchive"}
    if latest is not None:
        headers["Last-Modified"] = http_date(latest.timestamp())
    return HttpResponse(urlset_xml(entries), content_type="application/xml", headers=headers)


def urls_xml(sitemap, items, origin) -> tuple[str, datetime | None]:
    """Return the <url> elements of a sitemap's items, and their latest change if they are
    dated (by the sitemap's `lastmod_day`, and `latest_change` for all of them)."""
    lastmod_day = getattr(sitemap, "lastmod_day", None)
    changefreq = getattr(sitemap, "changefreq", None)
    priority = getattr(sitemap, "priority", None)
    tail = "".join(
        (
            f"<changefreq>{escape(changefreq)}</changefreq>" if changefreq else "",
            f"<priority>{escape(str(priority))}</priority>" if priority is not None else "",
        )
    )
    entries = []
    for item in items:
        modified = f"<lastmod>{lastmod_day(item)}</lastmod>" if lastmod_day else ""
        location = escape(origin + sitemap.location(item))
        entries.append(f"<url><loc>{location}</loc>{modified}{tail}</url>")
    latest = sitemap.latest_change(items) if lastmod_day and items else None
    return "".join(entries), latest


def urlset_xml(entries: str) -> str:
    """Return a sitemap page's XML around its <url> elements, as Django's template writes it."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        f"{entries}\n</urlset>\n"
    )
