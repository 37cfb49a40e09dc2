"""The site's skeleton, made idempotently (``manage.py site_setup``, and the demo): the home
page of every locale, and the standard pages (help, frequent questions, accessibility,
privacy) with their first text in all 16 languages.

That first text comes from the gettext catalogues the old fixed pages used, so no language
loses it: the Italian page is the source, and each other language becomes a real
wagtail-localize translation of it (segments filled from the catalogue), which editors
then edit like any other.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments.extract import extract_strings

from appointments.models import City
from cms.editors import city_editors_ensure
from cms.locales import locales_ensure, trees_sync
from cms.models import CityPage, HomePage, StandardPage

logger = logging.getLogger(__name__)

# role -> (slug, title msgid, template of the first text)
STANDARD_PAGES = {
    StandardPage.Role.HELP: ("help", gettext_noop("Help"), "cms/initial/help.html"),
    StandardPage.Role.FAQ: ("faq", gettext_noop("Frequent questions"), "cms/initial/faq.html"),
    StandardPage.Role.ACCESSIBILITY: (
        "accessibility",
        gettext_noop("Accessibility statement"),
        "cms/initial/accessibility.html",
    ),
    StandardPage.Role.PRIVACY: (
        "privacy",
        gettext_noop("Privacy notice"),
        "cms/initial/privacy.html",
    ),
}


def home_page() -> HomePage:
    """The Italian home page, the default site's root (made once)."""
    locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:  # a database emptied after Wagtail's migrations made its root
            root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        # Wagtail's initial migration makes a placeholder "Welcome" page; ours replaces it.
        for placeholder in root.get_children().exact_type(Page):
            placeholder.delete()
        home = root.add_child(instance=HomePage(title="Sportello", slug="home", locale=locale))
    # The site's address is the public one (SITE_URL): sitemaps and hreflang links are
    # absolute, and Wagtail builds them from the Site.
    public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    port = public.port or (443 if public.scheme == "https" else 80)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": public.hostname or "localhost",
            "port": port,
            "root_page": home,
            "site_name": "Sportello",
        },
    )
    return home


def _strings(html: str) -> list[str]:
    return [value.data for value, _attrs in extract_strings(html)[1]]


def translate_page(page: Page, texts: dict[str, dict[str, str]], *, publish: bool = True) -> int:
    """Real wagtail-localize translations of ``page`` into the languages of ``texts``
    (language -> {source string: translated string}); a string without a translation
    stays in the source language. Returns how many translations were saved."""
    source, _created = TranslationSource.update_or_create_from_instance(page)
    saved = 0
    for language, strings in texts.items():
        locale = Locale.objects.get(language_code=language)
        target, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
        po = target.export_po()
        for entry in po:
            entry.msgstr = strings.get(entry.msgid, "")
        target.import_po(po, tool_name="site_setup")
        # Not save_target(publish=True): wagtail-localize publishes on commit, from a copy of
        # the page taken now, which inside a transaction would write back a stale count of
        # children (treebeard's numchild) over pages added meanwhile.
        source.create_or_update_translation(
            locale, publish=False, fallback=True, copy_parent_pages=True
        )
        if publish:
            revision = source.get_translated_instance(locale).get_latest_revision()
            revision.publish()
        saved += 1
    return saved


def _languages(only: tuple[str, ...] | None) -> list[str]:
    """The content languages other than the source (all, or ``only`` these: tests)."""
    return [
        code
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
        if code != settings.LANGUAGE_CODE and (only is None or code in only)
    ]


def _translated_into(page: Page) -> set[str]:
    """The languages a page has a real translation in (not a fallback alias)."""
    return set(
        Page.objects.filter(
            translation_key=page.translation_key, alias_of__isnull=True
        ).values_list("locale__language_code", flat=True)
    )


def _standard_page(home: HomePage, role: str, languages: list[str]) -> int:
    """The page of a role in Italian (made once) and its translations from the catalogues
    into every language that has none yet (also languages added later)."""
    slug, title, template = STANDARD_PAGES[role]
    with translation.override(settings.LANGUAGE_CODE):
        source_title = translation.gettext(title)
        source_html = render_to_string(template)
    page = StandardPage.objects.filter(locale=home.locale, role=role).first()
    if page is None:
        page = home.add_child(
            instance=StandardPage(title=source_title, slug=slug, role=role, body=source_html)
        )
        page.save_revision().publish()
    have = _translated_into(page)
    texts = {}
    for language in languages:
        if language in have:
            continue
        strings = _catalogue_strings(template, title, source_html, source_title, language)
        if strings is not None:
            texts[language] = {**strings, slug: slug}
    return translate_page(page, texts) if texts else 0


def _catalogue_strings(template, title, source_html, source_title, language):
    """Source string -> the catalogue's translation, for one language; None (with a log
    line) when the template renders differently there (a translator added a line break),
    so one odd catalogue never stops the others. A string the catalogue lacks stays out:
    wagtail-localize then shows it untranslated, not as English posing as the language."""
    with translation.override(language):
        target_html = render_to_string(template)
        target_title = translation.gettext(title)
    with translation.override("en"):  # the msgids: what an untranslated string renders as
        english = _strings(render_to_string(template))
    source, target = _strings(source_html), _strings(target_html)
    if not len(source) == len(target) == len(english):
        logger.warning("site_setup: %s renders differently in %s", template, language)
        return None
    strings = {
        s: t
        for s, t, msgid in zip(source, target, english, strict=True)
        if t != msgid or language == "en"
    }
    if target_title != title or language == "en":
        strings[source_title] = target_title
    return strings


def _home_translations(home: HomePage, languages: list[str]) -> int:
    """Every locale's home page is a translation, not a fallback: its words are the
    interface's own (gettext); an introduction editors write is translated like any page."""
    have = set(
        Page.objects.filter(
            translation_key=home.translation_key, alias_of__isnull=True
        ).values_list("locale__language_code", flat=True)
    )
    missing = [code for code in languages if code not in have]
    return translate_page(home, {code: {} for code in missing}) if missing else 0


@transaction.atomic
def site_setup(*, only: tuple[str, ...] | None = None) -> dict[str, int]:
    """Locales, home pages and standard pages; every locale's tree complete. ``only``
    limits the translations made to a few languages (tests: each takes ~0.15 s)."""
    locales_ensure()
    home = home_page()
    languages = _languages(only)
    homes = _home_translations(home, languages)
    made = sum(_standard_page(home, role, languages) for role in STANDARD_PAGES)
    trees_sync()
    for city in City.objects.filter(pk__in=CityPage.objects.values("city")):
        city_editors_ensure(city)
    return {"home_pages": homes, "standard_page_translations": made}
