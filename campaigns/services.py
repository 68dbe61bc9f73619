"""Writes that span several models: recording letters and events and storing what they imply.

Every write of a letter or an event goes through here (the admin, the demo loader, imports and
tests), and ends with `request_refresh`, which runs the round rule once and stores its facts on
the request and its letters in the same transaction. Memberships edited together go through
`memberships_save`, which keeps one lead in every coalition that has members.
"""

from collections import Counter, defaultdict
from datetime import timedelta
from itertools import count
from uuid import uuid4

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaigns.asks import answered_apart, combined_outcome
from campaigns.attachments import (
    FILES_PER_SAVE_MAX,
    display_name,
    extract_pdf_text,
    read_content_type,
    uncommitted_files_removed,
)
from campaigns.cache import public_data_changed
from campaigns.choices import Direction, LetterKind, MembershipRole, OrganisationKind
from campaigns.correspondence import ReplyTiming, reply_timings, request_facts
from campaigns.grouping import grouped
from campaigns.models import (
    FACT_FIELDS,
    SEARCH_TEXT_FIELDS,
    STORED_FIELDS,
    Ask,
    AskAnswer,
    Attachment,
    Coalition,
    Commitment,
    DeadlineChange,
    Event,
    Letter,
    Membership,
    Organisation,
    Request,
    signature_names,
)
from campaigns.names import comparable_name
from campaigns.public import feed_moment
from campaigns.search import SearchText, request_search_text, search_vector_sql
from workspace.models import CoalitionRole, Role

# Letter fields that store the timing of a received letter against its round's letter.
TIMING_FIELDS = ("answers_id", "days_taken", "working_days_taken", "on_time", "on_time_original")
# Letter fields the refresh stores: a sent letter's due date after its ledger, and timings.
REFRESHED_LETTER_FIELDS = ("due_on", "feed_dated_at", *TIMING_FIELDS)


@uncommitted_files_removed()
@transaction.atomic
def letter_record(
    *,
    request,
    signatories=None,
    signers=None,
    signed_by_every_member=False,
    files=(),
    **fields,
) -> Letter:
    """Record a letter on a request with its signatory organisations, the people who signed
    and its files.

    `signed_by_every_member` adds each member of the coalition to the signatories of a sent letter.
    What could not be read of the files' text is in the letter's `attachment_problems`.
    """
    letter = Letter(request=request, **fields)
    letter.full_clean()
    letter.save()
    if signatories:
        letter.signatories.set(signatories)
    if signers:
        letter.signers.set(signers)
    if signed_by_every_member:
        letters_sign_by_members(letters=[letter])
    if signatories or signers or signed_by_every_member:
        signatures_record(letters=[letter])
    letter.attachment_problems = attachments_save(letter=letter, added=files)
    request_refresh(request=request)
    return letter


@uncommitted_files_removed()
@transaction.atomic
def attachments_save(*, letter, added=(), private=None, removed=()) -> list[str]:
    """Add files to a saved letter, set which of its attachments are private, remove some.

    `private` is the ids of the letter's attachments to keep private (None leaves each as it
    is); ids of other letters' attachments are ignored. Run `request_refresh` afterwards, as
    the text of the files is searched. Return what could not be read of the added files' text.
    """
    if len(added) > FILES_PER_SAVE_MAX:
        raise ValidationError(
            _("Add at most %(count)d files to a letter at once.") % {"count": FILES_PER_SAVE_MAX}
        )
    kept = letter.attachments.exclude(pk__in=list(removed))
    letter.attachments.filter(pk__in=list(removed)).delete()
    if private is not None:
        private = set(private)
        for attachment in kept.defer("text"):
            if attachment.is_private != (attachment.pk in private):
                attachment.is_private = attachment.pk in private
                attachment.save(update_fields=["is_private"])
    problems = []
    for file in added:
        content_type = read_content_type(file)
        extracted = extract_pdf_text(file)
        attachment = Attachment(
            letter=letter,
            file=file,
            name=display_name(file.name, content_type),
            content_type=content_type or "",
            size=file.size,
            text=extracted.text,
        )
        try:
            attachment.full_clean()
        except ValidationError as refused:
            # Said of the file by name: a letter may bring several, from a form or an e-mail.
            raise ValidationError(
                [f"“{attachment.name}”: {message}" for message in refused.messages]
            ) from None
        attachment.save()
        if extracted.problem:
            problems.append(extracted.problem)
    if added or removed or private is not None:
        public_data_changed()
    return problems


