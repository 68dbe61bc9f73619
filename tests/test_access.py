"""Access per coalition: campaigners see and change only their coalitions' rows, and only
publishers publish."""

from datetime import date, timedelta
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Attachment, Coalition, Request
from campaigns.preview import draft_preview_allowed
from tests.admin_forms import request_form_data
from tests.documents import pdf
from tests.factories import (
    CoalitionFactory,
    EventFactory,
    LetterFactory,
    PublicBodyFactory,
    RequestFactory,
    attach,
)
from workspace.models import CoalitionRole, Role

pytestmark = pytest.mark.django_db

MARKER = "Zebrafinch"  # Written into every text of coalition B; never shown to A's campaigners.
# Searched for in lower case, which finds the marker but is not it when the page repeats it.
SEARCH = MARKER.lower()
ADD_REQUEST = reverse("admin:campaigns_request_add")
REFUSED = "Only a publisher of"


def make_campaigner(django_user_model, username, roles):
    """Return a staff user in the Campaigners group with a role in each coalition given."""
    user = django_user_model.objects.create_user(username, password="x-long-pw-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Campaigners"))
    for coalition, role in roles.items():
        CoalitionRole.objects.create(user=user, coalition=coalition, role=role)
    return user


@pytest.fixture
def coalitions():
    return CoalitionFactory(name="Coalition A"), CoalitionFactory(name=f"Coalition {MARKER}")


@pytest.fixture
def world(coalitions):
    """Return A's and B's requests: each a draft and a published one, with letters and events."""
    a, b = coalitions
    made = {}
    for coalition, words in ((a, "Alpha"), (b, MARKER)):
        for published in (False, True):
            request = RequestFactory(
                coalition=coalition,
                is_published=published,
                title=f"{words} request {published}",
                summary=f"{words} ask",
            )
            letter = LetterFactory(
                request=request, subject=f"{words} subject", body=f"{words} body"
            )
            attach(letter, pdf(f"{words} file"), f"{words}-{published}.pdf")
            EventFactory(request=request, title=f"{words} event", description=f"{words} text")
            made[coalition.pk, published] = request
    return made


def login(client, user):
    client.force_login(user)
    return client


def object_urls(model, obj):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return [reverse(f"{info}_{view}", args=[obj.pk]) for view in ("change", "delete", "history")]


def autocomplete_urls():
    """Return the autocomplete address of every autocomplete field, with and without a term."""
    urls = []
    for model_admin in admin.site._registry.values():
        for source in (
            model_admin,
            *(inline(model_admin.model, admin.site) for inline in model_admin.inlines),
        ):
            for field_name in source.autocomplete_fields:
                for term in ("", SEARCH, "request"):
                    query = {
                        "app_label": source.model._meta.app_label,
                        "model_name": source.model._meta.model_name,
                        "field_name": field_name,
                        "term": term,
                    }
                    urls.append(f"{reverse('admin:autocomplete')}?{urlencode(query)}")
    return urls


def every_admin_url(hidden):
    """Return every admin address, and those of the `hidden` objects (by model) apart."""
    visible, of_hidden = [reverse("admin:index")], []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"{info}_changelist")
        visible += [changelist, f"{changelist}?q={SEARCH}", reverse(f"{info}_add")]
        for obj in model._default_manager.all():
            urls = object_urls(model, obj)
            (of_hidden if obj in hidden.get(model, ()) else visible).extend(urls)
    return visible + autocomplete_urls(), of_hidden


