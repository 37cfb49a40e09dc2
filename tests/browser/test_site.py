"""From the home page to a city, a service and into the booking flow, on a phone, in Italian
and in Arabic: the person stays in their language all the way, each page passes axe, and
the same walk works with JavaScript off. A page not translated yet (Tigrinya) says so and
still passes axe."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.utils import translation
from playwright.sync_api import expect
from wagtail.models import Locale

from appointments.models import City, WalkInHours
from cms.locales import trees_sync
from cms.models import CityPage, ServicePage
from cms.setup import translate_page
from tests.browser.axe import assert_accessible
from tests.factories import OfferingFactory

PHONE = {"width": 360, "height": 740}


def _t(code: str, text: str) -> str:
    with translation.override(code):
        return translation.gettext(text)


@pytest.fixture
def city_site(site_url, site):
    city = City.objects.create(name="Perugia", slug="perugia")
    offering = OfferingFactory(desk__city=city, desk__name="Sportello Unico Perugia")
    for weekday in range(7):
        WalkInHours.objects.create(desk=offering.desk, weekday=weekday, start=time(9), end=time(12))
    city_page = site.add_child(instance=CityPage(title="Perugia", slug="perugia", city=city))
    city_page.save_revision().publish()
    page = city_page.add_child(
        instance=ServicePage(
            title="Consulenza legale",
            slug="legal",
            service=offering.service,
            description="Orientamento gratuito sul permesso di soggiorno.",
            audience="<p>Persone straniere che vivono in città.</p>",
            how_to="<p>Prenota una visita qui sotto.</p>",
            needed="<p>Un documento, se lo hai.</p>",
            achieved="<p>Un colloquio con un operatore legale.</p>",
            times="<p>Il colloquio dura circa 30 minuti.</p>",
        )
    )
    page.save_revision().publish()
    trees_sync()
    translate_page(
        page,
        {
            "ar": {
                "Consulenza legale": "استشارة قانونية",
                "Orientamento gratuito sul permesso di soggiorno.": "إرشاد مجاني حول تصريح "
                "الإقامة.",
                "Persone straniere che vivono in città.": "الأشخاص الأجانب الذين يعيشون في "
                "المدينة.",
                "Prenota una visita qui sotto.": "احجز موعدًا في الأسفل.",
                "Un documento, se lo hai.": "وثيقة هوية إن كانت لديك.",
                "Un colloquio con un operatore legale.": "لقاء مع مستشار قانوني.",
                "Il colloquio dura circa 30 minuti.": "يستغرق اللقاء نحو 30 دقيقة.",
            }
        },
    )
    assert Locale.objects.filter(language_code="ti").exists()
    return site_url, offering


@pytest.mark.parametrize(
    ("code", "title"), [("it", "Consulenza legale"), ("ar", "استشارة قانونية")]
)
def test_from_home_to_booking_in_ones_own_language(page, city_site, code, title):
    site_url, offering = city_site
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}/{code}/")
    assert_accessible(page)
    page.get_by_role("link", name="Perugia").click()
    expect(page).to_have_url(re.compile(rf"/{code}/perugia/$"))
    expect(page.locator("html")).to_have_attribute("lang", code)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(title)).first.click()
    expect(page).to_have_url(re.compile(rf"/{code}/perugia/legal/$"))
    expect(page.locator("h1")).to_have_text(title)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.get_by_role("button", name=_t(code, "Book an appointment")).click()
    expect(page).to_have_url(re.compile(rf"/{code}/book/perugia/{offering.pk}/\??$"))
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_a_page_not_yet_translated_says_so_and_passes_axe(page, city_site):
    site_url, _offering = city_site
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}/ti/perugia/legal/")
    expect(page.locator("html")).to_have_attribute("lang", "ti")
    notice = _t(
        "ti", "This page is not translated into your language yet. Here it is in %(language)s."
    )
    expect(page.locator(".notice")).to_contain_text(notice.split("%")[0].strip())
    expect(page.locator("h1")).to_have_attribute("lang", "it")
    assert_accessible(page)
    page.get_by_role("button", name=_t("ti", "Book an appointment")).click()
    expect(page).to_have_url(re.compile(r"/ti/book/perugia/"))


@pytest.mark.parametrize("path", ["/ar/privacy/", "/ar/faq/", "/ti/help/"])
def test_standard_pages_pass_axe_on_a_phone(page, city_site, path):
    site_url, _offering = city_site
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}{path}")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_the_walk_works_without_javascript(browser, city_site):
    site_url, offering = city_site
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}/ar/")
    page.get_by_role("link", name="Perugia").click()
    page.get_by_role("link", name=re.compile("استشارة قانونية")).first.click()
    page.get_by_role("button", name=_t("ar", "Book an appointment")).click()
    expect(page).to_have_url(re.compile(rf"/ar/book/perugia/{offering.pk}/\??$"))
    context.close()


@pytest.fixture
def site(locales):
    """Override: the site made by site_setup, its standard pages in Arabic only (a live server's
    transactional database starts empty)."""
    from cms.setup import home_page, site_setup

    site_setup(only=("ar",))
    return home_page()


def test_service_page_fixture_is_published(city_site):
    assert ServicePage.objects.live().filter(slug="legal").count() == 16
