"""The admin home's "where to start" panel."""

from django import template

from workspace.home import SHOWN, home_for

register = template.Library()


@register.inclusion_tag("admin/workspace/home.html", takes_context=True)
def workspace_home(context):
    """Render the logged-in campaigner's coalitions, drafts and what is due or overdue."""
    user = context["request"].user
    return {
        "home": home_for(user),
        "shown": SHOWN,
        "can_start": user.has_perm("campaigns.add_request"),
    }
