"""Public pages: home, requests, coalitions, organisations and attachment downloads."""

from functools import partial

from django.conf import settings
from django.db.models import Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.text import Truncator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from campaigns.attachments import read_content_type
from campaigns.cache import cached_figures
from campaigns.calendars import calendar_bytes
from campaigns.charts import reply_time_chart
from campaigns.choices import RequestStatus
from campaigns.correspondence import rounds
from campaigns.filters import RequestFilter
from campaigns.models import Membership, Request
from campaigns.pagination import request_paginator
from campaigns.prepared import prepared_statements
from campaigns.preview import draft_preview_allowed, preview_notice, preview_requests
from campaigns.public import (
    RowsByIds,
    asks_answered,
    coalition_members,
    count_per_row,
    letters_with_parts,
    organisation_parts,
    public_activity,
    public_attachments,
    public_coalitions,
    public_ids,
    public_memberships,
    public_organisation_or_404,
    public_organisations,
    public_organisations_named,
    public_requests,
    request_parts,
    shown_attachments,
)
from campaigns.search import search_passages, with_passage_sources
from campaigns.stats import (
    FIGURE_METHODS,
    FIGURES,
    scorecard_for,
    scorecards_page,
    status_by_year,
    status_counts,
)
from campaigns.timeline import build_timeline, link_answered_letters, link_round_letters

LATEST_ACTIVITY = 8


class HomeView(TemplateView):
    template_name = "campaigns/home.html"

    def get_context_data(self, **kwargs):
        counts = cached_figures("status-counts", status_counts)
        return super().get_context_data(
            status_counts=[
                (status, counts.get(status, 0)) for status in RequestStatus if counts.get(status)
            ],
            total_requests=sum(counts.values()),
            latest=public_activity(limit=LATEST_ACTIVITY),
            page_title="What campaign coalitions asked public bodies, and what they answered",
            **kwargs,
        )


