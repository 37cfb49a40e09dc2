"""Error messages of our own for every form field.

Django has no catalogue for Pashto, Tigrinya and Somali (and incomplete ones for some
others), so its built-in messages would show in Italian there. Ours are in locale/.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "required": _("Please fill in this field."),
    "max_length": _("This is too long: at most %(limit_value)d characters."),
    "min_length": _("This is too short: at least %(limit_value)d characters."),
    "invalid_choice": _("Please choose one of the options."),
}


class FriendlyForm(forms.Form):
    """A form whose fields speak every interface language, including those Django lacks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages = {**field.error_messages, **MESSAGES}
            for validator in field.validators:
                code = getattr(validator, "code", None)
                if code in MESSAGES:
                    validator.message = MESSAGES[code]