@transaction.atomic
def answers_save(*, letter, outcomes):
    """Record how far a reply met each ask, by ask id; an ask left out was not answered by it.

    The reply's own outcome becomes its answers' outcomes put together (campaigns.asks). Run
    `request_refresh` afterwards.
    """
    asks = set(
        Ask.objects.filter(request=letter.request_id, pk__in=list(outcomes)).values_list(
            "pk", flat=True
        )
    )
    outcomes = {ask: outcome for ask, outcome in outcomes.items() if ask in asks}
    letter.ask_answers.exclude(ask__in=list(outcomes)).delete()
    saved = {answer.ask_id: answer for answer in letter.ask_answers.all()}
    for ask, outcome in outcomes.items():
        answer = saved.get(ask) or AskAnswer(letter=letter, ask_id=ask)
        if answer.outcome != outcome:
            answer.outcome = outcome
            answer.full_clean(validate_unique=False, validate_constraints=False)
            answer.save()
    if outcomes and letter.outcome != (combined := combined_outcome(outcomes.values())):
        letter.outcome = combined
        letter.save(update_fields=["outcome"])


@uncommitted_files_removed()
@transaction.atomic
def letter_change(*, letter, **fields) -> Letter:
    """Change a letter's fields and recompute its request's facts."""
    return _part_change(letter, fields)


@transaction.atomic
def letter_delete(*, letter):
    """Delete a letter and recompute its request's facts."""
    request = letter.request
    letter.delete()
    request_refresh(request=request)


@transaction.atomic
def event_record(*, request, **fields) -> Event:
    """Record an event on a request."""
    event = Event(request=request, **fields)
    event.full_clean()
    event.save()
    request_refresh(request=request)
    return event


@transaction.atomic
def event_change(*, event, **fields) -> Event:
    """Change an event's fields and recompute its request's facts."""
    return _part_change(event, fields)


def _part_change(part, fields):
    """Change a letter's or event's fields, checked, and recompute its request's facts."""
    for name, value in fields.items():
        setattr(part, name, value)
    part.full_clean()
    part.save()
    request_refresh(request=part.request)
    return part


@transaction.atomic
def deadline_change_record(*, letter, **fields) -> DeadlineChange:
    """Record a change to when a reply to a sent letter is due; recompute the request's facts."""
    change = DeadlineChange(request=letter.request, letter=letter, **fields)
    change.full_clean()
    change.save()
    request_refresh(request=letter.request)
    return change


@transaction.atomic
def deadline_change_delete(*, change):
    """Delete a change to a due date, and recompute the request's facts."""
    request = change.request
    change.delete()
    request_refresh(request=request)


@transaction.atomic
def event_delete(*, event):
    """Delete an event and recompute its request's facts."""
    request = event.request
    event.delete()
    request_refresh(request=request)


def letters_sign_by_members(*, letters):
    """Make every member of the coalition a signatory of each of these letters that was sent."""
    sent = [letter for letter in letters if letter.direction == Direction.SENT]
    if not sent:
        return
    members = list(sent[0].request.coalition.members.values_list("pk", flat=True))
    Signatory = Letter.signatories.through
    Signatory.objects.bulk_create(
        [
            Signatory(letter_id=letter.pk, organisation_id=organisation)
            for letter in sent
            for organisation in members
        ],
        ignore_conflicts=True,
    )
    public_data_changed()


def signatures_record(*, letters):
    """Record in each letter's latest version who signs it now, once its signatures are set."""
    for letter in letters:
        latest = letter.history.order_by("-history_date", "-history_id").values("history_id")[:1]
        Letter.history.filter(history_id=Subquery(latest)).update(**signature_names(letter))


