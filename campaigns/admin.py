"""The campaigners' admin: requests with their letters and events, and the parties."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.db.models.functions import Length
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import campaigns.converters  # noqa: F401 (registers <id:> for the part history addresses)
from campaigns.asks import answered_apart
from campaigns.attachments import uncommitted_files_removed
from campaigns.choices import Direction, LetterKind, RequestStatus
from campaigns.email_import import guess_direction, read_email
from campaigns.forms import (
    CaseStartForm,
    CommitmentFormSet,
    DeadlineChangeFormSet,
    EmailUploadForm,
    ImportedLetterForm,
    KnownAutocompleteSelect,
    KnownAutocompleteSelectMultiple,
    KnownChoicesFormSet,
    KnownModelChoiceField,
    KnownModelMultipleChoiceField,
    LetterForm,
    LetterFormSet,
    MembershipForm,
    MembershipFormSet,
    OrganisationForm,
    OrganisationMembershipFormSet,
    RequestForm,
    UKDateField,
    UKSplitDateTimeField,
    ask_for_files_again,
)
from campaigns.models import (
    Ask,
    Attachment,
    Coalition,
    Commitment,
    DeadlineChange,
    Event,
    Letter,
    Membership,
    Organisation,
    Person,
    Request,
)
from campaigns.search import SEARCH_TEXT_MAX_BYTES, search
from campaigns.services import (
    MembershipsRefused,
    case_start,
    email_import_done,
    email_import_keep,
    email_import_kept,
    event_change,
    event_record,
    letter_change,
    letter_record,
    letters_sign_by_members,
    memberships_save,
    request_refresh,
    signatures_record,
    summary_copies_change,
)
from workspace import access
from workspace.admin import (
    CoalitionRoleInline,
    CoalitionScoped,
    NamedAutocompletes,
    RequestPartScoped,
)
from workspace.history import ScopedHistoryAdmin, history_changes, history_changes_each

# Every admin date is typed and shown day first, and a mistyped one is told the format.
UK_DATES = {
    models.DateField: {"form_class": UKDateField},
    models.DateTimeField: {"form_class": UKSplitDateTimeField},
}
# Campaigners paste addresses without a scheme; assume https, as Django 6 will.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}
# The letter form's fields that change who signed it.
SIGNATURE_FIELDS = {"signers", "signatories", "signed_by_every_member"}
# The request change page's GET parameter naming the letter whose reply is being logged.
REPLY_TO_PARAMETER = "reply_to"


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return RequestStatus.choices

    def queryset(self, request, queryset):
        if self.value() in RequestStatus.values:
            return queryset.in_status(self.value())
        return queryset


class MembershipInline(CoalitionScoped, admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    formfield_overrides = UK_DATES
    autocomplete_fields = ("organisation",)
    extra = 1


class LetterInline(RequestPartScoped, admin.StackedInline):
    model = Letter
    form = LetterForm
    formset = LetterFormSet
    formfield_overrides = UK_DATES
    extra = 0
    autocomplete_fields = ("signers", "addressee", "signatories")
    readonly_fields = ("due_on", "log_reply")

    class Media:
        js = ("js/letter-form.js",)

    # Given by the method, not the `fieldsets` attribute, whose check refuses a many-to-many
    # field with its own through model; LetterSignatory has nothing else to fill in.
    def get_fieldsets(self, request, obj=None):
        several_asks = obj is not None and answered_apart(obj.asks_listed)
        outcomes = ("outcome", "ask_outcomes") if several_asks else ("outcome",)
        return (
            (None, {"fields": (("direction", "kind"), ("date", "channel"), *outcomes)}),
            (
                None,
                {
                    "fields": (
                        "signers",
                        "signed_by_every_member",
                        "signatories",
                        "addressee",
                        "subject",
                        "body",
                    )
                },
            ),
            (None, {"fields": ("kept_files", "files", ("reply_requested_by", "due_on"))}),
            (None, {"fields": ("is_private", "log_reply")}),
        )

    def get_extra(self, request, obj=None, **kwargs):
        # One blank letter to hold the reply asked for by "Log the reply to this letter".
        return 1 if self.replied_letter(request, obj) else super().get_extra(request, obj, **kwargs)

    def replied_letter(self, request, obj):
        """Return the letter of `obj` whose reply the page was opened to log, if any."""
        key = request.GET.get(REPLY_TO_PARAMETER, "")
        if obj is None or request.method != "GET" or not key.isdigit():
            return None
        return obj.letters.filter(pk=key).first()

    def reply_initial(self, letter):
        """Return the initial values of the reply to `letter`."""
        return {"direction": Direction.RECEIVED, "kind": LetterKind.SUBSTANTIVE}

    @admin.display(description=_("reply"))
    def log_reply(self, obj):
        if obj is None or obj.pk is None:
            return ""
        url = reverse("admin:campaigns_request_change", args=[obj.request_id])
        return format_html(
            '<a href="{}?{}={}#letters-group">{}</a>',
            url,
            REPLY_TO_PARAMETER,
            obj.pk,
            gettext("Log the reply to this letter"),
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("addressee__organisation")
            .prefetch_related(
                Prefetch("signers", queryset=Person.objects.select_related("organisation")),
                "signatories",
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.defer("text").annotate(text_length=Length("text")),
                ),
            )
        )

    # The chosen people and signatories of every letter are looked up together (see
    # KnownChoicesFormSet), so the page and a save cost the same however many letters there are.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["form_class"] = KnownModelChoiceField
            kwargs["widget"] = KnownAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name not in self.autocomplete_fields:
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        # Built here because the admin gives no field for a many-to-many field with its own
        # through model (signatories go through LetterSignatory).
        kwargs["form_class"] = KnownModelMultipleChoiceField
        kwargs["widget"] = KnownAutocompleteSelectMultiple(db_field, self.admin_site)
        queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is not None:
            kwargs.setdefault("queryset", queryset)
        return db_field.formfield(**kwargs)


class AskInline(RequestPartScoped, admin.TabularInline):
    model = Ask
    extra = 0
    fields = ("text", "position")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}
    }
    verbose_name_plural = _("What is asked (one row per ask; a reply can answer each)")


class CommitmentInline(RequestPartScoped, admin.StackedInline):
    model = Commitment
    formset = CommitmentFormSet
    extra = 0
    fields = ("text", ("letter", "ask"), ("due_on", "due_precision"), "kept_by")
    formfield_overrides = UK_DATES
    verbose_name_plural = _("What the body promised in its replies")


class DeadlineChangeInline(RequestPartScoped, admin.StackedInline):
    model = DeadlineChange
    formset = DeadlineChangeFormSet
    extra = 0
    fields = (("letter", "kind"), ("new_due_on", "brought_by"), "reason")
    formfield_overrides = UK_DATES
    verbose_name_plural = _(
        "Changes to when a reply is due (an extension, a pause, a holding reply's promise)"
    )


class EventInline(RequestPartScoped, admin.StackedInline):
    model = Event
    formset = KnownChoicesFormSet
    extra = 0
    formfield_overrides = HTTPS_URLS | UK_DATES
    fieldsets = (
        (None, {"fields": (("kind", "title"), ("date", "date_precision", "date_note"))}),
        (None, {"fields": ("description", ("outlet", "url"))}),
        (None, {"fields": ("is_private",)}),
    )


def restored_fields(model, *, leaving_out=()):
    """Return the fields of a letter or event a campaigner edits: what a restore brings back."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in ("request", *leaving_out)
    )


