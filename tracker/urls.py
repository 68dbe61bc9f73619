"""Root URLs: the public site and the campaigners' admin."""

from functools import partial

from django.contrib import admin
from django.urls import include, path

from campaigns import sitemaps
from campaigns.views import robots_txt
from workspace.views import alert_choices

admin.site.site_header = "Campaign correspondence tracker"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Record requests, letters and events"

urlpatterns = [
    path(
        "admin/alerts/",
        admin.site.admin_view(partial(alert_choices, admin_site=admin.site)),
        name="alerts",
    ),
    path("admin/", admin.site.urls),
    # The index, which robots.txt names, lists each section's pages.
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("api/", include("campaigns.api_urls")),
    path("follow/", include("following.urls")),
    path("", include("campaigns.urls")),
]

# JSON under /api/, the site's pages elsewhere; 503 rather than 500 when the database is down.
handler400 = "campaigns.errors.bad_request"
handler403 = "campaigns.errors.permission_denied"
handler404 = "campaigns.errors.page_not_found"
handler500 = "campaigns.errors.server_error"
