"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
from django.conf import settings
from wagtail.models import Locale, Page, Site

from appointments.models import City
from cms.models import CityPage, HomePage


@pytest.fixture
def locales(db):
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    return Locale.objects.get(language_code="it")


@pytest.fixture
def home_page(locales) -> HomePage:
    root = Page.get_first_root_node()
    if root is None:  # a transactional test flushed the tree Wagtail's migrations made
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locales))
    for placeholder in root.get_children().exact_type(Page):
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Sportello", slug="home", locale=locales))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


@pytest.fixture
def site(locales) -> HomePage:
    """The site as ``site_setup`` makes it (its standard pages translated into Arabic and
    Tigrinya only, for speed; the other locales' trees are aliases)."""
    from cms.setup import home_page, site_setup

    site_setup(only=("ar", "ti"))
    return home_page()


@pytest.fixture
def city(db) -> City:
    return City.objects.create(name="Perugia", slug="perugia", region="Umbria")


@pytest.fixture
def city_page(home_page, city) -> CityPage:
    return home_page.add_child(instance=CityPage(title=city.name, slug=city.slug, city=city))


@pytest.fixture(autouse=True)
def _clean_slate():
    """Rate-limit counters and the in-memory SMS backend start empty in every test."""
    from django.core.cache import cache

    from messaging.backends import MemoryBackend

    cache.clear()
    MemoryBackend.reset()
    yield
    MemoryBackend.reset()


@pytest.fixture
def quiet_hours(settings):
    """The production quiet hours (21:00-08:00 on the desk's clock) for one test."""
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "MESSAGING": {**settings.SPORTELLO["MESSAGING"], "QUIET_HOURS": (21, 8)},
    }


@pytest.fixture
def offering(db):
    from tests.factories import OfferingFactory

    return OfferingFactory(desk__city__slug="perugia", desk__city__name="Perugia")


@pytest.fixture
def now():
    from django.utils import timezone

    return timezone.now()


@pytest.fixture
def first_slot(offering, now):
    from appointments import selectors

    return selectors.offering_slots(offering=offering, now=now)[0]
