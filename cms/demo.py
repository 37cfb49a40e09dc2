"""Demo content of the Wagtail site: the skeleton (home and standard pages in every
language), one page per city with sample service cards for legal, health and housing
advice (and in Perugia the emergency shelter) in Italian, English and Arabic, emergency
numbers on the home page, and every locale's tree complete (the other languages show the
fallback notice)."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Locale, Page

from appointments.models import City, Service
from cms.demo_content import CARDS, CATEGORIES, EMERGENCY, SAMPLE, SHELTER_PHONE
from cms.editors import city_editors_ensure
from cms.locales import trees_sync
from cms.models import CityPage, HomePage, ServiceCategory, ServicePage
from cms.setup import _strings, home_page, site_setup, translate_page

LANGUAGES = ("it", "en", "ar")
FIELDS = ("title", "description", "audience", "how_to", "needed", "achieved", "times")
RICH = {"audience", "how_to", "needed", "achieved", "times", "conditions"}


def _categories() -> dict[str, ServiceCategory]:
    """The shared categories in Italian, with English and Arabic translations."""
    locales = {code: Locale.objects.get(language_code=code) for code in LANGUAGES}
    found = {}
    for key, names in CATEGORIES.items():
        source = ServiceCategory.objects.filter(name=names["it"], locale=locales["it"]).first()
        if source is None:
            source = ServiceCategory.objects.create(name=names["it"], locale=locales["it"])
        for code in ("en", "ar"):
            if not ServiceCategory.objects.filter(
                translation_key=source.translation_key, locale=locales[code]
            ).exists():
                copy = source.copy_for_translation(locales[code])
                copy.name = names[code]
                copy.save()
        found[key] = source
    return found


def _mapping(source: dict[str, str], target: dict[str, str]) -> dict[str, str]:
    """Source segment -> translated segment, field by field (same structure)."""
    strings = {}
    for field in source:
        if field in RICH:
            pairs = zip(_strings(source[field]), _strings(target[field]), strict=True)
            strings.update(pairs)
        else:
            strings[source[field]] = target[field]
    return strings


def _card(city_page: CityPage, key: str, categories, services) -> int:
    service_slug, texts = CARDS[key]
    if ServicePage.objects.child_of(city_page).filter(slug=key).exists():
        return 0
    cards = {code: {**texts[code], "conditions": f"<p>{SAMPLE[code]}</p>"} for code in LANGUAGES}
    page = city_page.add_child(
        instance=ServicePage(
            slug=key,
            category=categories[key],
            service=services.get(service_slug),
            urgent_phone=SHELTER_PHONE if key == "shelter" else "",
            **cards["it"],
        )
    )
    page.save_revision().publish()
    translate_page(page, {code: _mapping(cards["it"], cards[code]) for code in ("en", "ar")})
    return 1


def _emergency(home: HomePage) -> None:
    """Emergency numbers on the home page, the labels translated where the demo has them."""
    if home.emergency:
        return
    home.emergency = [
        ("contact", {"label": label["it"], "phone": number, "note": ""})
        for label, number in EMERGENCY
    ]
    home.save_revision().publish()
    texts = {
        code: {label["it"]: label.get(code, label["it"]) for label, _number in EMERGENCY}
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
        if code != settings.LANGUAGE_CODE
    }
    translate_page(home, texts)


def load(*, log) -> None:
    made = site_setup()
    home = home_page()
    _emergency(home)
    locale = home.locale
    created = 0
    for city in City.objects.filter(is_active=True):
        if CityPage.objects.filter(city=city, locale=locale).exists():
            continue
        page = home.add_child(
            instance=CityPage(title=city.name, slug=city.slug, city=city, locale=locale)
        )
        page.save_revision().publish()
        created += 1
    trees_sync()  # the city pages in every language, before their service cards
    categories = _categories()
    services = {
        s.slug: s
        for s in Service.objects.filter(locale=locale, slug__in=[c[0] for c in CARDS.values()])
    }
    cards = 0
    for city_page in CityPage.objects.filter(locale=locale).select_related("city"):
        keys = ["legal", "health", "housing"] + (
            ["shelter"] if city_page.city.slug == "perugia" else []
        )
        cards += sum(_card(city_page, key, categories, services) for key in keys)
    trees_sync()
    for city in City.objects.filter(is_active=True):
        city_editors_ensure(city)  # after the trees: every locale's city page
    log(
        f"site: {made['standard_page_translations']} standard page translations, "
        f"{created} new city pages, {cards} new service cards (it, en, ar), "
        f"{Page.objects.count()} pages in all locales"
    )