class RequestListView(FilterView):
    filterset_class = RequestFilter
    template_name = "campaigns/request_list.html"
    context_object_name = "requests"
    paginate_by = settings.REQUESTS_PER_PAGE

    def get_queryset(self):
        return public_requests()

    def get_paginator(self, queryset, per_page, **kwargs):
        form = self.filterset.form
        # Nothing is known of a form with errors, whose list is empty.
        valid = not form.is_bound or form.is_valid()
        chosen = getattr(form, "cleaned_data", {}) if valid else {}
        if chosen.get("q"):  # each row read with the text its passage is found in
            queryset = with_passage_sources(queryset, chosen["q"])
        return request_paginator(queryset, per_page, chosen=chosen, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")
        context = super().get_context_data(
            page_title=f"Search: {Truncator(query).chars(80)}" if query else "Requests",
            page_description="Public requests from campaign coalitions to public bodies, with "
            "their status and replies.",
            **kwargs,
        )
        if query and not self.filterset.form.errors:
            context["organisations_named"] = public_organisations_named(query)
        snippets = search_passages(context["requests"], query)
        for req in context["requests"]:
            req.snippet_html = snippets.get(req.pk, "")
        return context


def preview_allowed(request, slug):
    """Return whether the user may preview the request at `slug`, private parts and all."""
    # Anonymous visitors cost no query.
    if not request.user.is_authenticated:
        return False
    req = Request.objects.filter(slug=slug).only("pk", "coalition_id").first()
    return req is not None and draft_preview_allowed(request.user, req)


def not_stored(response):
    """Mark a preview so that no cache, ours or the browser's, keeps it."""
    response["Cache-Control"] = "private, no-store"
    return response


class RequestDetailView(DetailView):
    """A request's page; campaigners allowed to preview it also see it as a draft or embargoed,
    with its private letters and events."""

    template_name = "campaigns/request_detail.html"
    context_object_name = "req"

    def get(self, request, *args, **kwargs):
        self.preview = preview_allowed(request, kwargs["slug"])
        with prepared_statements():  # every query reads by key: the request's slug or id
            response = super().get(request, *args, **kwargs)
        return not_stored(response) if self.preview else response

    def get_queryset(self):
        requests = preview_requests() if self.preview else public_requests()
        return requests.with_parties()

    def get_object(self, queryset=None):
        """Return the request, read in one query with the other stages of its chain."""
        slug = self.kwargs["slug"]
        self.chain = list(self.get_queryset().with_chain_of(slug))
        for stage in self.chain:
            if stage.slug == slug:
                return stage
        raise Http404("No request found matching the query.")

    def get_context_data(self, **kwargs):
        req = self.object
        events, commitments = request_parts(req, private=self.preview)
        letters = link_answered_letters(letters_with_parts(req, private=self.preview))
        link_round_letters(req, letters)
        return super().get_context_data(
            asks=asks_answered(req, letters) if req.ask_count > 1 else [],
            chain=self.chain,
            commitments=commitments,
            members=coalition_members(req.coalition_id),
            timeline=build_timeline(letters, events),
            rounds=rounds(letters),
            preview=self.preview,
            preview_notice=preview_notice(req) if self.preview else "",
            page_title=req.title,
            page_description=f"{req.status_label}. {req.summary}",
            **kwargs,
        )


@method_decorator(xframe_options_exempt, name="dispatch")
class RequestEmbedView(DetailView):
    """A small status card that campaign websites may show in an iframe; the only framable page."""

    template_name = "campaigns/request_embed.html"
    context_object_name = "req"

    def get_queryset(self):
        return public_requests().with_rounds()


class PartyListView(ListView):
    """A paginated list of coalitions or organisations.

    Which are public, and their order, is read once per data version and kept with the figures:
    deciding it runs a few index lookups per organisation, 50 ms for 2,000. A page then
    annotates only its own rows; PostgreSQL would compute the counts of every row it skips.
    """

    def get_paginate_by(self, queryset):
        return settings.PARTIES_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        ids = public_ids(f"{queryset.model._meta.label}-by-name", lambda: queryset)
        return super().paginate_queryset(RowsByIds(queryset, ids), page_size)


class CoalitionListView(PartyListView):
    template_name = "campaigns/coalition_list.html"
    context_object_name = "coalitions"
    extra_context = {"page_title": "Coalitions"}

    def get_queryset(self):
        return (
            public_coalitions()
            .annotate(public_requests=count_per_row(Request.objects.published(), "coalition"))
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
            )
            .order_by("name", "pk")
        )


class OrganisationListView(PartyListView):
    template_name = "campaigns/organisation_list.html"
    context_object_name = "organisations"
    extra_context = {"page_title": "Organisations"}

    def get_queryset(self):
        return (
            public_organisations()
            .annotate(
                public_requests_received=count_per_row(Request.objects.published(), "recipient"),
                coalition_count=count_per_row(public_memberships(), "organisation"),
            )
            .order_by("name", "pk")
        )


class CoalitionDetailView(DetailView):
    template_name = "campaigns/coalition_detail.html"
    context_object_name = "coalition"

    def get_queryset(self):
        return public_coalitions().prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
        )

    def get_context_data(self, **kwargs):
        requests = public_requests().filter(coalition=self.object)
        return super().get_context_data(
            requests=requests[: settings.LATEST_REQUESTS_ON_PARTY_PAGES],
            request_count=requests.count(),
            page_title=self.object.name,
            page_description=self.object.description,
            **kwargs,
        )


class OrganisationDetailView(DetailView):
    template_name = "campaigns/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        return public_organisation_or_404(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        organisation = self.object
        latest = settings.LATEST_REQUESTS_ON_PARTY_PAGES
        memberships, people = organisation_parts(organisation)
        coalitions = [membership.coalition_id for membership in memberships]
        return super().get_context_data(
            memberships=memberships,
            people=people,
            requests_made=public_requests().filter(coalition__in=coalitions)[:latest],
            requests_received=public_requests().filter(recipient=organisation)[:latest],
            scorecard=cached_figures(
                f"scorecard:{organisation.pk}", partial(scorecard_for, organisation)
            ),
            page_title=organisation.name,
            page_description=organisation.description,
            **kwargs,
        )


