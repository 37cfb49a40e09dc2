"""Phone numbers: parsed with phonenumbers, checked to be mobiles, stored in E.164.

Also the two ways a number is shown without being shown: masked (for the person) and
pseudonymised (for logs and support).
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.digits import ascii_digits
from core.tokens import keyed_hash

# What may surround the digits of a phone number: spaces, dots, dashes, brackets, slashes.
_PUNCTUATION = re.compile(r"[\s.\-()/\u00a0\u2010-\u2015\u2212]")
_SHAPE = re.compile(r"\+?\d+")

MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)

_NOT_MOBILE = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: _(
        "This is a premium-rate number. Please write your own mobile number."
    ),
    phonenumbers.PhoneNumberType.TOLL_FREE: _(
        "This is a toll-free number. Please write your own mobile number."
    ),
    phonenumbers.PhoneNumberType.SHARED_COST: _(
        "This is a shared-cost number. Please write your own mobile number."
    ),
    phonenumbers.PhoneNumberType.FIXED_LINE: _(
        "This is a landline number and cannot receive SMS. Please write a mobile number."
    ),
}
_NOT_MOBILE_OTHER = _("This number cannot receive SMS. Please write a mobile number.")


def _invalid(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def phone_parse(raw: str) -> phonenumbers.PhoneNumber:
    """A mobile number of an allowed country, or ValidationError saying what is wrong.

    Digits may be typed in any script (٠١٢, ۰۱۲, ০১২ ...); letters are refused, not read
    as the letters of a keypad.
    """
    text = ascii_digits(unicodedata.normalize("NFKC", raw or "")).strip()
    compact = _PUNCTUATION.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _SHAPE.fullmatch(compact):
        raise _invalid(
            _("Write only the digits of the number, for example +39 347 123 4567."), "letters"
        )
    try:
        number = phonenumbers.parse(compact, settings.SPORTELLO["DEFAULT_REGION"])
    except phonenumbers.NumberParseException as exc:
        raise _invalid(
            _(
                "This does not look like a phone number. Write it with its country code, for example +39 347 123 4567."
            ),
            "invalid",
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise _invalid(
            _("This phone number is not complete or not valid. Please check it."), "invalid"
        )
    if phonenumbers.region_code_for_number(number) not in settings.SPORTELLO["PHONE_REGIONS"]:
        raise _invalid(
            _(
                "We cannot send SMS to numbers of this country. Please use an Italian number or ask the desk to book for you."
            ),
            "region",
        )
    kind = phonenumbers.number_type(number)
    if kind not in MOBILE_TYPES:
        raise _invalid(_NOT_MOBILE.get(kind, _NOT_MOBILE_OTHER), "not_mobile")
    return number


def phone_normalize(raw: str) -> str:
    """``347 123 4567`` -> ``+393471234567``; raises ValidationError in the person's language."""
    return phonenumbers.format_number(phone_parse(raw), phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """``+393471234567`` -> ``+39 347 123 4567``: the whole number, grouped to be checked."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_country_prefix(e164: str) -> str:
    """``+393471234567`` -> ``39``: the calling code, for budgets per country."""
    try:
        return str(phonenumbers.parse(e164, None).country_code)
    except phonenumbers.NumberParseException:
        return "?"


def phone_mask(phone: str) -> str:
    """``+*********567``: enough for a person to recognise their own number."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 4:
        return "***"
    return f"{'+' if phone.startswith('+') else ''}{'*' * (len(digits) - 3)}{digits[-3:]}"


def phone_pseudonym(phone: str) -> str:
    """A short stable keyed pseudonym (``tel#…``) for logs and support look-ups: the same for
    every way of writing one number."""
    try:
        phone = phone_normalize(phone)
    except ValidationError:
        phone = re.sub(r"[^\d+]", "", ascii_digits(phone))
    return f"tel#{keyed_hash(phone, purpose='log')[:12]}"
