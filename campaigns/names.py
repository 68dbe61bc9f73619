"""Organisations' names: other names (DfE, CSPRP), how names are compared and matched."""

import difflib
import re

from django.core.exceptions import ValidationError

MAX_OTHER_NAMES = 20
MAX_NAME_CHARS = 200


def split_other_names(text, own_name=""):
    """Return the other names written one per line, tidied, each once, without the name itself."""
    names, seen = [], {comparable_name(own_name)} if own_name else set()
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if name and (key := comparable_name(name) or name.casefold()) not in seen:
            seen.add(key)
            names.append(name)
    return names


def validate_other_names(names):
    """Refuse other names too long or too many to be names, saying which."""
    if len(names) > MAX_OTHER_NAMES:
        raise ValidationError(
            f"Give at most {MAX_OTHER_NAMES} other names, one per line; there are {len(names)}.",
            code="too_many_names",
        )
    for name in names:
        if len(name) > MAX_NAME_CHARS:
            raise ValidationError(
                f"Each other name can be at most {MAX_NAME_CHARS} characters long; "
                f"“{name[:40]}…” has {len(name)}. Put one name on each line.",
                code="name_too_long",
            )


def comparable_name(name):
    """Return an organisation's name as compared for duplicates: case, punctuation, "the" aside."""
    words = re.sub(r"[^\w\s]", " ", name.casefold()).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def close_names(name, names, limit=3):
    """Return up to `limit` of `names` close enough to `name` to be the same organisation."""
    by_comparable = {comparable_name(other): other for other in names}
    close = difflib.get_close_matches(comparable_name(name), by_comparable, n=limit, cutoff=0.85)
    return [by_comparable[match] for match in close]


def recorded_names(rows):
    """Return each recorded name and other name, by how names are compared: (name, other name).

    `rows` are organisations' (name, other names) pairs; the other name is "" for a name itself.
    """
    recorded = {}
    for name, others in rows:
        recorded.setdefault(comparable_name(name), (name, ""))
        for other in others.splitlines():
            recorded.setdefault(comparable_name(other), (name, other))
    return recorded


def close_recorded(name, recorded):
    """Return the (name, other name) of each recorded name close to `name`, of recorded_names()."""
    return [recorded[key] for key in close_names(name, recorded)]


def longest_word(text):
    """Return the longest word of a text, "" if it has none: what a search for a name sifts by."""
    return max(re.findall(r"\w+", text or ""), key=len, default="")


def names_word(text, names):
    """Return whether `text` appears as whole words in any of `names`, ignoring case."""
    words = comparable_name(text)
    if not words:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)")
    return any(pattern.search(comparable_name(name)) for name in names)
