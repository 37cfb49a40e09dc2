"""Which language's words a reader sees when a text is not translated into theirs yet."""

from __future__ import annotations

from django.conf import settings


def fallback_language(code: str) -> str | None:
    """The language a locale falls back to: English for the languages
    ``SPORTELLO["CONTENT_FALLBACK_ENGLISH"]`` names, Italian for the others (English
    included), nothing for Italian itself (decision 0011)."""
    if code == settings.LANGUAGE_CODE:
        return None
    if code in settings.SPORTELLO["CONTENT_FALLBACK_ENGLISH"]:
        return "en"
    return settings.LANGUAGE_CODE


def language_chain(code: str) -> list[str]:
    """The language, then its fallbacks in order: ``["bn", "en", "it"]``."""
    chain = [code]
    while (following := fallback_language(chain[-1])) and following not in chain:
        chain.append(following)
    return chain
