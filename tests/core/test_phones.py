"""Phone numbers: what people type, in any script; only mobiles of allowed countries."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.digits import ascii_digits
from core.phones import phone_display, phone_normalize


@pytest.mark.parametrize(
    "typed",
    [
        "347 123 4567",
        "+39 347 123 4567",
        "0039 347-123-4567",
        "(+39) 347.123.4567",
        "٣٤٧ ١٢٣ ٤٥٦٧",  # Arabic-Indic
        "+۳۹ ۳۴۷ ۱۲۳ ۴۵۶۷",  # Persian (Dari, Pashto, Urdu keyboards)
        "৩৪৭ ১২৩ ৪৫৬৭",  # Bengali
        "३४७ १२३ ४५६७",  # Devanagari
        "＋３９ ３４７ １２３ ４５６７",  # fullwidth
    ],
)
def test_a_mobile_number_in_any_script_is_understood(typed):
    assert phone_normalize(typed) == "+393471234567"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("347 ABC 4567", "letters"),
        ("1-800-FLOWERS", "letters"),  # not read as keypad letters
        ("call me", "letters"),
        ("+39 899 123456", "not_mobile"),  # premium rate
        ("800 123 456", "not_mobile"),  # toll-free
        ("848 123 456", "not_mobile"),  # shared cost
        ("06 1234 5678", "not_mobile"),  # a landline in Rome
        ("+1 202 555 0143", "region"),
        ("12", "invalid"),
    ],
)
def test_what_is_not_an_allowed_mobile_is_refused_saying_why(typed, code):
    with pytest.raises(ValidationError) as info:
        phone_normalize(typed)
    assert info.value.code == code


def test_the_refusal_is_in_the_person_language():
    with translation.override("ar"):
        with pytest.raises(ValidationError) as info:
            phone_normalize("06 1234 5678")
        message = str(info.value.messages[0])
        english = "This is a landline number and cannot receive SMS. Please write a mobile number."
        assert message == translation.gettext(english) != english


def test_digits_of_every_script_become_ascii_and_nothing_else_changes():
    assert ascii_digits("A٠۱২३４") == "A01234"
    assert ascii_digits("code ²") == "code ²"  # a superscript is not a decimal digit


def test_a_number_is_shown_whole_and_grouped():
    assert phone_display("+393471234567") == "+39 347 123 4567"
    assert phone_display("not a number") == "not a number"
