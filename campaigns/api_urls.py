"""URLs of the JSON API and its OpenAPI schema."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from campaigns import api

app_name = "api"

router = DefaultRouter()
router.register("requests", api.RequestViewSet, basename="request")
router.register("coalitions", api.CoalitionViewSet, basename="coalition")
router.register("organisations", api.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
