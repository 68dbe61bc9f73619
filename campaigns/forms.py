"""Admin forms and formsets that check rules spanning several rows of one submission."""

import json
from functools import cached_property

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.ask_fields import AskOutcomesField
from campaigns.asks import answered_apart, combined_outcome
from campaigns.attachment_fields import KeptFilesField, MultipleFileField
from campaigns.choices import (
    RECEIVED_KINDS,
    SENT_KINDS,
    Channel,
    Direction,
    LetterKind,
    MembershipRole,
    Outcome,
)
from campaigns.correspondence import replies_before_first_sent
from campaigns.email_import import EMAIL_MAX_BYTES, UnreadableEmail, read_email
from campaigns.grouping import grouped
from campaigns.models import AskAnswer, Organisation
from campaigns.names import (
    MAX_NAME_CHARS,
    close_recorded,
    comparable_name,
    recorded_names,
    split_other_names,
)
from campaigns.services import answers_save, attachments_save, membership_problems
from campaigns.validators import validate_plausible_date
from workspace.access import (
    PUBLISHING_FIELDS,
    can_publish,
    can_publish_any,
    can_publish_for,
    coalitions_for,
)

# Day first, as campaigners in the UK type dates; ISO dates as the admin's calendar has written.
UK_DATE_INPUT_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%d %b, %Y",
    "%Y-%m-%d",
)
UK_DATE_FORMAT_HELP = gettext_lazy(
    "Enter a date as day/month/year, for example 3/6/2022 or 3 June 2022."
)


class UKDateField(forms.DateField):
    """A date read day first, whose error says the format it reads."""

    input_formats = UK_DATE_INPUT_FORMATS
    default_error_messages = {"invalid": UK_DATE_FORMAT_HELP}


class UKSplitDateTimeField(forms.SplitDateTimeField):
    """A date and time whose date is read day first, and whose error says the format."""

    default_error_messages = {
        **forms.SplitDateTimeField.default_error_messages,
        "invalid_date": UK_DATE_FORMAT_HELP,
    }

    def __init__(self, *, input_date_formats=UK_DATE_INPUT_FORMATS, **kwargs):
        super().__init__(input_date_formats=input_date_formats, **kwargs)


ATTACHMENT_HELP = gettext_lazy(
    "Optional: a PDF, PNG or JPEG of the original, and anything enclosed. Choose several at "
    "once if need be."
)
CHOOSE_FILE_AGAIN = gettext_lazy(
    "Choose the file or files again: files are not kept when the form has errors."
)


def ask_for_files_again(forms_shown):
    """Tell each form that lost a file chosen in a failed submission to have it chosen again."""
    for form in forms_shown:
        for name, field in form.fields.items():
            if not isinstance(field, forms.FileField) or name in form.errors:
                continue
            if form.add_prefix(name) in form.files:
                form.add_error(name, CHOOSE_FILE_AGAIN)


