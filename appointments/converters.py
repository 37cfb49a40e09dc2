"""The start of a slot in a URL: ``20261203T0830Z`` (UTC, to the minute)."""

from __future__ import annotations

from datetime import UTC, datetime

FORMAT = "%Y%m%dT%H%MZ"


class SlotStartConverter:
    regex = r"\d{8}T\d{4}Z"

    def to_python(self, value: str) -> datetime:
        # A ValueError (20261399T9999Z) makes the URL not match: a 404, not a 500.
        return datetime.strptime(value, FORMAT).replace(tzinfo=UTC)

    def to_url(self, value: datetime) -> str:
        return value.astimezone(UTC).strftime(FORMAT)
