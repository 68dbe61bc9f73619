"""The campaigner's own choice of e-mail alerts, per coalition."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from workspace.models import CoalitionRole

AlertChoices = forms.modelformset_factory(
    CoalitionRole,
    fields=("alert_due_soon", "alert_overdue", "alert_commitments", "weekly_digest"),
    extra=0,
)


def alert_choices(request, admin_site):
    """Let a campaigner choose, for each of their coalitions, which alerts they are sent."""
    roles = CoalitionRole.objects.filter(user=request.user).select_related("coalition")
    formset = AlertChoices(request.POST or None, queryset=roles)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Your alert choices are saved."))
        return HttpResponseRedirect(request.path)
    context = {
        **admin_site.each_context(request),
        "title": _("Your e-mail alerts"),
        "formset": formset,
        "email": request.user.email,
    }
    return TemplateResponse(request, "admin/workspace/alerts.html", context)
