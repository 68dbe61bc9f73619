"""The open round of a request as readers see it: its letter, due date and countdown to today.

The request page, the embed card, the admin, the CSV and the API all read it from here, from
the facts the write path stored, so they say the same thing.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.deadlines import working_days_between


@dataclass(frozen=True)
class Countdown:
    """How long until a reply is due, or how long it has been overdue, on a given day."""

    due_on: date
    today: date

    @property
    def is_overdue(self):
        return self.today > self.due_on

    @property
    def days_left(self):
        return max((self.due_on - self.today).days, 0)

    @property
    def working_days_left(self):
        return working_days_between(self.today, self.due_on)

    @property
    def days_overdue(self):
        return max((self.today - self.due_on).days, 0)

    @property
    def working_days_overdue(self):
        return working_days_between(self.due_on, self.today)

    def __str__(self):
        if self.is_overdue:
            return _("overdue by %(working)s (%(days)s)") % {
                "working": working_days_text(self.working_days_overdue),
                "days": days_text(self.days_overdue),
            }
        if self.days_left == 0:
            return _("due today")
        return _("%(working)s left (%(days)s)") % {
            "working": working_days_text(self.working_days_left),
            "days": days_text(self.days_left),
        }


@dataclass(frozen=True)
class OpenRound:
    """The letter still waiting for a substantive reply, and its countdown."""

    letter: object
    countdown: Countdown

    @property
    def due_on(self):
        return self.countdown.due_on


def days_text(days):
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": f"{days:,}"}


def working_days_text(days):
    return ngettext("%(count)s working day", "%(count)s working days", days) % {
        "count": f"{days:,}"
    }


def open_round_of(request, today=None) -> OpenRound | None:
    """Return a running request's open round, read from its stored facts."""
    if request.open_due_on is None or request.closed_result:
        return None
    today = today or timezone.localdate()
    return OpenRound(letter=request.open_letter, countdown=Countdown(request.open_due_on, today))
