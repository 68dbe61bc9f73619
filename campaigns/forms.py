"""Admin forms and formsets that check rules spanning several rows of one submission."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.choices import Direction, MembershipRole
from campaigns.correspondence import replies_before_first_sent


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


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in _kept_forms(self) if form.cleaned_data.get("organisation")]
        leads = [form for form in kept if form.cleaned_data.get("role") == MembershipRole.LEAD]
        if len(leads) > 1:
            names = ", ".join(str(form.cleaned_data["organisation"]) for form in leads)
            message = _("A coalition has exactly one lead; %(count)d are marked lead: %(names)s.")
            for form in leads:
                form.add_error("role", _("Only one member can be the lead."))
            raise ValidationError(message % {"count": len(leads), "names": names})
        if kept and not leads:
            raise ValidationError(_("A coalition has exactly one lead: mark one member as lead."))


class LetterFormSet(forms.BaseInlineFormSet):
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


class _LetterFacts:
    """The parts of a letter form that the correspondence rules read."""

    def __init__(self, form):
        self.form = form
        self.pk = form.instance.pk
        self.date = form.cleaned_data["date"]
        self.direction = form.cleaned_data["direction"]
        self.kind = form.cleaned_data.get("kind")
