"""Digits as people type them: Arabic-Indic (٠١٢), Persian (۰۱۲), Bengali (০১২),
Devanagari (०१२), fullwidth (０１２) and every other decimal script become 0-9."""

from __future__ import annotations

import unicodedata


def ascii_digits(text: str) -> str:
    """``٠٣٤٧`` -> ``0347``; everything that is not a decimal digit is left as it is."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text
    )
