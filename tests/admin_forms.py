"""Build POST data for the admin's change forms, inline formsets included."""

from django.urls import reverse

LETTER_FIELDS = (
    "direction",
    "kind",
    "date",
    "channel",
    "outcome",
    "signers",
    "signed_by_every_member",
    "addressee",
    "signatories",
    "subject",
    "body",
    "reply_requested_by",
    "files",
    "kept_files-private",
    "kept_files-remove",
)
ASK_FIELDS = ("text", "position")
EVENT_FIELDS = ("kind", "title", "date", "date_precision", "date_note", "description", "outlet")


def inline_data(prefix, rows, fields, initial=0):
    """Return the management form and rows of one inline formset."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for field in (*fields, "id", "DELETE"):
            if field in row:
                data[f"{prefix}-{index}-{field}"] = row[field]
    return data


def inline_formset(response, prefix):
    """Return the inline formset with this prefix ("asks", "letters", "events") of a change form."""
    (formset,) = (
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    return formset


def request_form_data(*, coalition, recipient, letters=(), events=(), asks=(), **fields):
    """Return POST data for the admin's request form with its asks, letters and events."""
    data = {
        "title": "Publish the analysis",
        "slug": "publish-the-analysis",
        "summary": "Publish it.",
        "coalition": str(coalition.pk),
        "recipient": str(recipient.pk),
        "recipient_person": "",
        "is_published": "on",
        "closed_result": "",
        "closed_on": "",
        **fields,
    }
    data.update(inline_data("asks", asks, ASK_FIELDS))
    data.update(inline_data("letters", letters, LETTER_FIELDS))
    data.update(inline_data("events", events, EVENT_FIELDS))
    data.update(inline_data("commitments", [], ()))
    data.update(inline_data("deadline_changes", [], ()))
    return data


def sent_letter(**fields):
    """Return a sent letter's form fields: a joint letter of every member unless told otherwise."""
    signed = {} if "signatories" in fields else {"signed_by_every_member": "on"}
    return {
        "direction": "sent",
        "kind": "initial",
        "date": "2022-04-29",
        "channel": "letter",
        **signed,
    } | fields


def reply_letter(**fields):
    return {
        "direction": "received",
        "kind": "substantive",
        "date": "2022-05-30",
        "channel": "letter",
        "outcome": "refused",
    } | fields


def membership_data(rows, initial=0):
    """Return POST data for the coalition form's membership inline (and its empty roles inline)."""
    data = inline_data("memberships", rows, ("organisation", "role", "joined_on"), initial)
    return data | inline_data("roles", [], ())


def post_request(client, parties, **kwargs):
    """Post the admin's add form for a request of `parties` (a coalition and its recipient)."""
    coalition, recipient = parties
    return client.post(
        reverse("admin:campaigns_request_add"),
        request_form_data(coalition=coalition, recipient=recipient, **kwargs),
    )
