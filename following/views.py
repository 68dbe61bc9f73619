"""Following by e-mail, for anyone: ask, confirm by the link sent, and stop with one click.

The pages are never cached (each carries a form), no page says whether an address already
follows something, and asking is limited per network address and per e-mail address.
"""

import hashlib

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from campaigns.models import Coalition, Organisation
from campaigns.public import public_coalition_ids, public_organisation_ids, public_requests
from campaigns.search import query_problem, query_terms
from following.models import Follow, Frequency
from following.tasks import send_confirmation

# At most this many asks to follow an hour from one network address, and a day to one address.
ASKS_PER_HOUR_FROM_ONE_PLACE = 10
ASKS_PER_DAY_TO_ONE_ADDRESS = 3


class FollowForm(forms.Form):
    email = forms.EmailField(label="Your e-mail address", max_length=254)
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.DAILY,
        widget=forms.RadioSelect,
    )


def followed_from(query) -> dict:
    """Return the public request, coalition or organisation a query names, or the search it
    asks for, as Follow's field."""
    if words := query.get("q", "").strip():
        return {} if query_problem(words) or not query_terms(words) else {"query": words}
    if slug := query.get("request"):
        found = public_requests().filter(slug=slug).first()
        return {"request": found} if found else {}
    if slug := query.get("coalition"):
        found = Coalition.objects.filter(slug=slug, pk__in=public_coalition_ids()).first()
        return {"coalition": found} if found else {}
    if slug := query.get("organisation"):
        found = Organisation.objects.filter(slug=slug, pk__in=public_organisation_ids()).first()
        return {"organisation": found} if found else {}
    return {}


def too_many(key, limit, seconds) -> bool:
    """Count one more ask under a key; say whether it is over the limit for the period."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between the two calls: this ask starts a new period
        cache.set(key, 1, seconds)
        return False


@never_cache
def follow_start(request):
    """Ask to follow something by e-mail: a confirmation is sent, nothing before it is followed."""
    target = followed_from(request.GET)
    if not target:
        raise Http404(
            "There is no public request, coalition or organisation by that name, nor a search "
            "that can be followed (a search needs words, at most 10)."
        )
    followed = next(iter(target.values()))
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        place = request.META.get("REMOTE_ADDR", "")
        address = hashlib.sha256(email.encode()).hexdigest()
        if too_many(f"follow-asks-from:{place}", ASKS_PER_HOUR_FROM_ONE_PLACE, 3600) or too_many(
            f"follow-asks-to:{address}", ASKS_PER_DAY_TO_ONE_ADDRESS, 86400
        ):
            form.add_error(
                None, "Too many asks to follow from here or to this address: try again tomorrow."
            )
        else:
            follow, created = Follow.objects.get_or_create(
                email=email, **target, defaults={"frequency": form.cleaned_data["frequency"]}
            )
            if follow.confirmed_at is None:
                if not created:  # asked again before confirming: the latest choice holds
                    follow.frequency = form.cleaned_data["frequency"]
                    follow.save(update_fields=["frequency"])
                send_confirmation.enqueue(follow.pk)
            return HttpResponseRedirect(reverse("following:sent"))
    return render(
        request,
        "following/start.html",
        {"form": form, "followed": followed, "page_title": f"Follow {followed} by e-mail"},
    )


@never_cache
def follow_sent(request):
    return render(request, "following/sent.html", {"page_title": "Check your e-mail"})


def link_gone(request):
    """Answer a link whose follow was stopped: nothing more will be sent."""
    return render(
        request, "following/gone.html", {"page_title": "Link no longer valid"}, status=404
    )


@never_cache
def follow_confirm(request, token):
    """Confirm a follow, by a button (a link alone could be followed by a mail scanner)."""
    follow = Follow.objects.filter(token=token).first()
    if follow is None:
        return link_gone(request)
    if request.method == "POST" and follow.confirmed_at is None:
        now = timezone.now()
        Follow.objects.filter(pk=follow.pk).update(confirmed_at=now, sent_up_to=now)
        follow.confirmed_at = now
    return render(request, "following/confirm.html", {"follow": follow, "page_title": "Confirm"})


@csrf_exempt  # Mail programs unsubscribe with a POST of no cookie (RFC 8058); the token is the key.
@never_cache
def follow_stop(request, token):
    """Stop following: the link in every message shows a button; one-click POST stops at once."""
    follow = Follow.objects.filter(token=token).first()
    if follow is None:
        return link_gone(request)
    if request.method == "POST":
        followed = follow.followed
        follow.delete()
        return render(
            request, "following/stopped.html", {"followed": followed, "page_title": "Stopped"}
        )
    return render(
        request, "following/stop.html", {"follow": follow, "page_title": "Stop following"}
    )
