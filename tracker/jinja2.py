"""The Jinja2 environment of the public pages: Django's URLs, static files and filters."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import defaultfilters
from django.template.defaulttags import querystring
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment, Undefined

from campaigns import templating
from campaigns.rounds import open_round_of


def url(name, *args, **kwargs):
    """Return the path of the named URL, as Django's `{% url %}` tag does."""
    return reverse(name, args=args, kwargs=kwargs)


def environment(**options):
    """Make the environment Django's Jinja2 backend renders the public pages with."""
    # Django's backend prints a missing variable's name when DEBUG is on; render alike everywhere.
    env = Environment(**{**options, "undefined": Undefined})
    env.globals.update(
        url=url,
        static=static,
        querystring=lambda query_dict, **changes: querystring(None, query_dict, **changes),
        partial_date=templating.partial_date,
        status=templating.status,
        open_round=open_round_of,
        due_date_reached=templating.due_date_reached,
    )
    env.filters.update(
        date=defaultfilters.date,
        capfirst=defaultfilters.capfirst,
        floatformat=templating.decimal_places,
        linebreaks=defaultfilters.linebreaks_filter,
        pluralize=defaultfilters.pluralize,
        truncatechars=defaultfilters.truncatechars,
        truncatewords=defaultfilters.truncatewords,
        urlencode=defaultfilters.urlencode,
        intcomma=intcomma,
        percent=templating.percent,
        xml=templating.xml_escaped,
    )
    return env