def _kept_forms(formset):
    """Return the formset's filled-in forms that are not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if not (formset.can_delete and formset._should_delete_form(form))
        if hasattr(form, "cleaned_data")
    ]


class MembershipForm(forms.ModelForm):
    class Meta:
        fields = ["organisation", "role", "joined_on"]

    def _get_validation_exclusions(self):
        # The one-lead rule spans rows: checking each row against the database alone would
        # reject swapping the lead in one save, so MembershipFormSet checks the whole submission.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("coalition")
        return exclusions


def _check_memberships(formset):
    """Raise the problems that saving a valid membership formset would cause in its coalitions."""
    if any(form.errors for form in formset.forms):
        return  # Each form says what is wrong with it first.
    deleted = [
        form.instance
        for form in formset.forms
        if formset.can_delete and formset._should_delete_form(form) and form.instance.pk
    ]
    saved = [form.instance for form in _kept_forms(formset) if form.has_changed()]
    if problems := membership_problems(saved=saved, deleted=deleted):
        raise ValidationError(problems)


class MembershipFormSet(forms.BaseInlineFormSet):
    """A coalition's members: each organisation once, and exactly one lead."""

    def clean(self):
        super().clean()
        kept = [form for form in _kept_forms(self) if form.cleaned_data.get("organisation")]
        listed = set()
        for form in kept:
            organisation = form.cleaned_data["organisation"]
            if organisation.pk in listed:
                form.add_error(
                    "organisation",
                    _("%(organisation)s is already listed as a member.")
                    % {"organisation": organisation},
                )
            listed.add(organisation.pk)
        leads = [form for form in kept if form.cleaned_data.get("role") == MembershipRole.LEAD]
        if len(leads) > 1:
            names = ", ".join(str(form.cleaned_data["organisation"]) for form in leads)
            message = _("A coalition has exactly one lead; %(count)d are marked lead: %(names)s.")
            for form in leads:
                form.add_error("role", _("Only one member can be the lead."))
            raise ValidationError(message % {"count": len(leads), "names": names})
        if kept and not leads:
            raise ValidationError(_("A coalition has exactly one lead: mark one member as lead."))
        _check_memberships(self)


class OrganisationMembershipFormSet(forms.BaseInlineFormSet):
    """An organisation's memberships, which must not leave any of its coalitions without a lead."""

    def clean(self):
        super().clean()
        _check_memberships(self)


class KnownModelChoiceField(forms.ModelChoiceField):
    """A choice of one object, looked up among `known` (set by the formset) before the database."""

    known = None

    def to_python(self, value):
        if self.known and str(value) in self.known:
            return self.known[str(value)]
        return super().to_python(value)


class KnownModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several objects, looked up among `known` (set by the formset) first."""

    known = None

    def _check_values(self, value):
        keys = list(dict.fromkeys(str(key) for key in value))
        if self.known is not None and all(key in self.known for key in keys):
            return [self.known[key] for key in keys]
        return super()._check_values(value)


class KnownChoicesWidgetMixin:
    """Render the chosen options from the field's `known` objects instead of a query per form."""

    def optgroups(self, name, value, attr=None):
        field = self.choices.field
        known = getattr(field, "known", None) or {}
        chosen = [str(key) for key in value if str(key) not in field.empty_values]
        if not all(key in known for key in chosen):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in chosen:
            label = field.label_from_instance(known[key])
            options.append(self.create_option(name, key, label, True, len(options)))
        return [(None, options, 0)]


class MendedSelect2:
    """An autocomplete widget whose page loads what mends select2 for screen readers."""

    @property
    def media(self):
        return super().media + forms.Media(js=["js/select2-a11y.js"])


