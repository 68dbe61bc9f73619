"""Root URLs: the public site and the campaigners' admin."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Campaign correspondence tracker"
admin.site.site_title = "Tracker admin"
admin.site.index_title = "Record requests, letters and events"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("campaigns.urls")),
]
