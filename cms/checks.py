"""``manage.py check`` refuses fallback settings that would leave a language without one."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def content_fallbacks(app_configs, **kwargs):
    codes = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    errors = []
    for code in settings.SPORTELLO["CONTENT_FALLBACK_ENGLISH"]:
        if code in ("en", settings.LANGUAGE_CODE) or code not in codes:
            errors.append(
                Error(
                    f"CONTENT_FALLBACK_ENGLISH names {code!r}: only content languages other "
                    f"than English and {settings.LANGUAGE_CODE!r} can fall back to English.",
                    id="sportello.E201",
                )
            )
    if "en" not in codes and settings.SPORTELLO["CONTENT_FALLBACK_ENGLISH"]:
        errors.append(Error("English is not a content language.", id="sportello.E202"))
    return errors