class NamedAutocompleteSelect(MendedSelect2, AutocompleteSelect):
    """An autocomplete box that says what to type while empty.

    Select2 names the box by the text it shows, so the admin's empty boxes had no accessible
    name (axe: aria-input-field-name); the prompt is that name.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        what = self.field.remote_field.model._meta.verbose_name
        attrs["data-placeholder"] = _("Type to find: %(what)s") % {"what": what}
        return attrs


class KnownAutocompleteSelect(KnownChoicesWidgetMixin, NamedAutocompleteSelect):
    pass


class KnownAutocompleteSelectMultiple(
    KnownChoicesWidgetMixin, MendedSelect2, AutocompleteSelectMultiple
):
    pass


class KnownChoicesFormSet(forms.BaseInlineFormSet):
    """An inline formset whose related-object choices cost one query per field, not per form.

    `known_choice_fields` names the fields built as Known*ChoiceField: on a submission, every
    value chosen in any form is fetched in one query per field, through the field's own
    queryset; on display, the objects come from the rows' prefetched relations.
    """

    known_choice_fields = ()
    # Related objects whose labels need another object: Person's label names its organisation.
    label_relations = {"signers": ("organisation",), "addressee": ("organisation",)}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Each row's hidden id is checked against the rows this formset already loaded.
        name = self._pk_field.name
        field = form.fields[name]
        form.fields[name] = KnownModelChoiceField(
            field.queryset, initial=field.initial, required=False, widget=field.widget
        )
        form.fields[name].known = self.rows_by_pk

    @cached_property
    def rows_by_pk(self):
        return {str(row.pk): row for row in self.get_queryset()}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        for name, known in self.known_choices.items():
            form.fields[name].known = known
        return form

    @cached_property
    def known_choices(self):
        if self.is_bound:
            return {name: self._chosen_in_data(name) for name in self.known_choice_fields}
        known = {name: {} for name in self.known_choice_fields}
        for row in self.get_queryset():
            for name in self.known_choice_fields:
                value = getattr(row, name)
                chosen = value.all() if hasattr(value, "all") else [value] if value else []
                known[name].update((str(item.pk), item) for item in chosen)
        return known

    def _chosen_in_data(self, name):
        try:
            count = self.total_form_count()
        except ValidationError:
            return {}
        keys = {
            key
            for i in range(count)
            for key in self.data.getlist(f"{self.add_prefix(i)}-{name}")
            if key.isdigit()
        }
        if not keys:
            return {}
        queryset = self.form.base_fields[name].queryset.select_related(
            *self.label_relations.get(name, ())
        )
        return {str(pk): item for pk, item in queryset.in_bulk(keys).items()}


# Fields that mean something for one direction only; the letter form hides the others.
SENT_ONLY_FIELDS = ("reply_requested_by", "due_on", "signed_by_every_member", "signatories")
RECEIVED_ONLY_FIELDS = ("outcome", "ask_outcomes")


class LetterForm(forms.ModelForm):
    kept_files = KeptFilesField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "A private file is kept off public pages and the API; a removed one is deleted."
        ),
    )
    files = MultipleFileField(
        label=gettext_lazy("Add files"),
        help_text=ATTACHMENT_HELP,
    )
    ask_outcomes = AskOutcomesField(
        label=gettext_lazy("Outcome of each ask"),
        help_text=gettext_lazy(
            "A substantive reply only: how far it met each ask. The outcome above is worked out "
            "from these."
        ),
    )
    signed_by_every_member = forms.BooleanField(
        label=gettext_lazy("Signed by every member of the coalition"),
        required=False,
        help_text=gettext_lazy(
            "Adds each member to the signatory organisations when saved. Leave it unticked and "
            "choose the organisations below if only some signed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attachment_problems = []
        self.several_asks = False
        if self.instance.pk:
            self.fields["kept_files"].show(self.instance.attachments.all())
        # Read by static/js/letter-form.js, which shows only what fits the chosen direction.
        self.fields["direction"].widget.attrs.update(
            {
                "data-kinds": json.dumps(
                    {
                        Direction.SENT: [str(kind) for kind in SENT_KINDS],
                        Direction.RECEIVED: [str(kind) for kind in RECEIVED_KINDS],
                    }
                ),
                "data-only-fields": json.dumps(
                    {
                        Direction.SENT: SENT_ONLY_FIELDS,
                        Direction.RECEIVED: RECEIVED_ONLY_FIELDS,
                    }
                ),
            }
        )

    def show_asks(self, asks, answers):
        """Ask for an outcome per ask when the request has several; the outcome follows them."""
        if not answered_apart(asks):
            return
        self.several_asks = True
        self.fields["ask_outcomes"].show(asks, answers)
        self.fields["outcome"].disabled = True
        self.fields["outcome"].help_text = _("Worked out from the outcome of each ask, below.")

    @property
    def is_substantive_reply(self):
        return (
            self.cleaned_data.get("direction") == Direction.RECEIVED
            and self.cleaned_data.get("kind") == LetterKind.SUBSTANTIVE
        )

    def clean(self):
        cleaned = super().clean()
        if self.several_asks:
            self._clean_ask_outcomes(cleaned)
        sent = cleaned.get("direction") == Direction.SENT
        named = cleaned.get("signed_by_every_member") or cleaned.get("signatories")
        # Asked of a letter being written, not of one saved before the choice was asked for
        # whose files alone change.
        if sent and not named and set(self.changed_data) - {"files", "kept_files"}:
            self.add_error(
                "signatories",
                _(
                    "Say who signed this letter: tick “Signed by every member of the coalition”, "
                    "or choose the organisations that signed."
                ),
            )
        if not sent:
            cleaned["signed_by_every_member"] = False
        return cleaned

    def _clean_ask_outcomes(self, cleaned):
        if not self.is_substantive_reply:
            cleaned["outcome"] = ""
            cleaned["ask_outcomes"] = {}
        elif outcomes := cleaned.get("ask_outcomes"):
            cleaned["outcome"] = combined_outcome(outcomes.values())
        elif "ask_outcomes" not in self.errors:
            self.add_error(
                "ask_outcomes",
                _("Choose the outcome of at least one ask that this substantive reply answers."),
            )

    def _get_validation_exclusions(self):
        # The people chosen were fetched through the form fields' own querysets (see
        # KnownChoicesFormSet); checking again that they exist would cost a query each.
        return super()._get_validation_exclusions() | {"addressee"}

    def _save_m2m(self):
        super()._save_m2m()
        if self.several_asks:
            answers_save(letter=self.instance, outcomes=self.cleaned_data.get("ask_outcomes", {}))
        kept = self.cleaned_data.get("kept_files") or {}
        changed = "kept_files" in self.changed_data
        if self.cleaned_data.get("files") or changed:
            self.attachment_problems = attachments_save(
                letter=self.instance,
                added=self.cleaned_data.get("files") or [],
                private=kept.get("private") if changed else None,
                removed=kept.get("remove", ()) if changed else (),
            )


# Letters the coalition sends after its initial letter, never before it.
FOLLOWING_KINDS = (LetterKind.REMINDER, LetterKind.FOLLOW_UP)


class LetterFormSet(KnownChoicesFormSet):
    known_choice_fields = ("signers", "addressee", "signatories")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The request already loaded, so each letter's file links name it without a query.
        form.instance.request = self.instance
        return form

    def add_fields(self, form, index):
        # Called for every form, the blank one that "Add another" copies included.
        super().add_fields(form, index)
        form.show_asks(self.asks, self.answers_by_letter.get(form.instance.pk, ()))

    @cached_property
    def asks(self):
        return self.instance.asks_listed if self.instance.pk else []

    @cached_property
    def answers_by_letter(self):
        """Return the answers of the request's replies to its asks, by letter id."""
        if not answered_apart(self.asks):
            return {}
        return grouped(AskAnswer.objects.filter(ask__request=self.instance), "letter_id")

    def clean(self):
        super().clean()
        letters = [
            _LetterFacts(form)
            for form in _kept_forms(self)
            if form.cleaned_data.get("date") and form.cleaned_data.get("direction")
        ]
        sent_dates = [letter.date for letter in letters if letter.direction == Direction.SENT]
        for letter in replies_before_first_sent(letters):
            if sent_dates:
                message = _("This reply is dated before the first letter sent, on %(date)s.") % {
                    "date": date_format(min(sent_dates))
                }
            else:
                message = _("A reply needs a letter sent before it: add the letter it answers.")
            letter.form.add_error("date", message)
        first_initial = min(
            (letter.date for letter in letters if letter.kind == LetterKind.INITIAL), default=None
        )
        for letter in letters:
            if first_initial and letter.kind in FOLLOWING_KINDS and letter.date < first_initial:
                letter.form.add_error(
                    "date",
                    _("This is dated before the initial letter it follows, of %(date)s.")
                    % {"date": date_format(first_initial)},
                )


