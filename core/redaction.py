"""Nothing secret or personal reaches a log line: phone numbers become a keyed pseudonym,
the secret part of a manage link becomes ``…``.

The filter sits on every handler (``LOGGING`` in the settings), so Django's request
warnings ("Not Found: /it/manage/<token>/"), the development server's access log and
tracebacks are covered, not only our own messages.
"""

from __future__ import annotations

import logging
import re

from core.phones import phone_pseudonym

# An international number (+ or 00 and 7-15 digits, spaces or hyphens allowed) or an
# Italian mobile (3 and 8-10 more digits). Not IP addresses, not "200 3480" in server logs.
PHONE_RE = re.compile(
    r"(?<![\w.])(?:\+|00)\d(?:[ -]?\d){6,14}(?!\w|\.\d)|(?<![\w.])3\d(?:[ -]?\d){7,9}(?!\w|\.\d)"
)
# The path segment after /manage/ is a bearer secret (``/manage/`` alone is the look-up form).
SECRET_PATH_RE = re.compile(r"(/manage/|/m/|/t/|/display/)[^/\s?#\"']+")


def redact_secrets(text: str) -> str:
    """Manage links lose their token: ``/ar/manage/…/cancel/``."""
    return SECRET_PATH_RE.sub(r"\1…", text)


def redact(text: str) -> str:
    text = redact_secrets(text)
    return PHONE_RE.sub(lambda m: phone_pseudonym(re.sub(r"[^\d+]", "", m.group())), text)


class RedactFilter(logging.Filter):
    """Rewrites every record: phone numbers pseudonymised, manage tokens removed."""

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
