"""The one place that reads the process environment.

Settings modules ask this object; nothing else in the code base touches ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_UNSET = object()


class Env:
    """Typed, read-only access to environment variables."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def _raw(self, name: str, default: object) -> str | object:
        value = self._environ.get(name)
        if value is None:
            if default is _UNSET:
                raise ImproperlyConfigured(f"The environment variable {name} must be set.")
            return default
        return value

    def has(self, name: str) -> bool:
        return bool(self._environ.get(name))

    def str(self, name: str, default: object = _UNSET) -> str:
        return self._raw(name, default)  # type: ignore[return-value]

    def bool(self, name: str, default: object = _UNSET) -> bool:
        value = self._raw(name, default)
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")

    def int(self, name: str, default: object = _UNSET) -> int:
        value = self._raw(name, default)
        try:
            return int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc

    def list(self, name: str, default: object = _UNSET) -> list[str]:
        value = self._raw(name, default)
        if isinstance(value, list):
            return value
        return [item.strip() for item in str(value).split(",") if item.strip()]

    def required(self, name: str) -> str:
        """A value that must be present and non-empty (production secrets)."""
        value = self._environ.get(name, "")
        if not value.strip():
            raise ImproperlyConfigured(
                f"The environment variable {name} must be set in production."
            )
        return value


env = Env()
