"""The read-only JSON API: requests, coalitions and organisations, public data only."""

from functools import partial

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination

from campaigns.filters import RequestFilter
from campaigns.models import Membership
from campaigns.pagination import request_paginator
from campaigns.public import (
    letters_with_people,
    public_coalitions,
    public_organisations,
    public_people,
    public_requests,
    set_commitment_counts,
    shown_commitments,
    timeline_events,
)
from campaigns.serializers import (
    CoalitionSerializer,
    OrganisationSerializer,
    RequestDetailSerializer,
    RequestSerializer,
)

PUBLIC_PEOPLE = Prefetch("people", queryset=public_people())
MEMBERSHIPS = Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))

NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT, description="No such public item, or no such page."
)
BAD_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A filter value is not valid; the body names each field."
)


def documented(serializer, detail_serializer=None, filtered=False):
    """Document the list and detail responses, errors included."""
    list_responses = {200: serializer(many=True), 404: NOT_FOUND}
    if filtered:
        list_responses[400] = BAD_FILTER
    return extend_schema_view(
        list=extend_schema(responses=list_responses),
        retrieve=extend_schema(responses={200: detail_serializer or serializer, 404: NOT_FOUND}),
    )


class RequestPagination(PageNumberPagination):
    """Pages of requests found and counted as the web list's: deep pages by their ids first."""

    def paginate_queryset(self, queryset, request, view=None):
        # The filter backend has already refused invalid values, so the raw ones can be read.
        chosen = {name: request.query_params.get(name) for name in RequestFilter.base_filters}
        self.django_paginator_class = partial(request_paginator, chosen=chosen)
        return super().paginate_queryset(queryset, request, view)


@documented(RequestSerializer, RequestDetailSerializer, filtered=True)
class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Public requests, filtered like the web list: q, status, coalition, recipient, year."""

    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = RequestFilter
    pagination_class = RequestPagination

    def get_queryset(self):
        requests = public_requests().with_rounds()
        if self.action == "retrieve":
            return requests.select_related("recipient_person").prefetch_related(
                Prefetch("letters", queryset=letters_with_people().select_related("request")),
                Prefetch("events", queryset=timeline_events().select_related("request")),
                Prefetch("coalition__memberships", queryset=MEMBERSHIPS.queryset),
                Prefetch("commitments", queryset=shown_commitments()),
            )
        return requests

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else set_commitment_counts(page)

    def get_object(self):
        req = super().get_object()
        set_commitment_counts([req], req.commitments.all())
        return req

    def get_serializer_class(self):
        return RequestDetailSerializer if self.action == "retrieve" else RequestSerializer


@documented(CoalitionSerializer)
class CoalitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Coalitions and their member organisations."""

    lookup_field = "slug"
    serializer_class = CoalitionSerializer
    queryset = public_coalitions().prefetch_related(MEMBERSHIPS).order_by("name")


@documented(OrganisationSerializer)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations: coalition members and the bodies requests are made to."""

    lookup_field = "slug"
    serializer_class = OrganisationSerializer
    queryset = public_organisations().prefetch_related(PUBLIC_PEOPLE).order_by("name")
