"""Coalition roles in the admin, and the access rules every request-scoped admin applies."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import Http404
from django.utils.translation import gettext as _

from campaigns.forms import NamedAutocompleteSelect
from campaigns.models import Coalition, Request
from workspace import access
from workspace.models import CoalitionRole


class NamedAutocompletes:
    """Autocomplete boxes that say what to type, which also names them for screen readers."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CoalitionRoleInline(NamedAutocompletes, admin.TabularInline):
    """Who works on a coalition, and as what; only superusers hold the permissions to edit it."""

    model = CoalitionRole
    extra = 0
    autocomplete_fields = ("user", "coalition")


class CoalitionScoped(NamedAutocompletes):
    """Show and change only the rows of the user's coalitions, found at `coalition_path`.

    Any other row answers 404, exactly as a row that does not exist, so that nothing reveals
    another coalition's drafts; related choices offer only the user's coalitions and requests.
    """

    coalition_path = "coalition"

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request.user, self.coalition_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Coalition:
            kwargs["queryset"] = access.coalitions_for(request.user)
        elif db_field.related_model is Request:
            kwargs["queryset"] = access.requests_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def delete_view(self, request, object_id, extra_context=None):
        # Django refuses a user without the delete permission before looking the row up; look
        # first, so that another coalition's row is a 404 here too and never a 403.
        if self.get_object(request, unquote(object_id)) is None:
            self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().delete_view(request, object_id, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects with "doesn't exist. Perhaps it was deleted?"; a plain 404 says the
        # same of a hidden row and a missing one, and is what a stale link should get.
        raise Http404(_("There is no %(name)s with this ID.") % {"name": opts.verbose_name})


class RequestPartScoped(CoalitionScoped):
    """An inline part of a request (letter, event, ...), changed only with its request."""

    coalition_path = "request__coalition"

    def _request_changeable(self, request, obj):
        return obj is None or access.can_change(request.user, obj)

    def has_add_permission(self, request, obj):
        allowed = super().has_add_permission(request, obj)
        return allowed and self._request_changeable(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._request_changeable(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._request_changeable(request, obj)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CampaignerUserAdmin(UserAdmin):
    inlines = (*UserAdmin.inlines, CoalitionRoleInline)
