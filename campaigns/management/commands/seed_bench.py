"""Seed a large, realistic data set for the benchmark (`make bench`), with bulk inserts."""

import random
import time
from collections import defaultdict
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from campaigns import bench_data as data
from campaigns.choices import (
    DeadlineChangeKind,
    EscalationStage,
    EventKind,
    LetterKind,
    MembershipRole,
    OrganisationKind,
)
from campaigns.commitments import last_day_due
from campaigns.grouping import grouped
from campaigns.models import (
    Ask,
    AskAnswer,
    Coalition,
    Commitment,
    DeadlineChange,
    Event,
    Letter,
    Membership,
    Organisation,
    Person,
    Request,
)
from campaigns.refresh_workers import tracker_tables

BATCH_SIZE = 5_000
# Requests are built, inserted and forgotten this many at a time, with their letters and events.
CHUNK = 5_000
MEMBER_KINDS = {OrganisationKind.CHARITY, OrganisationKind.PROFESSIONAL, OrganisationKind.OTHER}
SUBJECT_PREFIX = {
    LetterKind.INITIAL: "",
    LetterKind.REMINDER: "Reminder: ",
    LetterKind.FOLLOW_UP: "Follow-up: ",
    LetterKind.ACKNOWLEDGEMENT: "Acknowledgement: ",
    LetterKind.SUBSTANTIVE: "Re: ",
}


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic data set of any size for the benchmark: "
        "organisations, coalitions, requests, letters and events, then refresh derived data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--requests",
            type=int,
            required=True,
            help="Published requests to create; about 2%% drafts are added on top.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same data."
        )
        parser.add_argument(
            "--flush", action="store_true", help="Delete all the tracker's data first."
        )
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="Skip refresh_requests, to time the inserts alone (pages then lack search text).",
        )

    def handle(self, *args, requests, seed, flush, no_refresh, **options):
        if requests < 1:
            raise CommandError("--requests must be at least 1.")
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        with transaction.atomic():
            if flush:
                tracker_data_flush()
            elif Organisation.objects.exists() or Request.objects.exists():
                raise CommandError("The database already holds tracker data; pass --flush.")
            seeder = Seeder(
                rng=random.Random(seed), today=timezone.localdate(), requests=requests, out=self
            )
            seeder.seed()
        inserted = time.monotonic()
        counts = ", ".join(f"{total:,} {name}" for name, total in seeder.counts.items())
        self.stdout.write(f"Inserted {counts} in {inserted - started:.1f} s.")
        self.stdout.write(
            f"Search words: common {data.COMMON_WORD!r} (in {seeder.common:,} published "
            f"requests), rare {data.RARE_WORD!r} (in {seeder.rare:,})."
        )
        if no_refresh:
            return
        call_command("refresh_requests", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(f"Refreshed derived data in {time.monotonic() - inserted:.1f} s.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {requests:,} requests in {time.monotonic() - started:.1f} s."
            )
        )

    def progress(self, message):
        if self.verbosity >= 2:
            self.stdout.write(message)


