"""Who may see, change and publish which requests: the one place the admin asks.

A campaigner works on the coalitions they hold a role in (workspace.CoalitionRole): an editor
enters and edits drafts; a publisher also publishes, and changes published requests. Superusers
see and do everything. Shared organisations and people are outside these rules: the group's
model permissions let campaigners add and change them but not delete them.
"""

from django.db.models import Q

from campaigns.models import Coalition, Request
from workspace.models import CoalitionRole, Role

# The fields that make a request public, and when: only a publisher of its coalition sets them.
PUBLISHING_FIELDS = ("is_published", "publish_at")


def sees_everything(user):
    return user.is_active and user.is_superuser


def roles_for(user):
    """Return the user's role in each of their coalitions, by coalition id (read once a request)."""
    if not user.is_authenticated:
        return {}
    if not hasattr(user, "_coalition_roles"):
        user._coalition_roles = dict(
            CoalitionRole.objects.filter(user=user).values_list("coalition_id", "role")
        )
    return user._coalition_roles


def coalition_ids_for(user):
    """Return a subquery of the ids of the coalitions the user works on."""
    return CoalitionRole.objects.filter(user_id=user.pk).values("coalition_id")


def scope(queryset, user, coalition_path):
    """Return the rows of `queryset` whose coalition (at `coalition_path`) the user works on."""
    if sees_everything(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q((f"{coalition_path}__in", coalition_ids_for(user))))


def coalitions_for(user):
    """Return the coalitions the user works on (every one for a superuser)."""
    return scope(Coalition.objects.all(), user, "pk")


def requests_for(user):
    """Return the requests of the coalitions the user works on (every one for a superuser)."""
    return scope(Request.objects.all(), user, "coalition")


def can_publish_for(user, coalition_id):
    """Return whether the user may publish, and change published, requests of this coalition."""
    return sees_everything(user) or roles_for(user).get(coalition_id) == Role.PUBLISHER


def can_publish(user, request):
    """Return whether the user may publish this request, or change it once published."""
    return can_publish_for(user, request.coalition_id)


def can_publish_any(user):
    """Return whether the user publishes for at least one coalition."""
    return sees_everything(user) or Role.PUBLISHER in roles_for(user).values()


def can_change(user, request):
    """Return whether the user may change (or delete) this request: drafts, or a publisher's."""
    return not request.is_published or can_publish(user, request)


def can_see(user, request):
    """Return whether the user works on this request's coalition (a superuser on every one)."""
    return sees_everything(user) or request.coalition_id in roles_for(user)
