"""Path converters for the site's addresses, registered when this module is imported."""

from django.urls import converters, register_converter


class IdConverter(converters.IntConverter):
    """A row's id: at most 18 digits, so a longer number is "not found" rather than a number
    the database's 64-bit columns cannot hold (an error on SQLite)."""

    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")
