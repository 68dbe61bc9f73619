"""The reference case as demo data: the 2022 coalition request to the Child Safeguarding
Practice Review Panel. Summaries are the project's own; short quotes are attributed."""

from datetime import date

from django.db import transaction

from campaigns.choices import (
    Channel,
    DatePrecision,
    Direction,
    EventKind,
    LetterKind,
    MembershipRole,
    OrganisationKind,
    Outcome,
)
from campaigns.models import (
    Coalition,
    Commitment,
    Event,
    Letter,
    Membership,
    Organisation,
    Person,
    Request,
)
from campaigns.services import asks_from_summaries, letters_sign_by_members, request_refresh

REQUEST_SLUG = "panel-48-incidents-analysis-2022"

ORGANISATIONS = [
    # slug, name, kind, description (websites are left for campaigners to add)
    ("article-39", "Article 39", OrganisationKind.CHARITY, "A children's rights charity."),
    (
        "basw",
        "BASW, the British Association of Social Workers",
        OrganisationKind.PROFESSIONAL,
        "The professional association for social workers.",
    ),
    (
        "children-england",
        "Children England",
        OrganisationKind.CHARITY,
        "An umbrella body for children's charities.",
    ),
    ("coram-group", "Coram Group", OrganisationKind.CHARITY, "A children's charity."),
    (
        "just-for-kids-law",
        "Just for Kids Law",
        OrganisationKind.CHARITY,
        "A charity giving children and young people legal help.",
    ),
    (
        "nagalro",
        "Nagalro",
        OrganisationKind.PROFESSIONAL,
        "The professional association for family court advisers, children's guardians and "
        "independent social workers.",
    ),
    (
        "association-of-lawyers-for-children",
        "Association of Lawyers for Children",
        OrganisationKind.PROFESSIONAL,
        "A professional association of lawyers for children.",
    ),
    (
        "child-safeguarding-practice-review-panel",
        "Child Safeguarding Practice Review Panel",
        OrganisationKind.PUBLIC_BODY,
        "An independent public body, set up in July 2018, that identifies, commissions and "
        "oversees reviews of serious child safeguarding cases in England. Postal address: c/o "
        "Department for Education, Sanctuary Buildings, Great Smith Street, London SW1P 3BT.",
    ),
]

MEMBER_SLUGS = [slug for slug, *_ in ORGANISATIONS[:7]]
LEAD_SLUG = "article-39"
PANEL_SLUG = "child-safeguarding-practice-review-panel"

# Abbreviations people search by.
OTHER_NAMES = {PANEL_SLUG: ["CSPRP"]}

PEOPLE = [
    # name, role, organisation slug
    ("Carolyne Willow", "Director", "article-39"),
    ("Carole Littlechild", "Chair", "nagalro"),
    ("Annie Hudson", "Chair", PANEL_SLUG),
]

REQUEST_SUMMARY = (
    "Publish the Panel's 2020 analysis of 48 incidents in which children in care died or were "
    "seriously harmed. The children were looked after children who had come into care because "
    "of abuse or neglect. The coalition asked for the analysis to be made public so that the "
    "sector could learn from it and it could inform policy on the care system."
)

LETTER_SENT_TEXT = (
    "Summary of the coalition's joint letter (the original is not reproduced here).\n\n"
    "Seven organisations, led by Article 39, wrote to the Chair of the Child Safeguarding "
    "Practice Review Panel asking it to make public its 2020 analysis of 48 incidents in which "
    "children in care died or were seriously harmed. The children had become looked after "
    "because of abuse or neglect.\n\n"
    "The letter noted that the Panel's two national reviews into the deaths of Arthur "
    "Labinjo-Hughes and Star Hobson were due at the end of May 2022 and would feed into the "
    "independent review of children's social care led by Josh MacAlister. The coalition argued "
    "that publishing the analysis would let the sector learn from these incidents and let the "
    "evidence inform policy on the care system."
)

LETTER_REPLY_TEXT = (
    "Summary of the Panel's reply (the original is not reproduced here).\n\n"
    "Annie Hudson, the Panel's Chair, replied to Carolyne Willow declining to publish the "
    "analysis. The Panel said its 2020 work was a small internal thematic analysis, carried out "
    "to inform its own work and not with publication in mind, and that some of the incidents "
    "were already covered by local reviews whose findings are or will be public.\n\n"
    "It said its general findings had gone into its Annual Report 2020: the sufficiency of "
    "high-quality residential and foster placements for looked after children with high-risk "
    "behaviour, parental mental health, and elective home education. It would share evidence "
    "through its next annual report and new practice briefings, and offered to meet the "
    "coalition again."
)

# What the Panel's reply of 30 May 2022 promised, and the event that kept the first.
ANNUAL_REPORT_COMMITMENT = "Share evidence through its next annual report, due later this year"
BRIEFINGS_COMMITMENT = "Share evidence through a new series of practice briefings"
ANNUAL_REPORT_EVENT = "Panel's third annual report, covering 2021"

