"""Phone numbers: parsed and checked with phonenumbers, stored in E.164."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def phone_normalize(raw: str) -> str:
    """``347 123 4567`` -> ``+393471234567``; raises ValidationError in the person's language."""
    rules = settings.SPORTELLO
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, rules["DEFAULT_REGION"])
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _(
                "This does not look like a phone number. Write it with its country code, for example +39 347 123 4567."
            ),
            code="invalid",
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number is not complete or not valid. Please check it."), code="invalid"
        )
    region = phonenumbers.region_code_for_number(number)
    if region not in rules["PHONE_REGIONS"]:
        raise ValidationError(
            _(
                "We cannot send SMS to numbers of this country. Please use an Italian number or ask the desk to book for you."
            ),
            code="region",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
