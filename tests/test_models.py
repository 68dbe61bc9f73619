"""Integrity rules hold in the database itself, not only in forms."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.sql.compiler import SQLCompiler

from campaigns.choices import MembershipRole
from campaigns.models import Letter, Membership, Request
from tests.factories import (
    CoalitionFactory,
    EventFactory,
    LetterFactory,
    OrganisationFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db


def test_database_refuses_a_second_lead():
    coalition = CoalitionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            coalition=coalition, organisation=OrganisationFactory(), role=MembershipRole.LEAD
        )


def test_model_validation_names_the_second_lead_problem():
    coalition = CoalitionFactory()
    membership = Membership(
        coalition=coalition, organisation=OrganisationFactory(), role=MembershipRole.LEAD
    )
    with pytest.raises(ValidationError, match="only one lead"):
        membership.full_clean()


def test_database_refuses_a_substantive_reply_without_outcome():
    request = LetterFactory().request
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            request=request, direction="received", kind="substantive", date=date(2022, 5, 30)
        )


def test_database_refuses_a_sent_letter_of_a_received_kind():
    request = LetterFactory().request
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            request=request, direction="sent", kind="acknowledgement", date=date(2022, 5, 30)
        )


def test_write_path_refuses_a_sent_letter_of_a_received_kind_with_a_message():
    with pytest.raises(ValidationError, match="initial letter, reminder or follow-up"):
        LetterFactory(kind="acknowledgement")


def test_due_date_is_recomputed_when_the_letter_changes():
    letter = LetterFactory(date=date(2022, 4, 29))
    assert letter.due_on == date(2022, 5, 30)
    letter.reply_requested_by = date(2022, 5, 13)
    letter.save()
    letter.refresh_from_db()
    assert letter.due_on == date(2022, 5, 13)


def test_received_letters_have_no_due_date():
    assert LetterFactory(reply=True).due_on is None


def test_event_date_shows_its_precision_and_note():
    event = EventFactory(date=date(2022, 5, 31), date_precision="year", date_note="after 30 May")
    assert event.display_date() == "2022 (after 30 May)"


def test_string_forms_read_well():
    letter = LetterFactory(date=date(2022, 4, 29))
    assert str(letter) == "Initial letter, 29 April 2022"
    assert str(letter.request.coalition.memberships.get(role="lead")).endswith("(Lead)")


def test_reading_rounds_builds_no_query_for_rows_without_them(monkeypatch):
    unsent = RequestFactory()
    awaiting = LetterFactory(date=date(2024, 3, 4)).request
    built = []
    compile_query = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda self, *a, **k: built.append(self) or compile_query(self, *a, **k),
    )
    (row,) = Request.objects.filter(pk=unsent.pk).with_rounds()
    assert len(built) == 1  # the rows alone: no letter to read for either round
    assert row.open_letter is None and row.latest_reply is None
    built.clear()
    (row,) = Request.objects.filter(pk=awaiting.pk).with_rounds()
    assert len(built) == 2  # the rows, then the open round's letter
    assert row.open_letter == awaiting.letters.get() and row.latest_reply is None
