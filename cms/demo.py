"""Demo content of the Wagtail site: locales, the home page, one page per city."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Locale, Page, Site

from appointments.models import City
from cms.models import CityPage, HomePage


def _locales() -> Locale:
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


def _home(locale: Locale) -> HomePage:
    home = HomePage.objects.filter(locale=locale).first()
    if home:
        return home
    root = Page.get_first_root_node()
    # Wagtail's initial migration makes a placeholder "Welcome" page; ours replaces it.
    for placeholder in root.get_children().exact_type(Page):
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Sportello", slug="home", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Sportello"},
    )
    return home


def load(*, log) -> None:
    locale = _locales()
    home = _home(locale)
    created = 0
    for city in City.objects.filter(is_active=True):
        if CityPage.objects.filter(city=city).exists():
            continue
        home.add_child(instance=CityPage(title=city.name, slug=city.slug, city=city, locale=locale))
        created += 1
    log(f"site with {CityPage.objects.count()} city pages ({created} new)")
