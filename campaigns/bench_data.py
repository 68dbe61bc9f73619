"""Pure helpers that generate the benchmark's data set: names, text and letter histories.

Nothing here touches the database, so `seed_bench` stays a loop of bulk inserts and the shape
of the data can be tested on its own. Everything is drawn from a `random.Random` passed in, so
a seed and a day give the same data every time.
"""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.utils.text import slugify

from campaigns.choices import (
    Channel,
    ClosedResult,
    DatePrecision,
    Direction,
    EventKind,
    LetterKind,
    OrganisationKind,
    Outcome,
)
from campaigns.deadlines import reply_due

# The two words the benchmark searches for: one in about half the requests, one in very few.
COMMON_WORD = "safeguarding"
RARE_WORD = "dyscalculia"
COMMON_SHARE = 0.5
RARE_SHARE = 0.001
# At least more than a page of matches for the rare word (but few enough to be ranked), and
# of public bodies for the statistics page, so that these pages list as many rows at 1,000
# requests as at 100,000: their times at the two sizes then compare the data's size, not the
# rows shown (1 match against 100, 6 scorecards against 50).
MIN_RARE = 25

FIRST_DAY = date(2019, 1, 1)

# Shares of the data set, scaled by the number of published requests.
ORGANISATIONS_PER_REQUEST, MAX_ORGANISATIONS, MIN_ORGANISATIONS = 0.02, 2_000, 200
COALITIONS_PER_REQUEST, MAX_COALITIONS, MIN_COALITIONS = 0.003, 300, 2
RECIPIENT_SHARE = 0.3  # of organisations: the public bodies that requests are made to
DRAFT_SHARE = 0.02  # drafts added on top of the published requests
NOT_SENT_SHARE = 0.02
RECENT_SHARE = 0.06  # first letter sent in the last few weeks, so mostly still awaiting
CLOSED_SHARE = 0.04
# Issue 10's facts, at the shares a coalition network might see them.
SEVERAL_ASKS_SHARE = 0.1  # requests with two or three asks, each answered in every reply
COMMITMENT_SHARE = 0.15  # substantive replies that promise something
COMMITMENT_KEPT_SHARE = 0.4  # of commitments, kept by an event of the request
DEADLINE_CHANGE_SHARE = 0.05  # sent letters whose due date moved
ESCALATED_SHARE = 0.03  # requests that are the next stage of an earlier one
FURTHER_ASKS = (
    "Publish the analysis in full.",
    "Meet the coalition to discuss its findings.",
    "Set out a timetable for acting on the recommendations.",
)
COMMITMENTS = (
    "Publish its next annual report",
    "Issue practice briefings on the findings",
    "Write again once the review is complete",
    "Meet the coalition's members",
)
DEADLINE_REASONS = (
    "The body asked for more time to consult.",
    "The request was paused until the coalition clarified its scope.",
    "A holding reply promised a full answer by this date.",
    "The coalition agreed a new date at a meeting.",
)

