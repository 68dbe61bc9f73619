"""Root URLs: the public site and the campaigners' admin."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from campaigns.sitemaps import SITEMAPS
from campaigns.views import robots_txt

admin.site.site_header = "Campaign correspondence tracker"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Record requests, letters and events"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The index, which robots.txt names, lists each section's pages.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("api/", include("campaigns.api_urls")),
    path("", include("campaigns.urls")),
]

handler404 = "campaigns.views.page_not_found"