def request_refresh(*, request, letters=None, events=None) -> SearchText:
    """Store what a request's letters and events imply: round facts, reply timings, search text.

    Pass the request's letters and events when they are already loaded, to save two queries.
    Return the search text stored, which says whether it was cut.
    """
    letters = list(request.letters.all()) if letters is None else list(letters)
    events = list(request.events.all()) if events is None else list(events)
    asks = list(request.asks.all()) or asks_from_summaries([request])
    answers = AskAnswer.objects.filter(ask__request=request) if answered_apart(asks) else []
    changes = list(request.deadline_changes.all())
    moved = due_dates_moved(changes)
    changed_parts = request_apply_facts(request, letters, events, asks, answers, moved)
    set_parts_present(
        [request],
        asks={request.pk: asks},
        changes={request.pk: changes},
        events={request.pk: events},
    )
    texts = attachment_texts(Attachment.objects.filter(letter__request=request))
    text = request_search_text(request, letters, events, texts)
    store_refreshed([(request, text)], changed_parts)
    return text


def attachment_texts(attachments) -> dict[int, list[str]]:
    """Return the text of each of these attachments that is not private, by letter id."""
    texts = defaultdict(list)
    public = attachments.filter(is_private=False).exclude(text="").order_by("pk")
    for letter_id, text in public.values_list("letter_id", "text"):
        texts[letter_id].append(text)
    return texts