TOPICS = [
    "children in care",
    "care leavers",
    "youth custody",
    "school exclusions",
    "special educational needs",
    "kinship carers",
    "adoption support",
    "family courts",
    "child poverty",
    "free school meals",
    "mental health services",
    "unaccompanied migrant children",
    "restraint in secure settings",
    "strip searches of children",
    "missing children",
    "county lines exploitation",
    "private fostering",
    "residential children's homes",
    "independent visitors",
    "advocacy services",
    "deaths in custody",
    "serious case reviews",
    "children's social care",
    "early help",
    "youth services",
    "domestic abuse support",
    "temporary accommodation",
    "child arrests",
    "police custody",
    "online harms",
    "speech and language therapy",
    "alternative provision",
    "home education",
    "elective home education registers",
    "short breaks for disabled children",
    "transition to adult services",
    "legal aid for families",
    "age assessments",
    "youth justice",
    "pupil referral units",
]
BODY_KINDS = [
    ("Department for {}", OrganisationKind.GOVERNMENT, ["Education", "Health", "Justice"]),
    ("{} Council", OrganisationKind.PUBLIC_BODY, None),
    ("{} Children's Services", OrganisationKind.PUBLIC_BODY, None),
    ("{} Police", OrganisationKind.PUBLIC_BODY, None),
    ("{} Integrated Care Board", OrganisationKind.PUBLIC_BODY, None),
    ("{} Select Committee", OrganisationKind.PARLIAMENT, ["Education", "Justice", "Health"]),
    ("{} Inspectorate", OrganisationKind.PUBLIC_BODY, ["Schools", "Prisons", "Probation"]),
]
PLACES = [
    "Barnsley",
    "Bristol",
    "Cardiff",
    "Cornwall",
    "Coventry",
    "Cumbria",
    "Derby",
    "Devon",
    "Durham",
    "Essex",
    "Gateshead",
    "Hackney",
    "Hampshire",
    "Kent",
    "Kirklees",
    "Lambeth",
    "Leeds",
    "Leicester",
    "Lincolnshire",
    "Liverpool",
    "Manchester",
    "Newham",
    "Norfolk",
    "Nottingham",
    "Oldham",
    "Plymouth",
    "Portsmouth",
    "Rochdale",
    "Salford",
    "Sheffield",
    "Somerset",
    "Southwark",
    "Stockport",
    "Suffolk",
    "Sunderland",
    "Surrey",
    "Swindon",
    "Wakefield",
    "Walsall",
    "Wigan",
]
GROUP_WORDS = [
    "Children",
    "Families",
    "Young People",
    "Rights",
    "Care",
    "Justice",
    "Voices",
    "Futures",
    "Kinship",
    "Advocacy",
    "Learning",
    "Law",
]
GROUP_KINDS = [
    ("{} {} Trust", OrganisationKind.CHARITY),
    ("{} {} Alliance", OrganisationKind.CHARITY),
    ("{} for {}", OrganisationKind.CHARITY),
    ("Association of {} {} Workers", OrganisationKind.PROFESSIONAL),
    ("{} {} Network", OrganisationKind.OTHER),
    ("{} {} Review", OrganisationKind.MEDIA),
]
FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Carys",
    "Deepa",
    "Eilidh",
    "Femi",
    "Grace",
    "Harun",
    "Imogen",
    "Jonah",
    "Kasia",
    "Liam",
    "Maya",
    "Niall",
    "Olu",
    "Priya",
    "Rhys",
    "Sana",
    "Tom",
    "Zara",
]
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Chen",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
]
ROLE_TITLES = ["Chair", "Director", "Chief Executive", "Policy Officer", "Head of Policy", ""]
ASKS = [
    "Publish the {adj} review of {topic}",
    "Stop the cuts to {topic} in {place}",
    "Meet the coalition about {topic}",
    "Answer our questions on {topic}",
    "Collect and publish data on {topic}",
    "Commission an independent inquiry into {topic}",
    "Restore funding for {topic}",
    "Consult children and families on {topic}",
]
ADJECTIVES = ["national", "independent", "annual", "thematic", "local", "rapid", "overdue"]
SENTENCES = [
    "We write on behalf of {count} organisations working with families in {place}.",
    "The {adj} report on {topic} was due in {year} and has still not been published.",
    "Figures obtained under the Freedom of Information Act show a rise of {count} per cent "
    "in {topic} since {year}.",
    "We ask that you set out what steps you will take on {topic} and by when.",
    "Practitioners in {place} tell us that {topic} has become harder to reach.",
    "Children and young people we support have described {topic} as confusing and slow.",
    "The statutory guidance on {topic} has not been updated since {year}.",
    "We would welcome a meeting with officials responsible for {topic}.",
    "Please confirm whether an assessment of the impact on {topic} was carried out.",
    "Our members report that {topic} is inconsistent across {place} and neighbouring areas.",
    "The committee recommended in {year} that {topic} be reviewed within twelve months.",
    "We note your department's commitment to improving {topic} and ask for a timetable.",
    "A {adj} audit found {count} cases where {topic} fell short of the standard.",
    "We are grateful for your letter and for the time your officials gave us.",
    "We remain concerned that the response does not address {topic} directly.",
]
REPLY_SENTENCES = [
    "Thank you for your letter about {topic}.",
    "Officials are considering the points you raise on {topic}.",
    "We have no plans to change our approach to {topic} at present.",
    "The {adj} review of {topic} will be published in due course.",
    "We have asked our team in {place} to look into the cases you describe.",
    "Funding for {topic} is a matter for local authorities.",
    "We would be pleased to meet the coalition to discuss {topic}.",
]
COMMON_SENTENCE = "The " + COMMON_WORD + " arrangements for {topic} in {place} need attention."
RARE_SENTENCE = "Children with " + RARE_WORD + " are not identified early enough in {place}."
OUTCOME_WEIGHTS = {
    Outcome.MET: 20,
    Outcome.PARTLY_MET: 30,
    Outcome.REFUSED: 25,
    Outcome.NO_ANSWER: 25,
}
CHANNEL_WEIGHTS = {Channel.EMAIL: 55, Channel.LETTER: 40, Channel.HAND: 3, Channel.OTHER: 2}
EVENT_COUNT_WEIGHTS = {0: 60, 1: 25, 2: 10, 3: 5}  # 0.6 events per request on average
PRECISION_WEIGHTS = {DatePrecision.DAY: 85, DatePrecision.MONTH: 10, DatePrecision.YEAR: 5}
EVENT_TITLES = {
    EventKind.PUBLICATION: "The {adj} report on {topic} is published",
    EventKind.PRESS: "Coverage of {topic} in {place}",
    EventKind.MEETING: "The coalition meets officials about {topic}",
    EventKind.PARLIAMENTARY_QUESTION: "Written question on {topic}",
    EventKind.NOTE: "Note on {topic} in {place}",
}
COALITION_NAMES = ["Coalition on {topic}", "{place} Alliance on {topic}", "Campaign for {topic}"]
OUTLETS = ["The Guardian", "BBC News", "Children & Young People Now", "Community Care", "iNews"]


