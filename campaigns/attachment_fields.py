"""Form fields for a letter's files: several added at once, and those kept listed to change."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.attachments import FILES_PER_SAVE_MAX, validate_attachment


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once, each checked as an attachment; the error names the file."""

    widget = MultipleFileInput
    default_validators = [validate_attachment]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > FILES_PER_SAVE_MAX:
            raise ValidationError(
                _("Choose at most %(count)d files at once; save, then add the rest.")
                % {"count": FILES_PER_SAVE_MAX},
                code="too_many",
            )
        errors, cleaned = [], []
        for file in files:
            try:
                cleaned.append(super().clean(file, initial))
            except ValidationError as refused:
                errors += [f"“{file.name}”: {message}" for message in refused.messages]
        if errors:
            raise ValidationError(errors)
        if not cleaned and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return cleaned

    def bound_data(self, data, initial):
        return initial  # Files are never shown back; the form asks for them again.

    def has_changed(self, initial, data):
        return bool(data) and not self.disabled


class KeptFilesWidget(forms.Widget):
    """A letter's attachments as a table: each opened by its link, made private or removed."""

    attachments = ()

    def value_from_datadict(self, data, files, name):
        return {
            "private": data.getlist(f"{name}-private"),
            "remove": data.getlist(f"{name}-remove"),
        }

    def value_omitted_from_data(self, data, files, name):
        return False  # No box ticked is a choice too.

    def render(self, name, value, attrs=None, renderer=None):
        if not self.attachments:
            return format_html('<p class="kept-files-none">{}</p>', _("No files yet."))
        value = value or {}
        private, remove = (
            set(map(str, value.get("private", ()))),
            set(map(str, value.get("remove", ()))),
        )
        rows = format_html_join(
            "\n",
            '<tr><td><a href="{}" target="_blank" rel="noopener">{}</a></td><td>{}</td><td>{}</td>'
            '<td><input type="checkbox" name="{}-private" value="{}" aria-label="{}"{}></td>'
            '<td><input type="checkbox" name="{}-remove" value="{}" aria-label="{}"{}></td></tr>',
            (
                (
                    attachment.get_absolute_url(),
                    attachment.name,
                    attachment.label,
                    text_summary(attachment),
                    name,
                    attachment.pk,
                    _("Private: %(name)s") % {"name": attachment.name},
                    " checked" if str(attachment.pk) in private else "",
                    name,
                    attachment.pk,
                    _("Remove: %(name)s") % {"name": attachment.name},
                    " checked" if str(attachment.pk) in remove else "",
                )
                for attachment in self.attachments
            ),
        )
        return format_html(
            '<table class="kept-files"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("File"),
            _("Type and size"),
            _("Text for search"),
            _("Private"),
            _("Remove"),
            rows,
        )


def text_summary(attachment) -> str:
    """Say how much text was read from an attachment, for search, as the admin lists it."""
    length = getattr(attachment, "text_length", None)
    if length is None:
        length = len(attachment.text)
    if not length:
        return _("None (a scan or an image)")
    return _("%(count)s characters") % {"count": f"{length:,}"}


class KeptFilesField(forms.Field):
    """Which of a letter's attachments are private and which to remove: their ids."""

    widget = KeptFilesWidget
    default_error_messages = {"invalid": gettext_lazy("Tick the boxes of listed files only.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.attachments = []

    def show(self, attachments):
        """List these attachments, as they are: the field's initial value."""
        self.attachments = self.widget.attachments = list(attachments)
        self.initial = {
            "private": [attachment.pk for attachment in self.attachments if attachment.is_private],
            "remove": [],
        }

    def to_python(self, value):
        value = value or {}
        known = {attachment.pk for attachment in self.attachments}
        chosen = {}
        for key in ("private", "remove"):
            ids = {int(pk) for pk in value.get(key, ()) if str(pk).isdigit()}
            if not ids <= known:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            chosen[key] = ids
        return chosen

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True
