"""The admin home's "where to start" panel."""

from django import template

from workspace.home import SHOWN, home_for

register = template.Library()


@register.inclusion_tag("admin/workspace/home.html", takes_context=True)
def workspace_home(context):
    """Render the logged-in campaigner's coalitions, drafts and what is due or overdue."""
    return {"home": home_for(context["request"].user), "shown": SHOWN}
