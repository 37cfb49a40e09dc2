"""Every locale has the whole page tree (decision 0011).

A page not yet translated into a language exists there as an alias of its source, through
wagtail-localize's locale synchronisation: Italian for most languages, English for the
languages ``SPORTELLO["CONTENT_FALLBACK_ENGLISH"]`` names (English itself follows
Italian). So a link on an Arabic page always leads under ``/ar/``, the language switcher
always finds the same page, and translating a page turns its alias into a translation.

Wagtail-localize keeps the trees in step for pages created in the admin; pages created in
code (the demo, ``city_add``) call ``trees_sync()``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Locale
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, synchronize_tree

from core.languages import fallback_language


def _sync_order() -> list[str]:
    """Locales in an order where each one's source is synchronised before it."""
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    done: list[str] = [settings.LANGUAGE_CODE]
    while len(done) < len(codes):
        added = [c for c in codes if c not in done and fallback_language(c) in done]
        if not added:  # the checks refuse such settings; never loop
            raise ImproperlyConfigured("CONTENT_FALLBACK_ENGLISH makes a fallback loop.")
        done.extend(added)
    return done


def locales_ensure() -> dict[str, Locale]:
    """Every content language has its Locale, and syncs from its fallback."""
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
    }
    existing = {sync.locale_id: sync.sync_from_id for sync in LocaleSynchronization.objects.all()}
    for code, locale in locales.items():
        source = fallback_language(code)
        if source is None:
            LocaleSynchronization.objects.filter(locale=locale).delete()
        elif existing.get(locale.pk) != locales[source].pk:
            # Written only when it changes: wagtail-localize syncs a whole tree on each save.
            LocaleSynchronization.objects.update_or_create(
                locale=locale, defaults={"sync_from": locales[source]}
            )
    return locales


def trees_sync() -> None:
    """Aliases for every page missing from a locale's tree, sources first."""
    locales = locales_ensure()
    for code in _sync_order()[1:]:
        # Each pass adds pages the next passes read: the index is built afresh.
        page_index = PageIndex.from_database().sort_by_tree_position()
        synchronize_tree(locales[fallback_language(code)], locales[code], page_index=page_index)
