"""URLs of the JSON API and its OpenAPI schema."""

from django.urls import path
from django.urls.converters import SlugConverter
from django.views import View
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from campaigns import api

app_name = "api"


class SlugRouter(DefaultRouter):
    """Route items by slug, matched as the site's own pages match them.

    DRF's default matches any text, so a NUL byte in the address reached PostgreSQL: a 500.
    """

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        return f"(?P<{lookup_prefix}{viewset.lookup_field}>{SlugConverter.regex})"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, of the API's one version.

    drf-spectacular writes a `version` parameter into the download's file name, a header: a
    newline in it was a server error. The API has no versions, so the parameter is ignored.
    """

    def _get_version_parameter(self, request):
        return None


class ApiDocsView(SpectacularSwaggerView):
    """The browsable API docs."""

    def options(self, request, *args, **kwargs):
        # DRF answers OPTIONS with metadata for the view's renderer, here an HTML template that
        # has nothing to show it with (a 500); answer as a plain page does, with the methods.
        return View.options(self, request, *args, **kwargs)


router = SlugRouter()
router.register("requests", api.RequestViewSet, basename="request")
router.register("coalitions", api.CoalitionViewSet, basename="coalition")
router.register("organisations", api.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
