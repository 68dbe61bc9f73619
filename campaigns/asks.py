"""The asks rule, as pure functions: the latest answer to each ask and the outcome they make.

A request holds one or more asks. A substantive reply may answer each ask with its own outcome
(an answer); a reply with no answers of its own gives its one outcome to every ask, and a
request with one ask reads each reply's own outcome as its answer (answers of its own are
read only where there are several asks), so it reads exactly as one outcome per reply. The
latest answer to an ask is the one in the latest reply that answered it, and the request's
outcome is the asks' latest answers put together by `combined_outcome`, the one place that
says how.

The functions work on any objects with `pk` (asks, replies) and `letter_id`, `ask_id`,
`outcome` (answers), so the write path, the page and the tests share them without a database.
"""

from dataclasses import dataclass

from campaigns.choices import Outcome

# Outcomes that mean the body gave at least part of what was asked.
GRANTING = (Outcome.MET, Outcome.PARTLY_MET)


def answered_apart(asks) -> bool:
    """Return whether replies answer these asks one by one: only when there are several."""
    return len(asks) > 1


def combined_outcome(outcomes) -> str:
    """Return the outcome of several answers together: the same if all agree, otherwise
    "partly met" when any gave something, else "refused" (some refused, the rest unanswered).
    """
    outcomes = set(outcomes)
    if not outcomes:
        return ""
    if len(outcomes) == 1:
        return outcomes.pop()
    if outcomes & set(GRANTING):
        return Outcome.PARTLY_MET
    return Outcome.REFUSED


@dataclass(frozen=True)
class LatestAnswer:
    """An ask, and the outcome and reply of the latest answer to it (None if never answered)."""

    ask: object
    outcome: str = ""
    reply: object = None

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label if self.outcome else ""


def reply_answers(reply, answers) -> dict:
    """Return a reply's outcome for each ask it answered, by ask pk; None means every ask."""
    own = {answer.ask_id: answer.outcome for answer in answers if answer.letter_id == reply.pk}
    return own or None


def latest_answers(asks, replies, answers) -> list[LatestAnswer]:
    """Return each ask with its latest answer, from replies in the order the round rule reads."""
    latest = {ask.pk: LatestAnswer(ask) for ask in asks}
    for reply in replies:
        own = reply_answers(reply, answers)
        for ask in asks:
            if own is None:
                latest[ask.pk] = LatestAnswer(ask, reply.outcome, reply)
            elif ask.pk in own:
                latest[ask.pk] = LatestAnswer(ask, own[ask.pk], reply)
    return list(latest.values())


def request_outcome(asks, replies, answers) -> str:
    """Return the request's outcome so far: its asks' latest answers put together.

    An ask no reply has answered counts as not answered once any reply has come; a request
    with no asks recorded takes its latest reply's outcome.
    """
    if not replies:
        return ""
    if not asks:
        return replies[-1].outcome
    return combined_outcome(
        answer.outcome or Outcome.NO_ANSWER for answer in latest_answers(asks, replies, answers)
    )