@dataclass(frozen=True)
class LetterSpec:
    """One letter of a generated history, before it becomes a row."""

    direction: str
    kind: str
    date: date
    outcome: str = ""
    reply_requested_by: date | None = None

    @property
    def due_on(self):
        return letter_due(self.date, self.reply_requested_by) if self.is_sent else None

    @property
    def is_sent(self):
        return self.direction == Direction.SENT


@cache
def letter_due(sent_on, requested_by=None):
    """Return `reply_due()` for a sent letter, remembered: it is slow and dates repeat a lot."""
    return reply_due(sent_on, requested_by)


def organisation_count(requests):
    return min(
        MAX_ORGANISATIONS, max(MIN_ORGANISATIONS, round(requests * ORGANISATIONS_PER_REQUEST))
    )


def rare_count(requests):
    """Return how many published requests hold the rare word."""
    return min(requests, max(MIN_RARE, round(requests * RARE_SHARE)))


def coalition_count(requests):
    return min(MAX_COALITIONS, max(MIN_COALITIONS, round(requests * COALITIONS_PER_REQUEST)))


def draft_count(requests):
    return max(1, round(requests * DRAFT_SHARE))


def skewed_weights(count, exponent):
    """Return cumulative Zipf-like weights: the first of `count` items is picked most often."""
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


