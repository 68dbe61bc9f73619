"""Dates known only to the month or the year, shown no more precisely than they are known."""

from django.utils.formats import date_format

from campaigns.choices import DatePrecision


def format_partial_date(day, precision=DatePrecision.DAY) -> str:
    """Return a date in words to the precision known: "29 April 2022", "April 2022", "2022"."""
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.MONTH:
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day)


def iso_partial_date(day, precision=DatePrecision.DAY) -> str:
    """Return a date for a `<time datetime>` attribute, to the precision known."""
    if precision == DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%Y-%m}"
    return day.isoformat()
