"""The interface languages: codes, names in themselves, direction, Babel locales.

Django ships no locale data for Pashto, Tigrinya and Somali, and treats Dari as Persian.
``LANG_INFO_EXTRA`` fills that gap (it is merged into ``django.conf.locale.LANG_INFO``
by the settings) and the catalogues in ``locale/`` make those codes real languages.
"""

from __future__ import annotations

# (code, English name). Italian first: it is the default and the source of content.
LANGUAGES: list[tuple[str, str]] = [
    ("it", "Italian"),
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("ar", "Arabic"),
    ("uk", "Ukrainian"),
    ("sq", "Albanian"),
    ("ro", "Romanian"),
    ("zh-hans", "Chinese (simplified)"),
    ("bn", "Bengali"),
    ("ur", "Urdu"),
    ("pa", "Punjabi"),
    ("ps", "Pashto"),
    ("fa-af", "Dari"),
    ("ti", "Tigrinya"),
    ("so", "Somali"),
]

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _ in LANGUAGES)

RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "ur", "ps", "fa-af"})

LANG_INFO_EXTRA: dict[str, dict[str, object]] = {
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
    "fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    # Django names Punjabi in English only; people look for their own script.
    "pa": {"bidi": False, "code": "pa", "name": "Punjabi", "name_local": "ਪੰਜਾਬੀ"},
}

# Django language code -> Babel (CLDR) locale identifier.
BABEL_LOCALES: dict[str, str] = {
    "zh-hans": "zh_Hans_CN",
    "fa-af": "fa_AF",
    "pa": "pa_Guru_IN",
}


def babel_locale(language_code: str) -> str:
    """The CLDR locale Babel should use for a Django language code."""
    code = (language_code or "it").lower()
    if code in BABEL_LOCALES:
        return BABEL_LOCALES[code]
    return code.split("-")[0]
