"""The footer's pages (help, accessibility, privacy ...) in the reader's language: found by
their role in the locale's tree, cached a few minutes per language, forgotten when a
standard page is published, unpublished or deleted."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import translation
from django.utils.html import format_html

register = template.Library()

FOOTER_ROLES = ("help", "faq", "accessibility", "privacy")
CACHE_KEY = "cms:footer:{}"


def footer_pages_for(language: str) -> dict[str, tuple[str, str]]:
    """role -> (title, URL) of the footer pages in a language's tree."""
    key = CACHE_KEY.format(language)
    found = cache.get(key)
    if found is None:
        from cms.models import StandardPage

        pages = (
            StandardPage.objects.live()
            .filter(locale__language_code=language, role__in=FOOTER_ROLES)
            .only("title", "url_path", "role", "locale_id", "alias_of_id")
        )
        try:
            found = {page.role: (page.title, page.get_url()) for page in pages}
        except DatabaseError:  # the error pages still render, without these links
            return {}
        cache.set(key, found, 300)
    return found


@register.simple_tag
def footer_pages():
    """[(role, title, URL)] in the footer's order."""
    pages = footer_pages_for(translation.get_language())
    return [(role, *pages[role]) for role in FOOTER_ROLES if role in pages]


@register.simple_tag
def site_page_url(role: str) -> str:
    """The URL of a standard page in the reader's language ("" if there is none)."""
    found = footer_pages_for(translation.get_language()).get(role)
    return found[1] if found else ""


@register.filter
def content_lang(page) -> str:
    """` lang="it" dir="ltr"` on what editors wrote in a page that is still a fallback
    (its words are the source's), so screen readers read them in their real language;
    nothing for a page written in the reader's language."""
    specific = getattr(page, "specific", page)
    if not getattr(page, "alias_of_id", None) or not hasattr(specific, "content_language"):
        return ""
    return format_html(' lang="{}" dir="ltr"', specific.content_language)
