"""The letter form's field for a reply's outcome on each ask of a request with several."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.choices import Outcome

NOT_ANSWERED = ""


class AskOutcomesWidget(forms.Widget):
    """One select per ask, each with "not answered in this reply" as its empty choice."""

    asks = ()

    def value_from_datadict(self, data, files, name):
        return {ask.pk: data.get(f"{name}-{ask.pk}", NOT_ANSWERED) for ask in self.asks}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{ask.pk}" in data for ask in self.asks)

    def render(self, name, value, attrs=None, renderer=None):
        value = value or {}
        choices = [(NOT_ANSWERED, _("Not answered in this reply")), *Outcome.choices]
        rows = format_html_join(
            "\n",
            '<tr><th scope="row"><label for="{}">{}</label></th><td><select name="{}" id="{}">{}'
            "</select></td></tr>",
            (
                (
                    f"id_{name}-{ask.pk}",
                    ask.text,
                    f"{name}-{ask.pk}",
                    f"id_{name}-{ask.pk}",
                    format_html_join(
                        "",
                        '<option value="{}"{}>{}</option>',
                        (
                            (
                                choice,
                                " selected" if str(value.get(ask.pk, "")) == choice else "",
                                label,
                            )
                            for choice, label in choices
                        ),
                    ),
                )
                for ask in self.asks
            ),
        )
        return format_html('<table class="ask-outcomes"><tbody>{}</tbody></table>', rows)


class AskOutcomesField(forms.Field):
    """How far a reply met each of its request's asks: outcomes by ask id, unanswered left out."""

    widget = AskOutcomesWidget
    default_error_messages = {"invalid": gettext_lazy("Choose an outcome from the list.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.asks = []

    def show(self, asks, answers):
        """Offer these asks, with a saved reply's answers to them as the initial value."""
        self.asks = self.widget.asks = list(asks)
        self.initial = {answer.ask_id: answer.outcome for answer in answers}

    def to_python(self, value):
        outcomes = {}
        for ask in self.asks:
            outcome = (value or {}).get(ask.pk, NOT_ANSWERED)
            if outcome == NOT_ANSWERED:
                continue
            if outcome not in Outcome.values:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            outcomes[ask.pk] = outcome
        return outcomes

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True
