"""Dates known only to the month or the year, shown no more precisely than they are known."""

from datetime import date

from django.utils.formats import date_format

from campaigns.choices import DatePrecision

# Written as the site's language (en-GB) formats dates, "j F Y" and "F Y", without Django's
# general formatter: 20 µs a date, most of what a list page spent on its 40 dates.
MONTHS = tuple(date_format(date(2000, month, 1), "F") for month in range(1, 13))


def format_partial_date(day, precision=DatePrecision.DAY) -> str:
    """Return a date in words to the precision known: "29 April 2022", "April 2022", "2022"."""
    if precision == DatePrecision.YEAR:
        return str(day.year)
    month = MONTHS[day.month - 1]
    if precision == DatePrecision.MONTH:
        return f"{month} {day.year}"
    return f"{day.day} {month} {day.year}"


def iso_partial_date(day, precision=DatePrecision.DAY) -> str:
    """Return a date for a `<time datetime>` attribute, to the precision known."""
    if precision == DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%Y-%m}"
    return day.isoformat()