class RequestPartsFormSet(forms.BaseInlineFormSet):
    """An inline whose rows each choose among the request's own letters, asks or events.

    The choices are read once for all the rows, not once per row and field.
    """

    part_fields = ()

    def part_querysets(self, request) -> dict:
        """Return, by name in `part_fields`, the request's parts each row may choose from."""
        raise NotImplementedError

    def add_fields(self, form, index):
        # Called for every form, the blank one that "Add another" copies included.
        super().add_fields(form, index)
        for name, choices in self.part_choices.items():
            field = form.fields[name]
            field.queryset = self.parts[name] if self.parts else field.queryset.none()
            field.choices = [("", "---------"), *choices]

    @cached_property
    def parts(self):
        """Return the request's parts by field name; none before the request is saved."""
        return self.part_querysets(self.instance) if self.instance.pk else {}

    @cached_property
    def part_choices(self):
        return {
            name: [(part.pk, str(part)) for part in self.parts[name]] if self.parts else []
            for name in self.part_fields
        }


class CommitmentFormSet(RequestPartsFormSet):
    part_fields = ("letter", "ask", "kept_by")

    def part_querysets(self, request):
        return {
            "letter": request.letters.filter(direction=Direction.RECEIVED),
            "ask": request.asks.all(),
            "kept_by": request.events.all(),
        }


