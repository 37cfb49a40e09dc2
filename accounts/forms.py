from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FriendlyForm


class CodeForm(FriendlyForm):
    code = forms.CharField(
        label=_("The 6 digits from your app, or a backup code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "dir": "ltr", "autofocus": True}
        ),
    )


class ResetForm(FriendlyForm):
    confirm = forms.BooleanField(
        label=_("This person has lost their phone or their codes, and I have checked who they are.")
    )
