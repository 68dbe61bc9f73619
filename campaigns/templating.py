"""Functions the public pages' templates call: dates, statuses, rounds, deadlines."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from markupsafe import Markup, escape

from campaigns.choices import DatePrecision, RequestStatus
from campaigns.partial_dates import format_partial_date, iso_partial_date


def partial_date(day, precision=DatePrecision.DAY, note=""):
    """Render a `<time>` element for a date shown to the precision it is known."""
    if day is None:
        return ""
    shown = format_partial_date(day, precision)
    if note:
        shown = f"{shown} ({note})"
    return format_html('<time datetime="{}">{}</time>', iso_partial_date(day, precision), shown)


def status(req):
    """Show a request's status, with the latest outcome while a later round is open."""
    after = req.outcome_so_far
    status = RequestStatus(req.status)  # decided once for the class and the words
    return format_html(
        '<span class="status status-{}">{}</span>{}',
        status.value,
        status.label,
        format_html('<span class="after-outcome">, after {}</span>', after) if after else "",
    )


def xml_escaped(value):
    """Escape text for an XML document (a feed): &, <, > and double quotes; an apostrophe is
    left as written, as readers of the feed's source expect."""
    return Markup(str(escape(value)).replace("&#39;", "'"))  # noqa: S704 - escaped here.


def decimal_places(value, places=-1) -> str:
    """Return a number with `places` decimal places, or, if `places` is negative, a whole
    number as one ("12") and any other with -`places` ("12.5"); halves rounded up. Django's
    floatformat filter for the pages' numbers (working days, chart widths), which took 17 µs
    a number, 5 ms of /stats/."""
    places, number = int(places), Decimal(str(value))
    if places < 0 and number == number.to_integral_value():
        places = 0
    rounded = number.quantize(Decimal(1).scaleb(-abs(places)), ROUND_HALF_UP)
    return f"{rounded if rounded else rounded.copy_abs():f}"  # never "-0"


def percent(share):
    """Return a share as a whole percentage, "80%"; a dash when there is none."""
    return "—" if share is None else f"{round(share * 100)}%"


def due_date_reached(letter):
    """Say when a sent letter's reply is due, how that date was reached, and each change.

    Built here, not in a template: for a request page with 15 sent letters Django's template
    engine took 3.7-5.3 ms and this 0.6-1.1 ms (best of 5 rounds of 20 pages each, at 100,000
    requests).
    """
    reached = letter.due_date_reached()
    changes = letter.deadline_changes_listed
    shown = format_partial_date
    if reached.asked_for:
        how = format_html("The letter asked for a reply by {}.", shown(reached.due_on))
        said = "date asked for"
    else:
        skipped = ", ".join(f"{shown(day)} ({name})" for day, name in reached.bank_holidays)
        how = format_html(
            "{} working days after {}, counting Monday to Friday {}: {}.",
            reached.working_days,
            shown(letter.date),
            f"and leaving out the bank holiday{'s' if len(reached.bank_holidays) > 1 else ''} "
            f"of {skipped}"
            if skipped
            else "(no bank holiday fell between)",
            shown(reached.due_on),
        )
        said = f"{reached.working_days} working days"
    moves = format_html_join("", "<p>{}</p>", ((change_said(change),) for change in changes))
    return format_html(
        '<div><dt>Reply due</dt><dd>{} ({})<details class="due-reached"><summary>How this date '
        "was reached</summary><p>{}</p>{}</details></dd></div>",
        shown(letter.due_on),
        "moved" if changes else said,
        how,
        moves,
    )


def change_said(change):
    """Say what a change in a deadline ledger did and why, linking the letter that brought it."""
    brought_by = change.brought_by
    source = ""
    if brought_by is not None and not brought_by.is_private:
        source = format_html(
            ', in <a href="#letter-{}">the {} of {}</a>',
            brought_by.pk,
            brought_by.get_kind_display().lower(),
            format_partial_date(brought_by.date),
        )
    return format_html(
        "{}: due {} instead{}. {}",
        change.get_kind_display(),
        format_partial_date(change.new_due_on),
        source,
        change.reason,
    )
