"""Form parts every app uses: fields that speak every language, phone and code fields.

Django has no catalogue for Pashto, Tigrinya and Somali (and incomplete ones for some
others), so its built-in messages would show in Italian there. Ours are in locale/.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.digits import ascii_digits
from core.phones import phone_normalize

MESSAGES = {
    "required": _("Please fill in this field."),
    "max_length": _("This is too long: at most %(limit_value)d characters."),
    "min_length": _("This is too short: at least %(limit_value)d characters."),
    "invalid_choice": _("Please choose one of the options."),
}


class FriendlyForm(forms.Form):
    """A form whose fields speak every interface language, including those Django lacks."""

    def __init__(self, *args, **kwargs):
        # Labels stand on their own line: no colon after "Do you need an interpreter?"
        # ("؟:" in Arabic), and none to place wrongly in right-to-left text.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages = {**field.error_messages, **MESSAGES}
            for validator in field.validators:
                code = getattr(validator, "code", None)
                if code in MESSAGES:
                    validator.message = MESSAGES[code]


class PhoneField(forms.CharField):
    """A mobile number in any usual writing and any script's digits, cleaned to E.164,
    with a message in the person's language saying what is wrong."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your mobile phone number"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return phone_normalize(value) if value else value


class SmsCodeField(forms.CharField):
    """The 6 digits of an SMS code, typed in any script, spaces allowed."""

    length = 6

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr"}
            ),
        )
        # Room for spaces and for digits of scripts that take more than one character.
        super().__init__(max_length=self.length * 4, **kwargs)

    def to_python(self, value):
        text = ascii_digits(super().to_python(value))
        return "".join(ch for ch in text if not ch.isspace() and ch not in "-.")

    def validate(self, value):
        super().validate(value)
        if value and (len(value) != self.length or not value.isdigit()):
            raise ValidationError(_("Write the 6 digits from the SMS."), code="digits")


def code_text(value: str) -> str:
    """A code read off a paper or an SMS: any script's digits, any case, no spaces."""
    return "".join(ascii_digits(value or "").split()).upper()
