"""Which languages a page is missing, or has out of date: for its editors, per page.

- *translated*: a wagtail-localize translation with every string translated, made after the
  source's last publication;
- *waiting*: started, some strings not translated yet (they show in the source language);
- *out of date*: the source was published again after the translation was last synced;
- *missing*: no translation, the page shows its Italian (or English) fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

STATES = {
    "translated": _("translated"),
    "waiting": _("being translated"),
    "out_of_date": _("out of date"),
    "missing": _("missing: shows the fallback"),
    "source": _("source"),
}


@dataclass(frozen=True)
class LanguageState:
    code: str
    name: str
    state: str
    page: Page | None
    progress: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        return str(STATES[self.state])


def page_languages(page: Page) -> list[LanguageState]:
    """Each content language's state for a page (three queries, and one per translation)."""
    versions = {
        p.locale.language_code: p
        for p in Page.objects.filter(translation_key=page.translation_key).select_related("locale")
    }
    default = versions.get(settings.LANGUAGE_CODE)
    source_page = (
        default
        if default is not None and not default.alias_of_id
        else next((p for p in versions.values() if not p.alias_of_id), page)
    )
    source = TranslationSource.objects.filter(
        object_id=page.translation_key, locale=source_page.locale
    ).first()
    translations = {
        t.target_locale.language_code: t
        for t in Translation.objects.filter(source=source).select_related("target_locale")
    }
    names = dict(settings.LANGUAGES)
    found = []
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        version = versions.get(code)
        translation = translations.get(code)
        progress = None
        if version is not None and version.pk == source_page.pk:
            state = "source"
        elif version is None or version.alias_of_id or translation is None:
            state = "missing"
        else:
            progress = translation.get_progress()
            changed = source_page.last_published_at
            if progress[1] < progress[0]:
                state = "waiting"
            elif changed and source.last_updated_at < changed:
                state = "out_of_date"
            else:
                state = "translated"
        found.append(LanguageState(code, names[code], state, version, progress))
    return found
