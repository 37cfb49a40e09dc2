"""How many SMS a text costs: GSM-7 (160 characters, 153 in a concatenated part) or
UCS-2 (70, 67 in a part; a character outside the BMP counts twice).

Written here rather than taken from a library: the tables are a standard (3GPP TS 23.038)
that does not change, the few packages that count segments are unmaintained, and the
project also needs ``gsm_friendly`` to keep Latin-script texts in GSM-7.
"""

from __future__ import annotations

import math
import unicodedata

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

# Characters that dates, times and typography bring into Latin-script texts, and their
# GSM-7 stand-ins: one of them alone would make the whole text UCS-2 (and 2-3x longer).
_FRIENDLY = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space (Babel's "9:00 AM", French "10 h")
        "\u2009": " ",  # thin space
        "\u2007": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\u2026": "...",
        "È": "E'",  # Italian capital È is not in GSM-7 (É is): written "E'" as on keyboards
    }
)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def gsm_friendly(text: str) -> str:
    """The same text with typographic characters replaced by their GSM-7 equivalents; and
    when the only other obstacle to GSM-7 is a few accented Latin letters that GSM-7 lacks
    (Spanish "sáb", French "août", Romanian "ă"), those letters lose their accent, as
    people write texts anyway: half the segments, and the text stays readable."""
    text = text.translate(_FRIENDLY)
    if is_gsm7(text):
        return text
    plain = "".join(ch if ch in GSM_BASIC or ch in GSM_EXTENDED else _unaccented(ch) for ch in text)
    return plain if is_gsm7(plain) else text


def _unaccented(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() and base.isalpha() else ch


def segment_count(text: str) -> int:
    if is_gsm7(text):
        septets = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)