def test_a_campaigner_of_a_reaches_none_of_coalition_bs_rows_at_any_admin_address(
    client, django_user_model, coalitions, world
):
    a, b = coalitions
    user = make_campaigner(django_user_model, "ann", {a: Role.PUBLISHER})
    hidden = {Request: list(b.requests.all()), Coalition: [b]}
    visible, of_hidden = every_admin_url(hidden)
    assert len(of_hidden) == 3 * 3 and len(visible) > 50

    login(client, user)
    seen = {}
    for url in visible:
        response = client.get(url)
        seen[url] = response.status_code
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN), url
        assert MARKER not in response.content.decode(), url
    for url in of_hidden:
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        assert MARKER not in response.content.decode(), url
    # The walk did reach A's own rows and the request list.
    a_draft = world[a.pk, False]
    assert seen[object_urls(Request, a_draft)[0]] == HTTPStatus.OK
    assert (
        "Alpha request False"
        in client.get(reverse("admin:campaigns_request_changelist")).content.decode()
    )


def test_a_superuser_reaches_every_coalitions_rows(admin_client, coalitions, world):
    a, b = coalitions
    changelist = admin_client.get(f"{reverse('admin:campaigns_request_changelist')}?q={SEARCH}")
    assert f"{MARKER} request False" in changelist.content.decode()
    for url in object_urls(Request, world[b.pk, False]):
        response = admin_client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert MARKER in response.content.decode()


def test_posting_to_another_coalitions_request_is_a_404_and_changes_nothing(
    client, django_user_model, coalitions, world
):
    a, b = coalitions
    login(client, make_campaigner(django_user_model, "ann", {a: Role.PUBLISHER}))
    theirs = world[b.pk, False]
    change, delete, _ = object_urls(Request, theirs)
    assert client.post(change, {"title": "Taken over"}).status_code == HTTPStatus.NOT_FOUND
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.NOT_FOUND
    assert Request.objects.get(pk=theirs.pk).title == theirs.title


def test_a_request_cannot_be_added_to_another_coalition(client, django_user_model, coalitions):
    a, b = coalitions
    login(client, make_campaigner(django_user_model, "ann", {a: Role.PUBLISHER}))
    data = request_form_data(coalition=b, recipient=PublicBodyFactory(), is_published="")
    response = client.post(ADD_REQUEST, data)
    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["coalition"])
    assert not Request.objects.exists()


def test_campaigners_may_propose_shared_organisations_but_not_delete_them(
    client, django_user_model, coalitions, world
):
    a, _ = coalitions
    login(client, make_campaigner(django_user_model, "ann", {a: Role.EDITOR}))
    recipient = world[a.pk, False].recipient
    assert client.get(reverse("admin:campaigns_organisation_add")).status_code == HTTPStatus.OK
    for view in ("change", "delete"):
        url = reverse(f"admin:campaigns_organisation_{view}", args=[recipient.pk])
        expected = HTTPStatus.OK if view == "change" else HTTPStatus.FORBIDDEN
        assert client.get(url).status_code == expected


def test_the_campaigners_group_holds_the_model_permissions_but_no_deleting_shared_parties():
    codenames = set(
        Group.objects.get(name="Campaigners").permissions.values_list("codename", flat=True)
    )
    assert {"add_request", "change_letter", "view_event", "change_membership"} <= codenames
    assert {"add_organisation", "change_person", "view_coalition"} <= codenames
    assert not codenames & {"delete_organisation", "delete_person", "change_coalition"}


# --- Publishing ---------------------------------------------------------------------------


def test_an_editor_sees_publishing_read_only_and_can_save_a_draft(
    client, django_user_model, coalitions
):
    a, _ = coalitions
    login(client, make_campaigner(django_user_model, "ed", {a: Role.EDITOR}))
    form = client.get(ADD_REQUEST).context["adminform"].form
    assert form.fields["is_published"].disabled

    data = request_form_data(coalition=a, recipient=PublicBodyFactory(), is_published="")
    assert client.post(ADD_REQUEST, data).status_code == HTTPStatus.FOUND
    assert not Request.objects.get().is_published


def test_an_editor_cannot_publish_by_a_forged_post(client, django_user_model, coalitions):
    a, _ = coalitions
    login(client, make_campaigner(django_user_model, "ed", {a: Role.EDITOR}))
    data = request_form_data(coalition=a, recipient=PublicBodyFactory(), is_published="on")
    response = client.post(ADD_REQUEST, data)
    assert response.status_code == HTTPStatus.OK
    assert REFUSED in response.content.decode()
    assert not Request.objects.exists()


