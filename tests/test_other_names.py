"""Organisations' other names (DfE, CSPRP): kept tidy, searched in the admin and on the site."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Organisation
from campaigns.names import MAX_OTHER_NAMES, names_word, split_other_names
from campaigns.public import public_organisations_named
from tests.factories import OrganisationFactory, PublicBodyFactory, RequestFactory
from tests.test_cache import admin_form_data

pytestmark = pytest.mark.django_db


def test_other_names_are_tidied_one_per_line_each_once_without_the_name_itself():
    written = "  DfE \n\nD.f.E.\nDepartment   for Education\ndfe\nDepartment of Education\n"
    assert split_other_names(written, "Department for Education") == [
        "DfE",
        "D.f.E.",
        "Department of Education",
    ]


def test_an_abbreviation_matches_whole_words_only():
    assert names_word("DfE", ["Department for Education", "DfE"])
    assert names_word("dfe", ["DfE"])
    assert names_word("education", ["Department for Education"])
    assert not names_word("DfE", ["Oldfeld Trust"])  # "dfe" inside a word
    assert not names_word("!!", ["DfE"])


def test_saving_through_the_model_rules_stores_the_tidy_list():
    body = PublicBodyFactory(name="Child Safeguarding Practice Review Panel")
    body.other_names = "CSPRP\n csprp \nthe Panel"
    body.full_clean()
    body.save()
    body.refresh_from_db()
    assert body.also_known_as == ["CSPRP", "the Panel"]


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("\n".join(f"Name {n}" for n in range(MAX_OTHER_NAMES + 1)), "at most 20 other names"),
        ("A" * 201, "at most 200 characters"),
    ],
)
def test_too_many_or_too_long_other_names_are_refused_saying_why(written, problem):
    body = PublicBodyFactory()
    body.other_names = written
    with pytest.raises(ValidationError) as refused:
        body.full_clean()
    assert problem in " ".join(refused.value.message_dict["other_names"])


def test_the_admin_finds_an_organisation_by_an_other_name(staff_client):
    PublicBodyFactory(name="Department for Education", other_names="DfE")
    PublicBodyFactory(name="Home Office")
    listing = staff_client.get(reverse("admin:campaigns_organisation_changelist"), {"q": "dfe"})
    page = listing.content.decode()
    assert "Department for Education" in page
    assert "Home Office" not in page


def test_the_recipient_box_finds_an_organisation_by_an_other_name(staff_client):
    body = PublicBodyFactory(name="Department for Education", other_names="DfE")
    found = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "campaigns",
            "model_name": "request",
            "field_name": "recipient",
            "term": "DfE",
        },
    )
    assert found.status_code == HTTPStatus.OK
    assert [result["id"] for result in found.json()["results"]] == [str(body.pk)]


def test_adding_an_organisation_by_a_recorded_other_name_asks_first(staff_client):
    PublicBodyFactory(name="Department for Education", other_names="DfE")
    add = reverse("admin:campaigns_organisation_add")
    data = admin_form_data(staff_client.get(add), name="DfE", slug="dfe", kind="public_body")
    refused = staff_client.post(add, data).content.decode()
    assert (
        "An organisation with a similar name is already recorded: Department for Education "
        "(also known as DfE)" in refused
    )
    assert not Organisation.objects.filter(slug="dfe").exists()


def test_adding_an_organisation_whose_other_name_is_recorded_asks_first(staff_client):
    PublicBodyFactory(name="Department for Education")
    add = reverse("admin:campaigns_organisation_add")
    data = admin_form_data(
        staff_client.get(add),
        name="Dept. for Ed.",
        other_names="Department for Education",
        slug="dept-for-ed",
        kind="public_body",
    )
    refused = staff_client.post(add, data).content.decode()
    assert "similar name is already recorded: Department for Education" in refused


def test_a_public_search_by_an_other_name_offers_the_organisation_and_its_requests(client):
    body = PublicBodyFactory(name="Department for Education", other_names="DfE")
    RequestFactory(recipient=body, title="Publish the data")
    PublicBodyFactory(name="Oldfeld Trust")
    hidden = PublicBodyFactory(name="Draft Body", other_names="DfE")
    RequestFactory(recipient=hidden, is_published=False)
    page = client.get(reverse("campaigns:request-list"), {"q": "DfE"}).content.decode()
    assert "Organisations named “DfE”" in page
    assert f'href="{body.get_absolute_url()}">Department for Education</a>' in page
    assert f'href="/requests/?recipient={body.slug}">see the requests made to it</a>' in page
    assert "Oldfeld" not in page
    assert "Draft Body" not in page  # named only by a draft: not public


def test_a_search_offers_an_organisation_by_a_name_given_since_the_last_search(
    client, settings, django_capture_on_commit_callbacks
):
    settings.FIGURES_CACHE_SECONDS = 300  # the names are kept with the figures
    body = PublicBodyFactory(name="Department for Education")
    RequestFactory(recipient=body, title="Publish the data")
    url, search = reverse("campaigns:request-list"), {"q": "DfE"}
    assert "Organisations named" not in client.get(url, search).content.decode()
    body.other_names = "DfE"
    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        body.save()
    page = client.get(url, search).content.decode()
    assert f'href="{body.get_absolute_url()}">Department for Education</a>' in page


def test_a_search_finds_organisations_by_any_name_in_name_order_whatever_their_characters():
    named = {
        "Kinship Trust": "",
        "Advocacy\x1fKinship\x1dNetwork": "",  # the separators of the kept names, typed in
        "Grandparents Plus": "The Kinship charity",
        "Zebra Group": "",
    }
    for name, other_names in named.items():
        RequestFactory(recipient=PublicBodyFactory(name=name, other_names=other_names))
    RequestFactory(recipient=PublicBodyFactory(name="Other", slug="kinship-slug-only"))

    found = public_organisations_named("kinship", limit=10)
    assert [organisation.name for organisation in found] == [
        "Advocacy Kinship Network",
        "Grandparents Plus",
        "Kinship Trust",
    ]
    assert found[1].also_known_as == ["The Kinship charity"]
    assert (
        found[2].get_absolute_url()
        == Organisation.objects.get(name="Kinship Trust").get_absolute_url()
    )
    assert public_organisations_named("kinship", limit=1) == found[:1]
    assert public_organisations_named("zebra")[0].name == "Zebra Group"
    assert public_organisations_named("slug") == []


def test_a_search_naming_no_organisation_shows_no_organisations(client):
    RequestFactory(title="Publish the data")
    page = client.get(reverse("campaigns:request-list"), {"q": "data"}).content.decode()
    assert "Organisations named" not in page


def test_the_organisation_page_and_api_give_its_other_names(client, demo):
    panel = demo.recipient
    assert panel.also_known_as == ["CSPRP"]
    page = client.get(panel.get_absolute_url()).content.decode()
    assert "Also known as CSPRP" in page
    api = client.get(reverse("api:organisation-detail", kwargs={"slug": panel.slug})).json()
    assert api["other_names"] == ["CSPRP"]


def test_a_campaigner_cannot_save_an_organisation_without_names_limits(staff_client):
    body = OrganisationFactory(name="Nagalro")
    change = reverse("admin:campaigns_organisation_change", args=[body.pk])
    data = admin_form_data(staff_client.get(change), other_names="x" * 300)
    refused = staff_client.post(change, data)
    assert refused.status_code == HTTPStatus.OK
    assert "Each other name can be at most 200 characters long" in refused.content.decode()
    body.refresh_from_db()
    assert body.other_names == ""