class DeadlineChangeFormSet(RequestPartsFormSet):
    part_fields = ("letter", "brought_by")

    def part_querysets(self, request):
        return {
            "letter": request.letters.filter(direction=Direction.SENT),
            "brought_by": request.letters.all(),
        }


class _LetterFacts:
    """The parts of a letter form that the correspondence rules read."""

    def __init__(self, form):
        self.form = form
        self.pk = form.instance.pk
        self.date = form.cleaned_data["date"]
        self.direction = form.cleaned_data["direction"]
        self.kind = form.cleaned_data.get("kind")


class RequestForm(forms.ModelForm):
    """A request's form, on which only a publisher of its coalition publishes or schedules it."""

    user = None  # The campaigner filling it in, set by the admin.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "publish_at" in self.fields:
            # The date and time boxes are labelled "Date:" and "Time:" by text, not <label>.
            date_box, time_box = self.fields["publish_at"].widget.widgets
            date_box.attrs["aria-label"] = _("Publish at: date")
            time_box.attrs["aria-label"] = _("Publish at: time")
        instance = self.instance
        may_publish = (
            can_publish(self.user, instance) if instance.pk else can_publish_any(self.user)
        )
        for name in self._publishing_fields():
            field = self.fields[name]
            field.disabled = not may_publish
            if not may_publish:
                field.help_text = _("Only a publisher of the request's coalition can set this.")

    def _publishing_fields(self):
        return [name for name in PUBLISHING_FIELDS if name in self.fields]

    def _asked_to_change(self, name):
        """Return whether the submission changes a field, even a disabled one (a forged POST)."""
        field = self.fields[name]
        if not field.disabled:
            return name in self.changed_data
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        try:
            asked = field.clean(raw)
        except ValidationError:
            return True
        return asked != self.get_initial_for_field(field, name)

    def clean(self):
        cleaned = super().clean()
        coalition = cleaned.get("coalition") or getattr(self.instance, "coalition", None)
        if coalition is None:
            return cleaned  # The coalition field says what is missing.
        moving_published = cleaned.get("is_published") and "coalition" in self.changed_data
        publishing = [name for name in self._publishing_fields() if self._asked_to_change(name)]
        if (publishing or moving_published) and not can_publish_for(self.user, coalition.pk):
            raise ValidationError(
                _(
                    "Only a publisher of %(coalition)s can publish its requests or set when they "
                    "are published. Save it as a draft and ask one of them to publish it."
                )
                % {"coalition": coalition}
            )
        return cleaned


