"""Forms of the public booking flow. They validate input; services apply the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.forms import FriendlyForm, PhoneField, SmsCodeField, code_text


class DetailsForm(FriendlyForm):
    phone = PhoneField(
        help_text=_(
            "We send you a code by SMS to check it. Italian numbers can be written without +39."
        )
    )
    name = forms.CharField(
        label=_("First name or nickname (optional)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        help_text=_("So the desk knows how to call you. Your surname is not needed."),
    )
    interpreter_language = forms.ChoiceField(label=_("Do you need an interpreter?"), required=False)
    reason = forms.CharField(
        label=_("What is it about? (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words help the desk prepare. This is never sent by SMS."),
    )

    def __init__(self, *args, interpreter_languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("No, thank you"))]
        for code in interpreter_languages:
            try:
                choices.append((code, translation.get_language_info(code)["name_local"]))
            except KeyError:
                continue
        self.fields["interpreter_language"].choices = choices
        if len(choices) == 1:
            del self.fields["interpreter_language"]


class OnBehalfForm(DetailsForm):
    """Staff and partners book for someone: the phone is optional and gets no code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = False
        self.fields["phone"].help_text = _(
            "Optional. If given, the person gets the confirmation by SMS."
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the person"),
            choices=settings.LANGUAGES,
            initial=translation.get_language(),
        )


class CodeForm(FriendlyForm):
    code = SmsCodeField(label=_("The 6-digit code from the SMS"))


class LookupForm(FriendlyForm):
    phone = PhoneField(label=_("The phone number you booked with"))
    code = forms.CharField(
        label=_("Booking code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "dir": "ltr"}
        ),
    )

    def clean_code(self):
        return code_text(self.cleaned_data["code"])


class WaitlistForm(FriendlyForm):
    phone = PhoneField(help_text=_("We send you an SMS when a place becomes free."))
