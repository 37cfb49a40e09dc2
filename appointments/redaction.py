"""Phone numbers never reach a log in clear."""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings

# An international number (+ or 00 and 7-15 digits, spaces or hyphens allowed) or an
# Italian mobile (3 and 8-10 more digits). Not IP addresses, not "200 3480" in server logs.
PHONE_RE = re.compile(
    r"(?<![\w.])(?:\+|00)\d(?:[ -]?\d){6,14}(?!\w|\.\d)|(?<![\w.])3\d(?:[ -]?\d){7,9}(?!\w|\.\d)"
)


def phone_fingerprint(phone: str) -> str:
    """A short stable pseudonym for a phone number, for logs and support look-ups."""
    digest = hashlib.blake2b(
        phone.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=6
    ).hexdigest()
    return f"tel#{digest}"


def mask_phone(phone: str) -> str:
    """``+39 *** *** *567``-style masking for people who must recognise their own number."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 4:
        return "***"
    return f"{'+' if phone.startswith('+') else ''}{'*' * (len(digits) - 3)}{digits[-3:]}"


def redact(text: str) -> str:
    return PHONE_RE.sub(lambda m: phone_fingerprint(re.sub(r"[^\d+]", "", m.group())), text)


class RedactPhoneNumbersFilter(logging.Filter):
    """Rewrites every record so that digits that look like a phone number are pseudonymised."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix here
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        # Tracebacks quote values too (a database error's DETAIL names the phone number).
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