class OrganisationForm(forms.ModelForm):
    """An organisation, checked against the names already recorded before a new one is added."""

    not_a_duplicate = forms.BooleanField(
        label=gettext_lazy("This is a different organisation"),
        required=False,
        help_text=gettext_lazy("Tick only if a similar name already recorded is another body."),
    )

    class Meta:
        fields = ["name", "other_names", "slug", "kind", "website", "description"]
        widgets = {"other_names": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        cleaned_data = super().clean()
        name = cleaned_data.get("name")
        if not name or not self.instance._state.adding or cleaned_data.get("not_a_duplicate"):
            return cleaned_data
        if close := self.recorded_names_close_to(name, cleaned_data.get("other_names")):
            raise ValidationError(
                _(
                    "An organisation with a similar name is already recorded: %(names)s. "
                    "Use it rather than adding it twice, or, if this is a different "
                    "organisation, tick “This is a different organisation” and save again."
                )
                % {"names": "; ".join(close)}
            )
        return cleaned_data

    def recorded_names_close_to(self, name, other_names):
        """Return the recorded organisations whose name or other name is close to these names."""
        recorded = recorded_names(self._meta.model.objects.values_list("name", "other_names"))
        close = [
            f"{recorded_name} (also known as {other})" if other else recorded_name
            for written in [name, *split_other_names(other_names, name)]
            for recorded_name, other in close_recorded(written, recorded)
        ]
        return list(dict.fromkeys(close))


# A new coalition's members typed at once: each new name becomes an organisation.
MAX_MEMBERS_TYPED = 50


def members_problem(names):
    """Return why these typed member names cannot be taken, or "" if they can."""
    if len(names) > MAX_MEMBERS_TYPED:
        return _(
            "Name at most %(most)s members here, one per line; there are %(count)s. "
            "Add more on the coalition's page."
        ) % {"most": MAX_MEMBERS_TYPED, "count": len(names)}
    for name in names:
        if len(name) > MAX_NAME_CHARS:
            return _(
                "An organisation's name can be at most %(most)s characters; “%(start)s…” has "
                "%(count)s. Put one organisation on each line."
            ) % {"most": MAX_NAME_CHARS, "start": name[:40], "count": len(name)}
    return ""


# Who signed a letter entered in one step: the coalition's lead is named when not every member.
EVERY_MEMBER, LEAD_ONLY = "every_member", "lead_only"
SIGNED_BY_CHOICES = [
    (EVERY_MEMBER, gettext_lazy("Every member of the coalition")),
    (LEAD_ONLY, gettext_lazy("The lead organisation only")),
]


class CaseStartForm(forms.Form):
    """A new case in one form: who wrote, to whom, what they asked, and the letter they sent."""

    required_css_class = "required"  # bold labels, as the admin's own forms mark required fields

    coalition = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Coalition"),
        empty_label=gettext_lazy("A new coalition, named below"),
    )
    coalition_name = forms.CharField(
        max_length=200, required=False, label=gettext_lazy("New coalition's name")
    )
    members = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 50}),
        required=False,
        label=gettext_lazy("Its members"),
        help_text=gettext_lazy(
            "One organisation per line, the lead first. A name already recorded, or one of its "
            "other names, is used; a new name is added as a charity or campaign group."
        ),
    )
    recipient = forms.CharField(
        max_length=200,
        label=gettext_lazy("Written to"),
        help_text=gettext_lazy(
            "The public body, by its name or another name it is known by (e.g. DfE). A new name "
            "is added as a public body."
        ),
    )
    title = forms.CharField(
        max_length=250,
        label=gettext_lazy("Title"),
        help_text=gettext_lazy("Short and public, e.g. “Publish the analysis of 48 incidents”."),
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}), label=gettext_lazy("What is asked")
    )
    sent_on = UKDateField(
        label=gettext_lazy("Letter sent on"),
        help_text=UK_DATE_FORMAT_HELP,
        validators=[validate_plausible_date],
    )
    signed_by = forms.ChoiceField(
        widget=forms.RadioSelect, choices=SIGNED_BY_CHOICES, label=gettext_lazy("Signed by")
    )
    subject = forms.CharField(max_length=300, required=False, label=gettext_lazy("Subject"))
    files = MultipleFileField(label=gettext_lazy("The letter"), help_text=ATTACHMENT_HELP)
    new_names_confirmed = forms.BooleanField(
        required=False,
        label=gettext_lazy("These are new organisations"),
        help_text=gettext_lazy("Tick only if the similar names recorded are other bodies."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The admin's widths for text boxes.
        for name in ("coalition_name", "recipient", "title", "subject"):
            self.fields[name].widget.attrs["class"] = "vTextField"
        for name in ("members", "summary"):
            self.fields[name].widget.attrs["class"] = "vLargeTextField"
        self.fields["coalition"].queryset = coalitions_for(user).order_by("name")
        self.asks_confirmation = False

    @property
    def sections(self):
        """Return the form's parts, each a legend and its fields' names, as the page shows them."""
        sections = [
            (_("Who wrote"), ("coalition", "coalition_name", "members")),
            (_("What they asked, of whom"), ("recipient", "title", "summary")),
            (_("The letter they sent"), ("sent_on", "signed_by", "subject", "files")),
        ]
        if self.asks_confirmation:
            sections.append((_("New organisations"), ("new_names_confirmed",)))
        return sections

    def clean(self):
        cleaned = super().clean()
        coalition, name = cleaned.get("coalition"), cleaned.get("coalition_name", "").strip()
        members = split_other_names(cleaned.get("members", ""))
        cleaned["member_names"] = members
        if problem := members_problem(members):
            self.add_error("members", problem)
        if coalition and name:
            raise ValidationError(
                _("Choose a coalition or name a new one, not both."), code="two_coalitions"
            )
        if coalition and members:
            self.add_error(
                "members",
                _(
                    "Members are named here only for a new coalition; add them to %(coalition)s "
                    "on its page, or leave this empty."
                )
                % {"coalition": coalition},
            )
        yours = self.fields["coalition"].queryset
        if name and (same := yours.filter(name__iexact=name).first()):
            self.add_error(
                "coalition_name",
                _("You already work on %(coalition)s: choose it above.") % {"coalition": same},
            )
        if not coalition:
            if not name:
                self.add_error("coalition", _("Choose the coalition, or name a new one."))
            elif not self.user.has_perm("campaigns.add_coalition"):
                self.add_error(
                    "coalition_name",
                    _("Only an administrator can start a coalition: choose one of yours."),
                )
            elif not members:
                self.add_error("members", _("Name the coalition's members, the lead first."))
        typed = [*([] if coalition else members), cleaned.get("recipient", "")]
        if close := self.close_to_recorded([name for name in typed if name.strip()]):
            self.asks_confirmation = True
            if not cleaned.get("new_names_confirmed"):
                raise ValidationError(
                    _(
                        "Some names are close to organisations already recorded: %(names)s. "
                        "Write the recorded name (or one of its other names) to use it, or, if "
                        "these are other bodies, tick “These are new organisations”."
                    )
                    % {"names": "; ".join(close)},
                    code="close_names",
                )
        return cleaned

    def close_to_recorded(self, names):
        """Return "typed (close to recorded)" for each typed name not recorded but close to one."""
        recorded = recorded_names(Organisation.objects.values_list("name", "other_names"))
        return [
            f"“{name}” (recorded: {recorded_name})"
            for name in names
            # A name recorded as it is written is used, not questioned.
            if comparable_name(name) not in recorded
            for recorded_name, _other in close_recorded(name, recorded)
        ]

    def case_fields(self):
        """Return the arguments of campaigns.services.case_start() for this form's data."""
        data = self.cleaned_data
        return {
            "coalition": data["coalition"],
            "coalition_name": data["coalition_name"].strip(),
            "member_names": data["member_names"],
            "recipient_name": " ".join(data["recipient"].split()),
            "title": data["title"],
            "summary": data["summary"],
            "sent_on": data["sent_on"],
            "signed_by_every_member": data["signed_by"] == EVERY_MEMBER,
            "subject": data["subject"],
            "files": data["files"],
        }


class EmailUploadForm(forms.Form):
    """An e-mail message to read a letter from: a .eml file, or its source pasted."""

    message_file = forms.FileField(
        required=False,
        label=gettext_lazy("The message (.eml)"),
        help_text=gettext_lazy(
            "In your mail program, save or drag the message out as a file (Outlook: File, "
            "Save As; Gmail: More, Download message)."
        ),
    )
    message_source = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        label=gettext_lazy("Or its source"),
        help_text=gettext_lazy(
            "The whole message with its headers (Gmail: More, Show original; Outlook: View source)."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        upload, source = cleaned.get("message_file"), cleaned.get("message_source", "")
        if upload and upload.size > EMAIL_MAX_BYTES:
            raise ValidationError(
                _("This message is over %(size)d MB; add its attachments to the letter instead.")
                % {"size": EMAIL_MAX_BYTES // (1024 * 1024)}
            )
        raw = upload.read() if upload else source.encode("utf-8")
        if not raw.strip():
            raise ValidationError(_("Choose the message's file, or paste its source."))
        try:
            cleaned["email"] = read_email(raw)
        except UnreadableEmail as problem:
            raise ValidationError(str(problem)) from None
        cleaned["raw"] = raw
        return cleaned


class ImportedLetterForm(forms.Form):
    """What a letter read from an e-mail is, checked and completed by the campaigner."""

    token = forms.CharField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("", "---------"), *Direction.choices])
    kind = forms.ChoiceField(choices=[("", "---------"), *LetterKind.choices])
    date = UKDateField(label=gettext_lazy("Date"), help_text=UK_DATE_FORMAT_HELP)
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", "---------"), *Outcome.choices],
        help_text=gettext_lazy("Substantive replies only: how far the reply met the ask."),
    )
    signed_by = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        choices=SIGNED_BY_CHOICES,
        label=gettext_lazy("Signed by"),
        help_text=gettext_lazy("Letters the coalition sent only."),
    )
    subject = forms.CharField(max_length=300, required=False, label=gettext_lazy("Subject"))
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"class": "vLargeTextField"}),
        label=gettext_lazy("Full text"),
    )
    files = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Files to keep"),
    )
    is_private = forms.BooleanField(
        required=False,
        label=gettext_lazy("Private"),
        help_text=gettext_lazy("Kept off every public page, feed and export."),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["files"].choices = [
            (str(index), f"{file.name}") for index, file in enumerate(email.kept_files)
        ]
        self.fields["subject"].widget.attrs["class"] = "vTextField"  # the admin's width

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("direction") == Direction.SENT and not cleaned.get("signed_by"):
            self.add_error("signed_by", _("Say who signed this letter."))
        return cleaned

    def letter_fields(self, request):
        """Return the arguments of campaigns.services.letter_record() for this letter."""
        data = self.cleaned_data
        sent = data["direction"] == Direction.SENT
        every_member = sent and data["signed_by"] == EVERY_MEMBER
        lead = request.coalition.memberships.filter(role=MembershipRole.LEAD)
        kept = self.email.kept_files
        return {
            "request": request,
            "direction": data["direction"],
            "kind": data["kind"],
            "date": data["date"],
            "outcome": data["outcome"],
            "channel": Channel.EMAIL,
            "subject": data["subject"],
            "body": data["body"],
            "is_private": data["is_private"],
            "message_id": self.email.message_id,
            "signed_by_every_member": every_member,
            "signatories": (
                list(lead.values_list("organisation", flat=True))
                if sent and not every_member
                else None
            ),
            "files": [kept[int(index)].upload() for index in data["files"]],
        }