def requests_refresh(*, requests, batch_size=500) -> int:
    """Refresh many requests in batches, a few statements per batch; return how many."""
    ids = list(requests.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            batch_refresh(ids[start : start + batch_size])
    return len(ids)


def batch_refresh(ids):
    """Refresh the requests with these ids, reading each related table once for all of them."""
    batch = list(Request.objects.filter(pk__in=ids).select_for_update().defer(*SEARCH_TEXT_FIELDS))
    letters = grouped(Letter.objects.filter(request__in=ids), "request_id")
    events = grouped(Event.objects.filter(request__in=ids), "request_id")
    asks = grouped(Ask.objects.filter(request__in=ids), "request_id")
    changes = grouped(DeadlineChange.objects.filter(request__in=ids), "request_id")
    texts = attachment_texts(Attachment.objects.filter(letter__request__in=ids))
    asks_from_summaries([request for request in batch if not asks[request.pk]])
    answers = grouped(AskAnswer.objects.filter(ask__request__in=ids), "letter_id")
    refreshed, changed_parts, asks_of = [], [], {}
    for request in batch:
        own_letters, own_events = letters[request.pk], events[request.pk]
        own_asks = asks_of[request.pk] = asks[request.pk] or request.asks_made
        own = [answer for letter in own_letters for answer in answers[letter.pk]]
        own = own if answered_apart(own_asks) else []
        moved = due_dates_moved(changes[request.pk])
        changed_parts += request_apply_facts(request, own_letters, own_events, own_asks, own, moved)
        text = request_search_text(request, own_letters, own_events, texts)
        refreshed.append((request, text))
    set_parts_present(batch, asks=asks_of, changes=changes, events=events)
    store_refreshed(refreshed, changed_parts)


def set_parts_present(requests, *, asks, changes, events):
    """Set which optional parts these requests have (PART_FIELDS), given their asks, deadline
    changes and events by request id; one query finds which have files and commitments."""
    present = Request.objects.filter(pk__in=[request.pk for request in requests]).values_list(
        "pk",
        Exists(Attachment.objects.filter(letter__request=OuterRef("pk"))),
        Exists(Commitment.objects.filter(request=OuterRef("pk"))),
    )
    present = {pk: (files, commitments) for pk, files, commitments in present}
    for request in requests:
        request.has_attachments, request.has_commitments = present[request.pk]
        request.has_deadline_changes = bool(changes.get(request.pk))
        request.ask_count = len(asks.get(request.pk, ()))
        request.has_events = bool(events.get(request.pk))


def asks_from_summaries(requests) -> list:
    """Give each of these requests, which have no asks, its summary as its one ask.

    Every request holds at least one ask; one entered without any asks for its summary.
    Return the asks made, which each request also keeps as `asks_made`.
    """
    made = Ask.objects.bulk_create(
        [Ask(request=request, text=request.summary, position=0) for request in requests]
    )
    for request, ask in zip(requests, made, strict=True):
        request.asks_made = [ask]
    return made


def summary_copies_change(*, request, old_summary) -> int:
    """Give the asks that copied a request's old summary its new one; return how many.

    A request entered with no asks has its summary as its one ask (`asks_from_summaries`), which
    must not keep saying what the summary no longer says. An ask typed apart is left alone.
    """
    if request.summary == old_summary:
        return 0
    return Ask.objects.filter(request=request, text=old_summary).update(text=request.summary)


def due_dates_moved(changes) -> dict:
    """Return, by sent letter id, its due date as the latest change in its ledger sets it."""
    return {change.letter_id: change.new_due_on for change in sorted(changes, key=lambda c: c.pk)}


def request_apply_facts(
    request, letters, events, asks=(), answers=(), moved=None, now=None
) -> list:
    """Set the round rule's facts on a request and its letters, and when the feeds date its
    letters and events; return the letters and events changed.

    A sent letter is due when its ledger last moved it to (`moved`, by letter id), else on its
    first due date. The facts come from the letters and events that are not private, so the
    status, key dates and rounds the public sees never reveal a private letter.
    """
    moved = moved or {}
    stored_due = {letter.pk: letter.due_on for letter in letters}
    for letter in letters:
        if letter.original_due_on is not None:
            letter.due_on = moved.get(letter.pk, letter.original_due_on)
    shown = [letter for letter in letters if not letter.is_private]
    facts = request_facts(
        shown, [event for event in events if not event.is_private], asks, list(answers)
    )
    for name in FACT_FIELDS:
        setattr(request, name, getattr(facts, name))
    request.published_at = publication_moment(
        is_published=request.is_published,
        publish_at=request.publish_at,
        published_at=request.published_at,
        now=now or timezone.now(),
    )
    timings = reply_timings(shown)
    # A private letter is timed among all the letters, as the campaigners' preview shows it.
    private_timings = reply_timings(letters) if len(shown) < len(letters) else {}
    changed = []
    for letter in letters:
        timing = (private_timings if letter.is_private else timings).get(letter.pk)
        stored = timing_fields(timing)
        stored["feed_dated_at"] = feed_moment(letter.date, request.published_at)
        if letter.due_on != stored_due[letter.pk] or any(
            getattr(letter, name) != value for name, value in stored.items()
        ):
            for name, value in stored.items():
                setattr(letter, name, value)
            changed.append(letter)
    for event in events:
        if event.feed_dated_at != (dated := feed_moment(event.date, request.published_at)):
            event.feed_dated_at = dated
            changed.append(event)
    return changed


def publication_moment(*, is_published, publish_at, published_at, now):
    """Return when a request became (or will become) public, or None if it has not yet.

    The embargo's end if one is set, otherwise the moment it was first seen published. A
    request once public keeps its moment, unless a new embargo hides it again until later.
    """
    was_public = published_at is not None and published_at <= now
    if not is_published:
        return published_at if was_public else None
    if publish_at is not None and publish_at > now:
        return publish_at
    if was_public:
        return published_at
    return publish_at or now


def store_refreshed(refreshed, changed_parts):
    """Write refreshed requests (with their search text), and the stored facts of the letters
    and events that changed, by primary key.

    One UPDATE per row, sent together: Django's bulk_update builds a CASE per field per row,
    which cost 20 ms a request in Python alone.
    """
    vector_sql = search_vector_sql(connection.vendor)
    facts = [Request._meta.get_field(name) for name in STORED_FIELDS]
    request_rows = []
    for request, text in refreshed:
        row = [getattr(request, field.attname) for field in facts] + [text.document]
        if vector_sql:
            row += [text.title, text.summary, text.body]
        request_rows.append([*row, request.pk])
    columns = [field.column for field in facts] + ["search_document"]
    public_data_changed()
    with connection.cursor() as cursor:
        cursor.executemany(update_sql(Request, columns, vector_sql), request_rows)
        for model, names in ((Letter, REFRESHED_LETTER_FIELDS), (Event, ("feed_dated_at",))):
            fields = [model._meta.get_field(name) for name in names]
            rows = [
                [getattr(part, field.attname) for field in fields] + [part.pk]
                for part in changed_parts
                if isinstance(part, model)
            ]
            if rows:
                cursor.executemany(update_sql(model, [field.column for field in fields]), rows)


def update_sql(model, columns, search_vector=None):
    """Return an UPDATE of the given columns (and the search vector, if given) by primary key."""
    quote = connection.ops.quote_name
    assignments = [f"{quote(column)} = %s" for column in columns]
    if search_vector:
        assignments.append(f"{quote('search_vector')} = {search_vector}")
    return (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )


def timing_fields(timing: ReplyTiming | None) -> dict:
    """Return the letter fields that store a timing (all empty when there is none)."""
    if timing is None:
        return dict.fromkeys(TIMING_FIELDS)
    return {
        "answers_id": timing.answered.pk,
        "days_taken": timing.calendar_days,
        "working_days_taken": timing.working_days,
        "on_time": timing.on_time,
        "on_time_original": timing.on_time_original,
    }


class MembershipsRefused(ValidationError):
    """Memberships whose saving would leave a coalition with no lead, two, or a member twice."""


@transaction.atomic
def memberships_save(*, saved=(), deleted=()):
    """Save and delete memberships together, refusing any that leave a coalition without a lead."""
    coalitions = {membership.coalition_id for membership in [*saved, *deleted]}
    # Lock the coalitions, so two campaigners editing one coalition's members take turns.
    list(Coalition.objects.select_for_update().filter(pk__in=coalitions).values_list("pk"))
    if problems := membership_problems(saved=saved, deleted=deleted):
        raise MembershipsRefused(problems)
    for membership in deleted:
        membership.delete()
    # Demote the old lead before saving the new one, so the one-lead constraint holds.
    for membership in sorted(saved, key=lambda membership: membership.is_lead):
        # Uniqueness was checked above, over all the changes at once rather than row by row.
        membership.full_clean(validate_unique=False, validate_constraints=False)
        membership.save()


def membership_problems(*, saved=(), deleted=()) -> list[str]:
    """Return what saving and deleting these memberships would break in their coalitions.

    An organisation may be in a coalition once, and a coalition with members has exactly one
    lead. The coalitions' other memberships are read from the database.
    """
    changed = {membership.pk for membership in [*saved, *deleted] if membership.pk}
    coalitions = {membership.coalition_id for membership in [*saved, *deleted]}
    # A membership moved to another coalition, or deleted, leaves the one it was in.
    coalitions |= set(
        Membership.objects.filter(pk__in=changed).values_list("coalition_id", flat=True)
    )
    coalitions.discard(None)
    names = dict(Coalition.objects.filter(pk__in=coalitions).values_list("pk", "name"))
    members = defaultdict(list)
    for coalition, *row in (
        Membership.objects.filter(coalition__in=coalitions)
        .exclude(pk__in=changed)
        .values_list("coalition_id", "organisation_id", "organisation__name", "role")
    ):
        members[coalition].append(row)
    for membership in saved:
        members[membership.coalition_id].append(
            [membership.organisation_id, str(membership.organisation), membership.role]
        )
    problems = []
    for coalition, rows in members.items():
        name = names.get(coalition) or _("this coalition")
        counts = Counter(organisation for organisation, _name, _role in rows)
        member_names = {organisation: member for organisation, member, _role in rows}
        problems += [
            _("%(organisation)s is listed twice as a member of %(coalition)s.")
            % {"organisation": member_names[organisation], "coalition": name}
            for organisation, count in counts.items()
            if count > 1
        ]
        leads = [member for _id, member, role in rows if role == MembershipRole.LEAD]
        if not leads:
            problems.append(
                _(
                    "%(coalition)s would be left without a lead. Make another member the lead "
                    "on the coalition's page first."
                )
                % {"coalition": name}
            )
        elif len(leads) > 1:
            problems.append(
                _("%(coalition)s can have only one lead, not %(names)s.")
                % {"coalition": name, "names": " and ".join(leads)}
            )
    return problems


def organisation_named(name):
    """Return the organisation recorded under this name or one of its other names, or None."""
    wanted = comparable_name(name)
    if not wanted:
        return None
    for organisation in Organisation.objects.mentioning(name).order_by("pk"):
        if wanted in {comparable_name(n) for n in [organisation.name, *organisation.also_known_as]}:
            return organisation
    return None


def organisation_for_name(name, *, kind):
    """Return the organisation recorded under this name or other name, adding it if new."""
    if (organisation := organisation_named(name)) is not None:
        return organisation
    organisation = Organisation(name=name, slug=unique_slug(Organisation, name), kind=kind)
    organisation.full_clean()
    organisation.save()
    return organisation


def unique_slug(model, text):
    """Return a slug for `text` that no row of `model` has yet: "name", then "name-2", ..."""
    base = slugify(text)[:190] or model._meta.model_name
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in count(2) if f"{base}-{n}" not in taken)