def test_an_editor_cannot_publish_their_draft_by_a_forged_post(
    client, django_user_model, coalitions, world
):
    a, _ = coalitions
    login(client, make_campaigner(django_user_model, "ed", {a: Role.EDITOR}))
    draft = world[a.pk, False]
    change = object_urls(Request, draft)[0]
    data = request_form_data(
        coalition=a, recipient=draft.recipient, slug=draft.slug, is_published="on"
    )
    response = client.post(change, data)
    assert response.status_code == HTTPStatus.OK
    assert REFUSED in response.content.decode()
    assert not Request.objects.get(pk=draft.pk).is_published


def test_an_editor_cannot_change_or_delete_a_published_request(
    client, django_user_model, coalitions, world
):
    a, _ = coalitions
    login(client, make_campaigner(django_user_model, "ed", {a: Role.EDITOR}))
    published = world[a.pk, True]
    change, delete, _ = object_urls(Request, published)
    response = client.get(change)
    assert response.status_code == HTTPStatus.OK
    assert not response.context["has_change_permission"]
    data = request_form_data(coalition=a, recipient=published.recipient, title="Changed")
    assert client.post(change, data).status_code == HTTPStatus.FORBIDDEN
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Request.objects.get(pk=published.pk).title == published.title


def test_a_publisher_publishes_their_coalitions_draft(client, django_user_model, coalitions, world):
    a, _ = coalitions
    login(client, make_campaigner(django_user_model, "pub", {a: Role.PUBLISHER}))
    draft = world[a.pk, False]
    data = request_form_data(
        coalition=a, recipient=draft.recipient, slug=draft.slug, is_published="on"
    )
    assert client.post(object_urls(Request, draft)[0], data).status_code == HTTPStatus.FOUND
    assert Request.objects.get(pk=draft.pk).is_published


def test_a_publisher_of_a_cannot_publish_b_where_they_only_edit(
    client, django_user_model, coalitions, world
):
    a, b = coalitions
    login(client, make_campaigner(django_user_model, "pub", {a: Role.PUBLISHER, b: Role.EDITOR}))
    draft = world[b.pk, False]
    change = object_urls(Request, draft)[0]
    assert client.get(change).context["adminform"].form.fields["is_published"].disabled
    data = request_form_data(
        coalition=b, recipient=draft.recipient, slug=draft.slug, is_published="on"
    )
    response = client.post(change, data)
    assert REFUSED in response.content.decode()
    # Nor by adding it to B published, nor by moving A's published request into B.
    data = request_form_data(coalition=b, recipient=draft.recipient, is_published="on")
    assert REFUSED in client.post(ADD_REQUEST, data).content.decode()
    ours = world[a.pk, True]
    data = request_form_data(
        coalition=b, recipient=ours.recipient, slug=ours.slug, is_published="on"
    )
    assert REFUSED in client.post(object_urls(Request, ours)[0], data).content.decode()
    assert Request.objects.filter(coalition=b, is_published=True).count() == 1


def test_a_publisher_of_a_cannot_schedule_b(client, django_user_model, coalitions, world):
    a, b = coalitions
    login(client, make_campaigner(django_user_model, "pub", {a: Role.PUBLISHER, b: Role.EDITOR}))
    draft = world[b.pk, False]
    form = client.get(object_urls(Request, draft)[0]).context["adminform"].form
    if "publish_at" not in form.fields:
        pytest.skip("the request form has no embargo field yet")
    assert form.fields["publish_at"].disabled
    data = request_form_data(
        coalition=b,
        recipient=draft.recipient,
        slug=draft.slug,
        is_published="",
        publish_at_0="01/01/2030",
        publish_at_1="09:00",
    )
    assert REFUSED in client.post(object_urls(Request, draft)[0], data).content.decode()
    assert Request.objects.get(pk=draft.pk).publish_at is None