@dataclass(frozen=True)
class PartHistory:
    """A part of a request with a history page of its own, and how a version is restored."""

    model: type
    restored_fields: tuple
    record: object  # the write path that records it again, if it was deleted
    change: object  # the write path that changes it
    noun: str


# By the URL's word for them: /admin/campaigns/request/<id>/letters/<id>/history/.
PART_HISTORIES = {
    "letters": PartHistory(
        Letter,
        restored_fields(Letter),
        letter_record,
        lambda letter, **fields: letter_change(letter=letter, **fields),
        "letter",
    ),
    "events": PartHistory(
        Event,
        restored_fields(Event),
        event_record,
        lambda event, **fields: event_change(event=event, **fields),
        "event",
    ),
}


@admin.register(Request)
class RequestAdmin(CoalitionScoped, ScopedHistoryAdmin):
    list_display = (
        "title",
        "status_display",
        "coalition",
        "recipient",
        "sent_display",
        "last_activity_display",
        "is_published",
    )
    list_filter = (
        StatusFilter,
        ("coalition", admin.RelatedOnlyFieldListFilter),
        ("recipient", admin.RelatedOnlyFieldListFilter),
        "is_published",
    )
    # The search box shows when search_fields is set; get_search_results uses the site's search.
    search_fields = ("title", "summary", "slug")
    # Counting every request again beside the filtered count costs a full count at 100,000.
    show_full_result_count = False
    autocomplete_fields = ("coalition", "recipient", "recipient_person", "escalated_from")
    form = RequestForm
    formfield_overrides = UK_DATES
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("progress", "escalate", "created_at", "updated_at")
    inlines = (AskInline, LetterInline, DeadlineChangeInline, EventInline, CommitmentInline)
    object_history_template = "admin/campaigns/request/object_history.html"

    class Media:
        css = {"all": ("css/admin.css",)}

    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", ("is_published", "publish_at"))}),
        (_("Who"), {"fields": ("coalition", ("recipient", "recipient_person"))}),
        (_("Progress"), {"fields": ("progress",)}),
        (
            _("Escalation"),
            {
                "description": _(
                    "A refusal or silence can be taken further: each stage is a request of its "
                    "own, to its own body, linked to the stage before."
                ),
                "fields": (("escalated_from", "stage"), "escalate"),
            },
        ),
        (
            _("Closing"),
            {
                "classes": ("collapse",),
                "description": _("Close a request when the campaign on it is over."),
                "fields": (("closed_result", "closed_on"),),
            },
        ),
        (_("Record"), {"classes": ("collapse",), "fields": (("created_at", "updated_at"),)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_status().with_parties().with_rounds()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    # Editors enter and edit drafts; once published, a request is a publisher's to change.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, LetterInline) and (letter := inline.replied_letter(request, obj)):
            kwargs["initial"] = [inline.reply_initial(letter)]
        return kwargs

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST":  # Shown again after a POST only when the save failed.
            ask_for_files_again(
                form
                for inline_formset in context.get("inline_admin_formsets", ())
                for form in inline_formset.formset.forms
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Search as the public site does (full text on PostgreSQL), drafts included."""
        return search(queryset, search_term), False

    def view_on_site(self, obj):
        # A draft's page is a preview for those allowed to see it (campaigns/preview.py).
        return obj.get_absolute_url()

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        if obj.outcome_so_far:
            return _("%(status)s, after %(outcome)s") % {
                "status": obj.status_label,
                "outcome": obj.outcome_so_far,
            }
        return obj.status_label

    @admin.display(description=_("sent"), ordering="first_sent_on")
    def sent_display(self, obj):
        return date_format(obj.first_sent_on) if obj.first_sent_on else "-"

    @admin.display(description=_("last activity"), ordering="last_activity_on")
    def last_activity_display(self, obj):
        return date_format(obj.last_activity_on) if obj.last_activity_on else "-"

    @admin.display(description=_("where it stands"))
    def progress(self, obj):
        if obj.pk is None:
            return _("Shown once the request is saved.")
        # Rendered by the public pages' Jinja2 engine, which escapes as it goes.
        return mark_safe(render_to_string("admin/campaigns/request/progress.html", {"req": obj}))

    @admin.display(description=_("next stage"))
    def escalate(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the request first.")
        query = urlencode({"escalated_from": obj.pk, "coalition": obj.coalition_id})
        return format_html(
            '<a href="{}?{}">{}</a>',
            reverse("admin:campaigns_request_add"),
            query,
            gettext("Escalate this request: start its next stage"),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "start/",
                self.admin_site.admin_view(self.start_case_view),
                name="{}_{}_start".format(*info),
            ),
            path(
                "<path:object_id>/import-email/",
                self.admin_site.admin_view(self.import_email_view),
                name="{}_{}_import_email".format(*info),
            ),
            *(
                route
                for part, history in PART_HISTORIES.items()
                for route in (
                    path(
                        f"<path:object_id>/{part}/<id:part_id>/history/",
                        self.admin_site.admin_view(self.part_history_view),
                        {"part": part},
                        name="{}_{}_{}_history".format(*info, history.noun),
                    ),
                    path(
                        f"<path:object_id>/{part}/<id:part_id>/history/<id:history_id>/restore/",
                        self.admin_site.admin_view(self.part_restore_view),
                        {"part": part},
                        name="{}_{}_{}_restore".format(*info, history.noun),
                    ),
                )
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.history_object_or_404(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "part_histories": [
                (history.noun, self.part_histories(obj, history))
                for history in PART_HISTORIES.values()
            ],
        }
        return super().history_view(request, object_id, extra_context)

    def part_histories(self, obj, history):
        """Return each letter or event the request has had, deleted or not, with its history."""
        latest = {}
        for record in history.model.history.filter(request_id=obj.pk).order_by("history_date"):
            latest[record.id] = record
        return [
            (
                record.instance,
                record.history_type == "-",
                reverse(f"admin:campaigns_request_{history.noun}_history", args=[obj.pk, part_id]),
            )
            for part_id, record in latest.items()
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert saves the request's own fields; its stored facts follow from the letters.
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                request_refresh(request=self.get_object(request, unquote(object_id)))
        return response

    def start_case_view(self, request):
        """Start a case in one form: the coalition, the request and the letter sent."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CaseStartForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                req = case_start(user=request.user, **form.case_fields())
            except ValidationError as refused:
                # A rule of the models the form does not check itself: said, nothing saved.
                form.add_error(None, refused.messages)
            else:
                messages.success(
                    request,
                    gettext(
                        "The case “%(title)s” is started, as a draft. Add the replies below as "
                        "they come, and publish it when it is ready."
                    )
                    % {"title": req.title},
                )
                return HttpResponseRedirect(
                    reverse("admin:campaigns_request_change", args=[req.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Start a new case"),
            "form": form,
            "opts": self.opts,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/campaigns/request/start_case.html", context)

    def import_email_view(self, request, object_id):
        """Read a letter from an e-mail message, then save it once the campaigner has checked it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(gettext("There is no request with this ID."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:campaigns_request_change", args=[obj.pk])
        upload, letter_form, email = EmailUploadForm(), None, None
        if request.method == "POST" and "save" in request.POST:
            raw = email_import_kept(token=request.POST.get("token", ""), request=obj)
            if raw is None:
                messages.error(
                    request,
                    gettext("The message read earlier is no longer kept; choose it again."),
                )
                return HttpResponseRedirect(request.path)
            email = read_email(raw)
            letter_form = ImportedLetterForm(request.POST, email=email)
            if letter_form.is_valid():
                try:
                    letter = letter_record(**letter_form.letter_fields(obj))
                except ValidationError as refused:
                    letter_form.add_error(None, refused.messages)
                else:
                    email_import_done(token=letter_form.cleaned_data["token"])
                    messages.success(
                        request, gettext("The letter “%(letter)s” is saved.") % {"letter": letter}
                    )
                    for problem in letter.attachment_problems:
                        messages.warning(request, problem)
                    return HttpResponseRedirect(f"{change_url}#letters-group")
        elif request.method == "POST":
            upload = EmailUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                email = upload.cleaned_data["email"]
                if email.message_id and (
                    imported := obj.letters.filter(message_id=email.message_id).first()
                ):
                    upload.add_error(
                        None,
                        gettext(
                            "This message is already on this request: it is the letter "
                            "“%(letter)s”. Nothing was imported again."
                        )
                        % {"letter": imported},
                    )
                    email = None
                else:
                    letter_form = ImportedLetterForm(
                        initial=self.imported_letter_initial(obj, email, upload),
                        email=email,
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import a letter from an e-mail"),
            "form": letter_form or upload,
            "email": email if letter_form else None,
            "opts": self.opts,
            "original": obj,
        }
        return TemplateResponse(request, "admin/campaigns/request/import_email.html", context)

    def imported_letter_initial(self, obj, email, upload):
        """Return the letter form's first values: what the message says, and a guess of its
        direction from the sender's domain."""
        members = Organisation.objects.filter(memberships__coalition=obj.coalition_id)
        direction = guess_direction(
            email,
            recipient_websites=[obj.recipient.website],
            member_websites=members.values_list("website", flat=True),
        )
        sent_before = obj.letters.filter(direction=Direction.SENT).exists()
        kind = {
            Direction.SENT: LetterKind.FOLLOW_UP if sent_before else LetterKind.INITIAL,
        }.get(direction, "")
        return {
            "token": email_import_keep(raw=upload.cleaned_data["raw"], request=obj),
            "direction": direction,
            "kind": kind,
            "date": email.sent_on,
            "subject": email.subject,
            "body": email.text,
            "files": [str(index) for index in range(len(email.kept_files))],
        }

    def part_history_view(self, request, object_id, part_id, part):
        """Show every version of one of the request's letters or events, with what changed."""
        obj = self.history_object_or_404(request, object_id)
        history = PART_HISTORIES[part]
        records = history.model.history.filter(request_id=obj.pk, id=part_id).select_related(
            "history_user"
        )
        records = history_changes(history.model, records.order_by("-history_date", "-history_id"))
        if not records:
            raise Http404(gettext("There is no %(noun)s with this ID.") % {"noun": history.noun})
        file_records = []
        if history.model is Letter:
            file_records = history_changes_each(
                Attachment,
                Attachment.history.filter(letter_id=part_id)
                .select_related("history_user")
                .order_by("-history_date", "-history_id"),
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("History of a %(noun)s: %(part)s")
            % {"noun": history.noun, "part": records[0].instance},
            "opts": self.opts,
            "original": obj,
            "records": records,
            "file_records": file_records,
            "noun": history.noun,
            "restore_url_name": f"admin:campaigns_request_{history.noun}_restore",
            "can_restore": self.has_change_permission(request, obj),
            "part_id": part_id,
        }
        return TemplateResponse(request, "admin/campaigns/request/part_history.html", context)

    def part_restore_view(self, request, object_id, part_id, history_id, part):
        """Bring a letter or event back as it was in one version, through the write path."""
        obj = self.history_object_or_404(request, object_id)
        history = PART_HISTORIES[part]
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse(f"admin:campaigns_request_{history.noun}_history", args=[obj.pk, part_id])
            )
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(
            history.model.history, request_id=obj.pk, id=part_id, history_id=history_id
        )
        fields = {name: getattr(record, name) for name in history.restored_fields}
        existing = history.model.objects.filter(request=obj, pk=part_id).first()
        if existing is None:
            restored = history.record(request=obj, id=part_id, **fields)
        else:
            restored = history.change(existing, **fields)
        messages.success(
            request,
            gettext("The %(noun)s “%(part)s” is back as it was on %(date)s.")
            % {
                "noun": history.noun,
                "part": restored,
                "date": date_format(timezone.localtime(record.history_date)),
            },
        )
        return HttpResponseRedirect(reverse("admin:campaigns_request_change", args=[obj.pk]))

    def changeform_view(self, request, *args, **kwargs):
        # Outside the view's transaction, so files uploaded by a save that fails are deleted.
        with uncommitted_files_removed():
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if change and "summary" in form.changed_data:
            # Before the asks' inline is saved: an ask edited there too keeps its new text.
            summary_copies_change(request=obj, old_summary=form.initial["summary"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        letter_forms = [
            letter_form
            for formset in formsets
            if formset.model is Letter
            for letter_form in formset.forms
            if letter_form.instance.pk and hasattr(letter_form, "cleaned_data")
        ]
        letters_sign_by_members(
            letters=[
                letter_form.instance
                for letter_form in letter_forms
                if letter_form.cleaned_data.get("signed_by_every_member")
            ]
        )
        signatures_record(
            letters=[
                letter_form.instance
                for letter_form in letter_forms
                if set(letter_form.changed_data) & SIGNATURE_FIELDS
            ]
        )
        text = request_refresh(request=form.instance)
        for letter_form in letter_forms:
            for problem in letter_form.attachment_problems:
                messages.warning(request, problem)
        if text.cut:
            messages.warning(
                request,
                gettext(
                    "This request has more text than search reads (%(size)s), so search will "
                    "not find words near the end of its letters, attachments and events."
                )
                % {"size": filesizeformat(SEARCH_TEXT_MAX_BYTES)},
            )


class MembershipsSaved:
    """An admin page whose memberships are saved through the write path that keeps one lead
    per coalition, and which says so, saving nothing, when another save made them break it."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships_save(saved=formset.save(commit=False), deleted=formset.deleted_objects)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except MembershipsRefused as refused:
            # The form checked the memberships, but someone saved others since; the whole save
            # was rolled back.
            messages.error(
                request,
                gettext(
                    "Nothing was saved: the coalition's members were changed by someone else "
                    "while you edited them, and your changes would leave this: %(problems)s "
                    "Here they are as they are now; make your changes again."
                )
                % {"problems": " ".join(refused.messages)},
            )
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Coalition)
class CoalitionAdmin(MembershipsSaved, CoalitionScoped, admin.ModelAdmin):
    list_display = ("name", "lead_display", "member_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline, CoalitionRoleInline)
    coalition_path = "pk"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
            )
        )

    @admin.display(description=_("lead"))
    def lead_display(self, obj):
        leads = [m.organisation.name for m in obj.memberships.all() if m.is_lead]
        return leads[0] if leads else "-"

    @admin.display(description=_("members"))
    def member_count(self, obj):
        return len(obj.memberships.all())


class OrganisationMembershipInline(CoalitionScoped, admin.TabularInline):
    model = Membership
    formset = OrganisationMembershipFormSet
    autocomplete_fields = ("coalition",)
    formfield_overrides = UK_DATES
    extra = 0
    verbose_name = _("coalition membership")
    verbose_name_plural = _("coalition memberships")


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(MembershipsSaved, ScopedHistoryAdmin):
    form = OrganisationForm
    list_display = ("name", "other_names_shown", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name", "other_names", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PersonInline, OrganisationMembershipInline)
    formfield_overrides = HTTPS_URLS

    @admin.display(description=_("other names"), ordering="other_names")
    def other_names_shown(self, organisation):
        return "; ".join(organisation.also_known_as)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # Asked only when adding: a recorded organisation was already checked.
        return fields if obj is None else [name for name in fields if name != "not_a_duplicate"]


@admin.register(Person)
class PersonAdmin(NamedAutocompletes, ScopedHistoryAdmin):
    list_display = ("name", "role_title", "organisation")
    list_filter = ("organisation",)
    search_fields = ("name", "role_title", "organisation__name", "organisation__other_names")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