@transaction.atomic
def coalition_start(*, name, member_names, user):
    """Start a coalition with these members, the first its lead; its starter publishes for it."""
    coalition = Coalition(name=name, slug=unique_slug(Coalition, name))
    coalition.full_clean()
    coalition.save()
    organisations = [
        organisation_for_name(member, kind=OrganisationKind.CHARITY) for member in member_names
    ]
    memberships_save(
        saved=[
            Membership(
                coalition=coalition,
                organisation=organisation,
                role=MembershipRole.LEAD if index == 0 else MembershipRole.MEMBER,
            )
            for index, organisation in enumerate(dict.fromkeys(organisations))
        ]
    )
    if not user.is_superuser:
        CoalitionRole.objects.create(user=user, coalition=coalition, role=Role.PUBLISHER)
    return coalition


@uncommitted_files_removed()
@transaction.atomic
def case_start(
    *,
    user,
    coalition=None,
    coalition_name="",
    member_names=(),
    recipient_name,
    title,
    summary,
    sent_on,
    signed_by_every_member,
    subject="",
    files=(),
) -> Request:
    """Start a case as a draft: its coalition (one of the user's, or a new one with its members),
    the request to its recipient (found by name or other name, or added) and the letter sent.

    A letter not signed by every member is signed by the coalition's lead.
    """
    if coalition is None:
        coalition = coalition_start(name=coalition_name, member_names=member_names, user=user)
    recipient = organisation_for_name(recipient_name, kind=OrganisationKind.PUBLIC_BODY)
    request = Request(
        title=title,
        slug=unique_slug(Request, title),
        summary=summary,
        coalition=coalition,
        recipient=recipient,
        created_by=user,
        updated_by=user,
    )
    request.full_clean()
    request.save()
    lead = coalition.memberships.filter(role=MembershipRole.LEAD).values_list(
        "organisation", flat=True
    )
    letter_record(
        request=request,
        direction=Direction.SENT,
        kind=LetterKind.INITIAL,
        date=sent_on,
        subject=subject,
        files=files,
        signed_by_every_member=signed_by_every_member,
        signatories=None if signed_by_every_member else list(lead),
    )
    return request