def test_draft_preview_is_allowed_only_for_the_requests_coalitions(
    django_user_model, coalitions, world
):
    a, b = coalitions
    user = make_campaigner(django_user_model, "ed", {a: Role.EDITOR})
    assert draft_preview_allowed(user, world[a.pk, False])
    assert not draft_preview_allowed(user, world[b.pk, False])


def test_a_campaigner_opens_the_files_of_their_coalitions_drafts_only(
    client, django_user_model, coalitions, world
):
    a, b = coalitions
    login(client, make_campaigner(django_user_model, "ed", {a: Role.EDITOR}))
    for coalition, status in ((a, HTTPStatus.OK), (b, HTTPStatus.NOT_FOUND)):
        draft = world[coalition.pk, False]
        attachment = Attachment.objects.get(letter__request=draft)
        url = reverse("campaigns:attachment", args=[draft.slug, attachment.pk])
        assert client.get(url).status_code == status
    change_page = client.get(object_urls(Request, world[a.pk, False])[0]).content.decode()
    assert "Alpha-False.pdf" in change_page


def test_roles_are_edited_on_the_user_and_coalition_pages(
    admin_client, django_user_model, coalitions
):
    a, _ = coalitions
    user = make_campaigner(django_user_model, "ed", {a: Role.EDITOR})
    for url, prefix in (
        (reverse("admin:auth_user_change", args=[user.pk]), "coalition_roles"),
        (reverse("admin:campaigns_coalition_change", args=[a.pk]), "roles"),
    ):
        assert f'name="{prefix}-TOTAL_FORMS"' in admin_client.get(url).content.decode()


# --- Where to start -----------------------------------------------------------------------


def requests_to_act_on(coalition, words, count):
    """Make `count` each of drafts, replies due within a week and overdue requests."""
    today = timezone.localdate()
    for index in range(count):
        RequestFactory(coalition=coalition, is_published=False, title=f"{words} draft {index}")
        soon = RequestFactory(coalition=coalition, title=f"{words} due {index}")
        LetterFactory(request=soon, date=today, reply_requested_by=today + timedelta(days=3))
        late = RequestFactory(coalition=coalition, title=f"{words} late {index}")
        LetterFactory(request=late, date=date(2022, 4, 29))
        later = RequestFactory(coalition=coalition, title=f"{words} later {index}")
        LetterFactory(request=later, date=today, reply_requested_by=today + timedelta(days=30))


def test_the_admin_home_lists_the_campaigners_coalitions_drafts_due_and_overdue(
    client, django_user_model, coalitions
):
    a, b = coalitions
    requests_to_act_on(a, "Alpha", 2)
    requests_to_act_on(b, MARKER, 2)
    login(client, make_campaigner(django_user_model, "ed", {a: Role.EDITOR}))
    page = client.get(reverse("admin:index")).content.decode()
    assert MARKER not in page
    assert "Coalition A" in page and "(editor)" in page
    for words in ("Alpha draft 1", "Alpha due 0", "Alpha late 1"):
        assert words in page
    assert "Alpha later" not in page
    drafts = page.split("Your drafts")[1].split("Replies due")[0]
    assert "Alpha draft 0" in drafts and "Alpha due" not in drafts
    late = Request.objects.get(title="Alpha late 0")
    assert reverse("admin:campaigns_request_change", args=[late.pk]) in page


def test_the_admin_home_runs_the_same_queries_however_many_requests(
    client, django_user_model, coalitions
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, _ = coalitions
    user = make_campaigner(django_user_model, "ed", {a: Role.EDITOR})
    counts = []
    for count in (1, 12):
        requests_to_act_on(a, f"Batch {count}", count)
        login(client, user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("admin:index"))
        assert response.status_code == HTTPStatus.OK
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert "All overdue" in response.content.decode()
