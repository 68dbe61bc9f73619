"""Who may preview a request's public page before the public may see it, and what it says."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.models import Request
from campaigns.public import as_shown
from workspace.access import can_see


def draft_preview_allowed(user, request):
    """Return whether a user may see a draft, embargoed or private part of a request's page."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("campaigns.view_request")
        and can_see(user, request)
    )


def preview_requests():
    """Return every request, drafts and embargoed ones too, as its page shows it."""
    is_public = Exists(Request.objects.published().filter(pk=OuterRef("pk")))
    return as_shown(Request.objects.annotate(is_public=is_public))


def preview_notice(req):
    """Return what a campaigner's preview says of a request the public cannot see yet, or ""."""
    if not req.is_published:
        return _("Draft: not public")
    if not req.is_public and req.publish_at:
        moment = date_format(timezone.localtime(req.publish_at), "j F Y, H:i")
        return _("Embargoed until %(moment)s") % {"moment": moment}
    return ""