# Messages being imported wait here between being read and the letter being saved.
EMAIL_IMPORTS_FOLDER = "email-imports"
EMAIL_IMPORT_MAX_AGE = timedelta(days=1)


def email_import_keep(*, raw: bytes, request) -> str:
    """Keep a message being imported until its letter is saved; return a token naming it.

    Messages left longer than EMAIL_IMPORT_MAX_AGE (an import given up) are deleted first.
    """
    email_imports_forget(older_than=timezone.now() - EMAIL_IMPORT_MAX_AGE)
    name = default_storage.save(f"{EMAIL_IMPORTS_FOLDER}/{uuid4().hex}.eml", ContentFile(raw))
    return signing.dumps({"name": name, "request": request.pk}, salt=EMAIL_IMPORTS_FOLDER)


def email_import_kept(*, token: str, request) -> bytes | None:
    """Return the message a token names for this request, or None if gone or not this one's."""
    try:
        kept = signing.loads(
            token, salt=EMAIL_IMPORTS_FOLDER, max_age=EMAIL_IMPORT_MAX_AGE.total_seconds()
        )
        if kept["request"] != request.pk:
            return None
        with default_storage.open(kept["name"], "rb") as file:
            return file.read()
    except (signing.BadSignature, KeyError, TypeError, OSError):
        return None


def email_import_done(*, token: str):
    """Delete a message kept for an import once its letter is saved."""
    name = signing.loads(token, salt=EMAIL_IMPORTS_FOLDER)["name"]
    transaction.on_commit(lambda: default_storage.delete(name), robust=True)


def email_imports_forget(*, older_than):
    """Delete the messages kept for imports begun before `older_than`."""
    try:
        _folders, names = default_storage.listdir(EMAIL_IMPORTS_FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{EMAIL_IMPORTS_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < older_than:
                default_storage.delete(path)
        except OSError:
            continue  # deleted meanwhile by another import