def attachments_seen(request, slug):
    """Return whether the visitor previews the request, and the attachments they may open."""
    preview = preview_allowed(request, slug)
    return preview, shown_attachments(private=True) if preview else public_attachments()


def attachment_file(request, slug, pk):
    """Serve an attachment if it is public, or to a campaigner who may preview its request."""
    preview, attachments = attachments_seen(request, slug)
    attachment = get_object_or_404(attachments, letter__request__slug=slug, pk=pk)
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The attachment file is missing.") from missing
    content_type = read_content_type(file)
    response = FileResponse(
        file,
        content_type=content_type or "application/octet-stream",
        # A file of no type we know is offered as a download, never shown on the site.
        as_attachment=content_type is None,
        filename=attachment.name,
    )
    # Served from the site's own origin, so sandboxed: no script, form or plugin runs, and the
    # file gets an origin of its own, away from the site's cookies. Browsers' PDF and image
    # viewers still work (tried in Chromium 156); their image page needs inline styles.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return not_stored(response) if preview else response


def letter_attachment(request, slug, pk):
    """Send a link of the time when a letter had one file on to that letter's first file."""
    preview, attachments = attachments_seen(request, slug)
    attachment = attachments.filter(letter__request__slug=slug, letter=pk).first()
    if attachment is None:
        raise Http404("This letter has no attachment.")
    url = reverse("campaigns:attachment", args=[slug, attachment.pk])
    return HttpResponseRedirect(url) if preview else HttpResponsePermanentRedirect(url)


class StatsView(TemplateView):
    template_name = "campaigns/stats.html"

    def get_context_data(self, **kwargs):
        page = scorecards_page(self.request.GET.get("page"), settings.PARTIES_PER_PAGE)
        years, status_rows = cached_figures("status-by-year", status_by_year)
        return super().get_context_data(
            scorecards=page.object_list,
            page_obj=page,
            min_requests=settings.STATS_MIN_REQUESTS_TO_RANK,
            chart=reply_time_chart(page.object_list),
            years=years,
            status_rows=status_rows,
            page_title="Statistics: how public bodies reply",
            page_description="Requests received, replies, replies on time, median working "
            "days to reply and outcomes, for each public body.",
            **kwargs,
        )


class StatsMethodsView(TemplateView):
    """How each statistic is worked out, in words."""

    template_name = "campaigns/stats_methods.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=[(name, label, FIGURE_METHODS[name]) for name, label in FIGURES.items()],
            min_requests=settings.STATS_MIN_REQUESTS_TO_RANK,
            page_title="How the statistics are worked out",
            page_description="What each figure counts, how deadlines are reached, and what the "
            "95% intervals mean.",
            **kwargs,
        )


@require_safe
def robots_txt(request):
    """Tell crawlers where the sitemap is and to keep out of the admin."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def calendar_response(requests, *, party, name, about):
    """Return an iCalendar file of these requests' due dates, named for download.

    Built once per data version and day, as the figures are: calendar programs ask again every
    few minutes, and a busy body's 1,000 events took the icalendar package 190 ms to write.
    """
    ics = cached_figures(
        f"calendar:{party._meta.model_name}:{party.pk}",
        partial(calendar_bytes, requests, name=name, about=about),
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{party.slug}.ics"'
    return response


def coalition_calendar(request, slug):
    """A coalition's public due dates, for campaigners' calendars."""
    coalition = get_object_or_404(public_coalitions(), slug=slug)
    return calendar_response(
        public_requests().filter(coalition=coalition),
        name=f"{coalition.name}: due dates",
        about="Replies awaited and commitments due on the coalition's public requests.",
        party=coalition,
    )


def organisation_calendar(request, slug):
    """When replies from a body, and what it promised, are due, for calendars."""
    organisation = public_organisation_or_404(slug)
    return calendar_response(
        public_requests().filter(recipient=organisation),
        name=f"{organisation.name}: due dates",
        about="Replies awaited from it and commitments it made on public requests.",
        party=organisation,
    )
