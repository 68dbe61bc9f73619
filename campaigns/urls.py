"""Public URLs of the tracker."""

from django.urls import path
from django.views.decorators.http import require_safe

from campaigns import converters, exports, feeds, views  # noqa: F401 (registers <id:>)

app_name = "campaigns"

# The public site only reads. Class-based views answer other methods with 405 by themselves;
# feeds and function views would answer any method, so they are limited to GET and HEAD here.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feeds/latest/", require_safe(feeds.LatestActivityFeed()), name="latest-feed"),
    path("requests/", views.RequestListView.as_view(), name="request-list"),
    path("requests/feed/", require_safe(feeds.RequestListFeed()), name="request-list-feed"),
    path("requests/export.csv", require_safe(exports.request_list_csv), name="request-list-csv"),
    path("requests/<slug:slug>/", views.RequestDetailView.as_view(), name="request-detail"),
    path("requests/<slug:slug>/feed/", require_safe(feeds.RequestFeed()), name="request-feed"),
    path("requests/<slug:slug>/embed/", views.RequestEmbedView.as_view(), name="request-embed"),
    path(
        "requests/<slug:slug>/attachments/<id:pk>/",
        require_safe(views.attachment_file),
        name="attachment",
    ),
    path(
        "requests/<slug:slug>/letters/<id:pk>/attachment/",
        require_safe(views.letter_attachment),
        name="letter-attachment",
    ),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("stats/methods/", views.StatsMethodsView.as_view(), name="stats-methods"),
    path("coalitions/", views.CoalitionListView.as_view(), name="coalition-list"),
    path("coalitions/<slug:slug>/", views.CoalitionDetailView.as_view(), name="coalition-detail"),
    path(
        "coalitions/<slug:slug>/feed/", require_safe(feeds.CoalitionFeed()), name="coalition-feed"
    ),
    path(
        "coalitions/<slug:slug>/calendar.ics",
        require_safe(views.coalition_calendar),
        name="coalition-calendar",
    ),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/feed/",
        require_safe(feeds.OrganisationFeed()),
        name="organisation-feed",
    ),
    path(
        "organisations/<slug:slug>/calendar.ics",
        require_safe(views.organisation_calendar),
        name="organisation-calendar",
    ),
]