def weighted(rng, weights):
    """Return a key of a {value: weight} dict, drawn by weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def recipient_names(rng, count):
    """Return (name, kind) for `count` public bodies, all names different."""

    def make(number):
        template, kind, subjects = BODY_KINDS[number % len(BODY_KINDS)]
        return template.format(rng.choice(subjects or PLACES)), kind

    return unique_names(make, count)


def group_names(rng, count):
    """Return (name, kind) for `count` campaign groups and associations, all names different."""

    def make(number):
        template, kind = GROUP_KINDS[number % len(GROUP_KINDS)]
        return template.format(*rng.sample(GROUP_WORDS, 2)), kind

    return unique_names(make, count)


def unique_names(make, count):
    """Return `count` (name, kind) pairs from `make(number)`, numbering any name seen before."""
    names, seen = [], set()
    for number in itertools.count():
        name, kind = make(number)
        if name in seen:
            name = f"{name} {number}"
        seen.add(name)
        names.append((name, kind))
        if len(names) == count:
            return names


def unique_slug(text, seen):
    """Return a slug of `text` not yet in `seen`, and remember it."""
    base = slug = slugify(text)[:80].strip("-")
    for number in itertools.count(2):
        if slug not in seen:
            break
        slug = f"{base}-{number}"
    seen.add(slug)
    return slug


def person_name(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def fill(rng, template):
    return template.format(
        topic=rng.choice(TOPICS),
        place=rng.choice(PLACES),
        adj=rng.choice(ADJECTIVES),
        year=rng.randint(2012, 2024),
        count=rng.randint(3, 60),
    )


class TextMaker:
    """Make titles and paragraphs from a fixed pool of filled-in sentences, which is fast."""

    POOL = 600

    def __init__(self, rng):
        self.rng = rng
        self.sent = [fill(rng, rng.choice(SENTENCES)) for _ in range(self.POOL)]
        self.replies = [fill(rng, rng.choice(REPLY_SENTENCES)) for _ in range(self.POOL)]

    def title(self):
        return fill(self.rng, self.rng.choice(ASKS))

    def paragraph(self, pool, low, high, *extra):
        sentences = self.rng.choices(pool, k=self.rng.randint(low, high))
        for sentence in extra:
            sentences.insert(self.rng.randrange(len(sentences) + 1), fill(self.rng, sentence))
        return " ".join(sentences)

    def summary(self, *extra):
        return self.paragraph(self.sent, 2, 4, *extra)

    def letter_body(self, letter, *extra):
        if letter.is_sent:
            return self.paragraph(self.sent, 3, 8, *extra)
        return self.paragraph(self.replies, 2, 6)


def letter_history(rng, first_sent_on, today):
    """Return a plausible run of letters from `first_sent_on`, none after `today`.

    Each round opens with a sent letter (the initial letter, later a follow-up), may draw an
    acknowledgement and reminders, and may end in a substantive reply, on time or late; a reply
    may be followed up, opening a new round. A round left without a reply is awaiting or overdue.
    """
    letters = []
    sent_on, kind = first_sent_on, LetterKind.INITIAL
    for round_number in range(4):
        asked_by = sent_on + timedelta(days=rng.choice((14, 21, 28, 42)))
        opening = LetterSpec(
            Direction.SENT,
            kind,
            sent_on,
            reply_requested_by=asked_by if rng.random() < 0.2 else None,
        )
        letters.append(opening)
        due_on = opening.due_on
        replied_on = None
        if rng.random() < (0.8 if round_number == 0 else 0.65):
            if rng.random() < 0.55:
                replied_on = sent_on + timedelta(
                    days=rng.randint(3, max(3, (due_on - sent_on).days))
                )
            else:
                replied_on = due_on + timedelta(days=rng.randint(1, 150))
        horizon = min(today, replied_on) if replied_on else today
        if rng.random() < 0.6:
            acknowledged_on = sent_on + timedelta(days=rng.randint(1, 10))
            if acknowledged_on < horizon:
                letters.append(
                    LetterSpec(Direction.RECEIVED, LetterKind.ACKNOWLEDGEMENT, acknowledged_on)
                )
        reminded_on = due_on + timedelta(days=rng.randint(2, 20))
        for _ in range(3):
            if reminded_on >= horizon or rng.random() > 0.7:
                break
            letters.append(LetterSpec(Direction.SENT, LetterKind.REMINDER, reminded_on))
            reminded_on += timedelta(days=rng.randint(14, 45))
        if replied_on is None or replied_on > today:
            break
        outcome = weighted(rng, OUTCOME_WEIGHTS)
        letters.append(LetterSpec(Direction.RECEIVED, LetterKind.SUBSTANTIVE, replied_on, outcome))
        sent_on, kind = replied_on + timedelta(days=rng.randint(7, 60)), LetterKind.FOLLOW_UP
        if sent_on > today or rng.random() > 0.45:
            break
    return sorted(letters, key=lambda letter: letter.date)


def first_sent_on(rng, today):
    """Return when a request's first letter went: mostly any day since 2019, a few recently."""
    if rng.random() < RECENT_SHARE:
        return today - timedelta(days=rng.randint(0, 25))
    return FIRST_DAY + timedelta(days=rng.randint(0, (today - FIRST_DAY).days - 30))


def closing(rng, letters, today):
    """Return (result, date) closing a sent request a little after its last letter."""
    closed_on = min(today, letters[-1].date + timedelta(days=rng.randint(0, 60)))
    return weighted(rng, {result: 1 for result in ClosedResult}), closed_on


def event_specs(rng, start, today):
    """Return (kind, date, precision) for the events around a request, 0.6 on average."""
    events = []
    for _ in range(weighted(rng, EVENT_COUNT_WEIGHTS)):
        day = start + timedelta(days=rng.randint(0, max(0, (today - start).days)))
        precision = weighted(rng, PRECISION_WEIGHTS)
        if precision == DatePrecision.MONTH:
            day = day.replace(day=1)
        elif precision == DatePrecision.YEAR:
            day = day.replace(month=1, day=1)
        events.append((rng.choice(list(EventKind)), day, precision))
    return events