def tracker_data_flush():
    """Delete every row of the tracker's models: TRUNCATE on PostgreSQL, DELETE on SQLite."""
    statements = connection.ops.sql_flush(
        no_style(), tracker_tables(), reset_sequences=True, allow_cascade=True
    )
    deferred = connection.vendor == "postgresql" and connection.in_atomic_block
    if deferred:
        # PostgreSQL will not truncate tables with foreign key checks still pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(statements)
    if deferred:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Seeder:
    """Build the rows in memory from `bench_data` and insert them in batches."""

    def __init__(self, *, rng, today, requests, out):
        self.rng, self.today, self.requests, self.out = rng, today, requests, out
        self.text = data.TextMaker(rng)
        self.counts = defaultdict(int)
        self.slugs = set()
        self.common = self.rare = 0

    def seed(self):
        self.seed_organisations()
        self.seed_people()
        self.seed_coalitions()
        self.seed_requests()

    def insert(self, model, rows, label=None):
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        reset_queries()  # With DEBUG on, Django would keep every huge INSERT in memory.
        self.counts[label or model._meta.verbose_name_plural] += len(rows)
        return rows

    def seed_organisations(self):
        rng, total = self.rng, data.organisation_count(self.requests)
        bodies = max(3, round(total * data.RECIPIENT_SHARE))
        names = data.recipient_names(rng, bodies) + data.group_names(rng, total - bodies)
        slugs = set()
        rows = self.insert(
            Organisation,
            [
                Organisation(
                    name=name,
                    slug=(slug := data.unique_slug(name, slugs)),
                    kind=kind,
                    website=f"https://{slug}.example.org" if rng.random() < 0.7 else "",
                    description=self.text.paragraph(self.text.sent, 1, 1),
                )
                for name, kind in names
            ],
        )
        # The first bodies get the most requests: a few receive many, most a handful.
        self.recipients = rows[:bodies]
        self.recipient_weights = data.skewed_weights(bodies, 0.8)
        self.members = [row for row in rows[bodies:] if row.kind in MEMBER_KINDS]

    def seed_people(self):
        rng = self.rng
        people = [
            Person(
                name=data.person_name(rng),
                role_title=rng.choice(data.ROLE_TITLES),
                organisation=organisation,
            )
            for organisation in self.recipients + self.members
            for _ in range(rng.randint(1, 3))
        ]
        self.people_at = defaultdict(list)
        for person in self.insert(Person, people):
            self.people_at[person.organisation_id].append(person.pk)

    def seed_coalitions(self):
        rng, total = self.rng, data.coalition_count(self.requests)
        names = data.unique_names(
            lambda _: (data.fill(rng, rng.choice(data.COALITION_NAMES)), ""), total
        )
        slugs = set()
        coalitions = self.insert(
            Coalition,
            [
                Coalition(
                    name=name,
                    slug=data.unique_slug(name, slugs),
                    description=self.text.paragraph(self.text.sent, 1, 2),
                )
                for name, _ in names
            ],
        )
        memberships = []
        self.member_ids, self.lead_ids = {}, {}
        for coalition in coalitions:
            members = rng.sample(self.members, min(len(self.members), rng.randint(2, 8)))
            self.member_ids[coalition.pk] = [member.pk for member in members]
            self.lead_ids[coalition.pk] = members[0].pk
            memberships += [
                Membership(
                    coalition=coalition,
                    organisation=member,
                    role=MembershipRole.LEAD if number == 0 else MembershipRole.MEMBER,
                    joined_on=data.FIRST_DAY + timedelta(days=rng.randint(0, 1500))
                    if rng.random() < 0.5
                    else None,
                )
                for number, member in enumerate(members)
            ]
        self.insert(Membership, memberships)
        self.coalitions = coalitions
        self.coalition_weights = data.skewed_weights(len(coalitions), 0.6)

    def seed_requests(self):
        rng = self.rng
        total = self.requests + data.draft_count(self.requests)
        drafts = set(rng.sample(range(total), total - self.requests))
        published = [number for number in range(total) if number not in drafts]
        rare = set(rng.sample(published, data.rare_count(self.requests)))
        for start in range(0, total, CHUNK):
            batch = [
                self.build_request(published=number not in drafts, rare=number in rare)
                for number in range(start, min(total, start + CHUNK))
            ]
            self.insert(Request, [request for request, *_ in batch])
            letters, signed, signers, events = [], [], [], []
            for request, specs, extra in batch:
                letters += self.build_letters(request, specs, extra, signed, signers)
                events += self.build_events(request, specs)
            self.insert(Letter, letters)
            self.insert(
                Letter.signatories.through,
                [
                    Letter.signatories.through(letter_id=letter.pk, organisation_id=organisation)
                    for letter, organisations in signed
                    for organisation in organisations
                ],
                label="signatories",
            )
            self.insert(
                Letter.signers.through,
                [
                    Letter.signers.through(letter_id=letter.pk, person_id=person)
                    for letter, person in signers
                ],
                label="signers",
            )
            self.insert(Event, events)
            self.seed_issue_ten_facts([request for request, *_ in batch], letters, events)
            self.out.progress(f"  {start + len(batch):,} of {total:,} requests")

    def seed_issue_ten_facts(self, requests, letters, events):
        """Add several asks and their answers, commitments, deadline changes and escalations.

        Every request gets its summary as its one ask from the refresh; these add the rest.
        """
        rng = self.rng
        by_request = grouped(letters, "request_id")
        events_of = grouped(events, "request_id")
        asks, answers, commitments, changes = [], [], [], []
        for request in requests:
            replies = [
                letter for letter in by_request[request.pk] if letter.kind == LetterKind.SUBSTANTIVE
            ]
            if rng.random() < data.SEVERAL_ASKS_SHARE:
                own = [
                    Ask(request_id=request.pk, text=text, position=position)
                    for position, text in enumerate(data.FURTHER_ASKS[: rng.randint(2, 3)])
                ]
                asks += own
                answers += [(reply, ask) for reply in replies for ask in own]
            for reply in replies:
                if rng.random() < data.COMMITMENT_SHARE:
                    kept = (
                        events_of[request.pk] if rng.random() < data.COMMITMENT_KEPT_SHARE else []
                    )
                    commitments.append(
                        Commitment(
                            request_id=request.pk,
                            letter_id=reply.pk,
                            text=rng.choice(data.COMMITMENTS),
                            due_on=reply.date + timedelta(days=rng.randint(30, 240)),
                            due_precision=data.weighted(rng, {"day": 6, "month": 3, "year": 1}),
                            kept_by_id=rng.choice(kept).pk if kept else None,
                        )
                    )
            for letter in by_request[request.pk]:
                if (
                    letter.kind != LetterKind.SUBSTANTIVE
                    and letter.due_on
                    and (rng.random() < data.DEADLINE_CHANGE_SHARE)
                ):
                    changes.append(
                        DeadlineChange(
                            request_id=request.pk,
                            letter_id=letter.pk,
                            kind=rng.choice(DeadlineChangeKind.values),
                            new_due_on=letter.due_on + timedelta(days=rng.randint(5, 30)),
                            reason=rng.choice(data.DEADLINE_REASONS),
                        )
                    )
        self.insert(Ask, asks)
        self.insert(
            AskAnswer,
            [
                AskAnswer(letter_id=reply.pk, ask_id=ask.pk, outcome=reply.outcome)
                for reply, ask in answers
            ],
            label="answers to asks",
        )
        for commitment in commitments:  # bulk_create skips save(), which fills this in.
            commitment.due_by = last_day_due(commitment.due_on, commitment.due_precision)
        self.insert(Commitment, commitments)
        self.insert(DeadlineChange, changes)
        self.seed_escalations(requests)

    def seed_escalations(self, requests):
        """Make some requests the next stage of an earlier one of their coalition."""
        rng = self.rng
        latest = {}
        escalated = []
        for request in requests:
            earlier = latest.get(request.coalition_id)
            if earlier is not None and rng.random() < data.ESCALATED_SHARE:
                request.escalated_from_id = earlier.pk
                request.stage = rng.choice(EscalationStage.values[1:])
                if earlier.chain_root_id is None:
                    earlier.chain_root_id = earlier.pk
                    escalated.append(earlier)
                request.chain_root_id = earlier.chain_root_id
                escalated.append(request)
            latest[request.coalition_id] = request
        Request.objects.bulk_update(
            escalated, ["escalated_from", "stage", "chain_root"], batch_size=BATCH_SIZE
        )
        self.counts["escalations"] += sum(1 for request in escalated if request.escalated_from_id)

    def build_request(self, *, published, rare):
        rng, text = self.rng, self.text
        coalition = rng.choices(self.coalitions, cum_weights=self.coalition_weights)[0]
        recipient = rng.choices(self.recipients, cum_weights=self.recipient_weights)[0]
        people = self.people_at[recipient.pk]
        extra = []
        if rng.random() < data.COMMON_SHARE:
            extra.append(data.COMMON_SENTENCE)
            self.common += published
        if rare:
            extra.append(data.RARE_SENTENCE)
            self.rare += 1
        specs = []
        if rng.random() >= data.NOT_SENT_SHARE:
            specs = data.letter_history(rng, data.first_sent_on(rng, self.today), self.today)
        closed_result, closed_on = "", None
        if specs and rng.random() < data.CLOSED_SHARE:
            closed_result, closed_on = data.closing(rng, specs, self.today)
        title = text.title()
        request = Request(
            title=title,
            slug=data.unique_slug(title, self.slugs),
            summary=text.summary(*extra),
            coalition=coalition,
            recipient=recipient,
            recipient_person_id=rng.choice(people) if people and rng.random() < 0.5 else None,
            is_published=published,
            closed_result=closed_result,
            closed_on=closed_on,
        )
        return request, specs, extra

    def build_letters(self, request, specs, extra, signed, signers):
        rng, text = self.rng, self.text
        lead_people = self.people_at[self.lead_ids[request.coalition_id]]
        recipient_people = self.people_at[request.recipient_id]
        members = self.member_ids[request.coalition_id]
        letters = []
        for spec in specs:
            ours, theirs = (
                (lead_people, recipient_people) if spec.is_sent else (recipient_people, lead_people)
            )
            letter = Letter(
                request_id=request.pk,
                direction=spec.direction,
                date=spec.date,
                channel=data.weighted(rng, data.CHANNEL_WEIGHTS),
                kind=spec.kind,
                addressee_id=(request.recipient_person_id if spec.is_sent else rng.choice(theirs))
                if rng.random() < 0.6
                else None,
                subject=SUBJECT_PREFIX[spec.kind] + request.title,
                body=text.letter_body(spec, *(extra if spec.kind == LetterKind.INITIAL else ())),
                reply_requested_by=spec.reply_requested_by,
                # bulk_create skips save(), which fills these in.
                original_due_on=spec.due_on,
                due_on=spec.due_on,
                outcome=spec.outcome,
            )
            letters.append(letter)
            if rng.random() < 0.7:
                signers.append((letter, rng.choice(ours)))
            if spec.is_sent and len(members) > 2 and rng.random() < 0.1:
                signed.append((letter, rng.sample(members, rng.randint(2, len(members)))))
        return letters

    def build_events(self, request, specs):
        rng, text = self.rng, self.text
        start = specs[0].date if specs else self.today - timedelta(days=400)
        events = []
        for kind, day, precision in data.event_specs(rng, start, self.today):
            press = kind == EventKind.PRESS
            events.append(
                Event(
                    request_id=request.pk,
                    kind=kind,
                    title=data.fill(rng, data.EVENT_TITLES[kind]),
                    date=day,
                    date_precision=precision,
                    description=text.paragraph(text.sent, 1, 3),
                    outlet=rng.choice(data.OUTLETS) if press else "",
                    url=f"https://news.example.org/{request.slug}" if press else "",
                )
            )
        return events
