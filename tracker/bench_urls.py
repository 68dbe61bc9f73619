"""The site's URLs plus `bench/trivial/`, the baseline each page's throughput is compared with."""

from django.http import HttpResponse
from django.urls import path

from tracker.urls import handler404
from tracker.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "urlpatterns"]


def trivial(request):
    """Answer with two bytes and no database query: the cost of Django and gunicorn alone."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *site_urlpatterns]
