"""Template context every public page needs: the language switcher and direction."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def languages(request):
    current = translation.get_language() or settings.LANGUAGE_CODE

    def switcher():
        # Lazily built: admin pages and JSON views never pay for it.
        path = request.get_full_path()
        # A Wagtail page leaves the URLs of its versions in every language (a translated
        # slug may differ); any other page keeps its path under another prefix.
        page_urls = getattr(request, "language_urls", {})
        items = []
        for code, _name in settings.LANGUAGES:
            info = translation.get_language_info(code)
            items.append(
                {
                    "code": code,
                    "name_local": info["name_local"],
                    "bidi": info["bidi"],
                    "url": page_urls.get(code) or translate_url(path, code),
                    "current": code == current,
                }
            )
        return items

    info = translation.get_language_info(current)
    return {
        "language_switcher": switcher,
        "current_language_name": info["name_local"],
        "language_direction": "rtl" if translation.get_language_bidi() else "ltr",
    }