EVENTS = [
    # title, kind, date, precision, date note, outlet, description
    (
        "Independent review of children's social care publishes its final report",
        EventKind.PUBLICATION,
        date(2022, 5, 23),
        DatePrecision.DAY,
        "approximate",
        "",
        "The review led by Josh MacAlister published its final report, days before the "
        "Panel's national review.",
    ),
    (
        "Panel publishes its national review into the murders of Arthur Labinjo-Hughes and "
        "Star Hobson",
        EventKind.PUBLICATION,
        date(2022, 5, 25),
        DatePrecision.DAY,
        "",
        "",
        "The review recommended multi-agency child protection units in every local authority "
        "area, national multi-agency practice standards and a national Child Protection Board.",
    ),
    (
        "Children First reports the Panel's refusal",
        EventKind.PRESS,
        date(2022, 5, 31),
        DatePrecision.YEAR,
        "after 30 May; exact date unknown",
        "Children First (WillisPalmer)",
        "Headline: \u201cCampaigners concerned over Safeguarding Panel's refusal to publish "
        "details of 48 serious incidents involving children in care\u201d. Carolyne Willow "
        "(Article 39) called it wrong that the national safeguarding body sits on an analysis of "
        "harm to children in the state's care; Carole Littlechild (Nagalro) called withholding "
        "it an indictment of current policy.",
    ),
    (
        ANNUAL_REPORT_EVENT,
        EventKind.PUBLICATION,
        date(2022, 12, 15),
        DatePrecision.DAY,
        "",
        "",
        "379 serious incident notifications relating to 398 children: 156 deaths and 242 cases "
        "of serious harm, 21% fewer notifications than in 2020.",
    ),
    (
        "Panel's fourth annual report, April 2022 to March 2023",
        EventKind.PUBLICATION,
        date(2023, 4, 1),
        DatePrecision.YEAR,
        "after March 2023; exact date not given",
        "",
        "393 notifications: 146 (37%) deaths and 227 (58%) cases of serious harm. 53% of "
        "reviews concerned children who had suffered neglect before the incident.",
    ),
]


@transaction.atomic
def demo_load():
    """Create or update the reference case; running it again changes nothing."""
    organisations = {}
    for slug, name, kind, description in ORGANISATIONS:
        organisations[slug], _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "description": description,
                "other_names": "\n".join(OTHER_NAMES.get(slug, [])),
            },
        )
    people = {}
    for name, role, org_slug in PEOPLE:
        people[name], _ = Person.objects.update_or_create(
            name=name, organisation=organisations[org_slug], defaults={"role_title": role}
        )

    coalition, _ = Coalition.objects.update_or_create(
        slug="publish-the-48-incidents-analysis",
        defaults={
            "name": "Coalition for publication of the Panel's 48-incident analysis",
            "description": (
                "Seven children's rights, social work and legal organisations, led by Article 39, "
                "who asked the Child Safeguarding Practice Review Panel in 2022 to publish its "
                "analysis of serious incidents involving children in care."
            ),
        },
    )
    for slug in MEMBER_SLUGS:
        role = MembershipRole.LEAD if slug == LEAD_SLUG else MembershipRole.MEMBER
        Membership.objects.update_or_create(
            coalition=coalition, organisation=organisations[slug], defaults={"role": role}
        )

    panel_chair = people["Annie Hudson"]
    request, _ = Request.objects.update_or_create(
        slug=REQUEST_SLUG,
        defaults={
            "title": "Publish the Panel's analysis of 48 incidents involving children in care",
            "summary": REQUEST_SUMMARY,
            "coalition": coalition,
            "recipient": organisations[PANEL_SLUG],
            "recipient_person": panel_chair,
            "is_published": True,
        },
    )

    sent, _ = Letter.objects.update_or_create(
        request=request,
        direction=Direction.SENT,
        kind=LetterKind.INITIAL,
        date=date(2022, 4, 29),
        defaults={
            "channel": Channel.LETTER,
            "addressee": panel_chair,
            "subject": "Request to publish the Panel's analysis of 48 serious incidents",
            "body": LETTER_SENT_TEXT,
        },
    )
    sent.signers.set([people["Carolyne Willow"]])
    letters_sign_by_members(letters=[sent])
    reply, _ = Letter.objects.update_or_create(
        request=request,
        direction=Direction.RECEIVED,
        kind=LetterKind.SUBSTANTIVE,
        date=date(2022, 5, 30),
        defaults={
            "channel": Channel.LETTER,
            "addressee": people["Carolyne Willow"],
            "subject": "Reply from the Chair of the Panel",
            "body": LETTER_REPLY_TEXT,
            "outcome": Outcome.REFUSED,
        },
    )
    reply.signers.set([panel_chair])
    for title, kind, when, precision, note, outlet, description in EVENTS:
        Event.objects.update_or_create(
            request=request,
            title=title,
            defaults={
                "kind": kind,
                "date": when,
                "date_precision": precision,
                "date_note": note,
                "outlet": outlet,
                "description": description,
            },
        )
    ask = request.asks.first() or asks_from_summaries([request])[0]
    annual_report = Event.objects.get(request=request, title=ANNUAL_REPORT_EVENT)
    for text, due_on, precision, kept_by in [
        (ANNUAL_REPORT_COMMITMENT, date(2022, 12, 31), DatePrecision.YEAR, annual_report),
        (BRIEFINGS_COMMITMENT, None, DatePrecision.DAY, None),
    ]:
        Commitment.objects.update_or_create(
            request=request,
            text=text,
            defaults={
                "letter": reply,
                "ask": ask,
                "due_on": due_on,
                "due_precision": precision,
                "kept_by": kept_by,
            },
        )
    request_refresh(request=request)
    return request
