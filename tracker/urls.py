"""Root URLs: the public site and the campaigners' admin."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from campaigns.sitemaps import SITEMAPS
from campaigns.views import robots_txt

admin.site.site_header = "Campaign correspondence tracker"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Record requests, letters and events"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("api/", include("campaigns.api_urls")),
    path("", include("campaigns.urls")),
]

handler404 = "campaigns.views.page_not_found"
