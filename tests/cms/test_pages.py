"""The site's pages: the service card in the municipal model's order, city pages with their
desks and "open now", every page in every language with a fallback that says so, hreflang
alternates and the sitemap."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from wagtail.models import Locale

from appointments import availability, opening
from appointments.models import DeskText, WalkInHours
from cms.locales import trees_sync
from cms.models import CityPage, ServicePage
from cms.setup import translate_page
from tests.factories import OfferingFactory, staff_login

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")

# The municipal validator's marks of a service page, in the model's order.
CARD_ORDER = [
    "breadcrumb",
    "service-title",
    "service-status",
    "service-description",
    "page-index",
    "service-addressed",
    "service-how-to",
    "service-needed",
    "service-achieved",
    "service-calendar-text",
    "service-booking-access",
    "service-file",
    "service-area",
]


class _Marks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        mark = dict(attrs).get("data-element")
        if mark:
            self.found.append((mark, tag))


def _marks(html: str) -> list[tuple[str, str]]:
    parser = _Marks()
    parser.feed(html)
    return parser.found


@pytest.fixture
def service_page(site, city):
    from cms.models import ServiceCategory

    offering = OfferingFactory(desk__city=city, desk__name="Sportello Unico Perugia")
    WalkInHours.objects.create(desk=offering.desk, weekday=0, start=time(9), end=time(12))
    city_page = site.add_child(instance=CityPage(title="Perugia", slug="perugia", city=city))
    city_page.save_revision().publish()
    it = Locale.objects.get(language_code="it")
    category = ServiceCategory.objects.create(name="Consulenza legale", locale=it)
    page = city_page.add_child(
        instance=ServicePage(
            title="Consulenza legale",
            slug="legal",
            category=category,
            service=offering.service,
            description="Orientamento gratuito.",
            audience="<p>Persone straniere.</p>",
            how_to="<p>Prenota una visita.</p>",
            needed="<p>Un documento, se lo hai.</p>",
            achieved="<p>Un colloquio.</p>",
            times="<p>Circa 30 minuti.</p>",
            conditions="<p>Scheda di esempio.</p>",
        )
    )
    page.save_revision().publish()
    translate_page(page, {"ar": {"Consulenza legale": "استشارة قانونية"}})
    trees_sync()
    return page, offering


def test_the_service_card_follows_the_municipal_model_in_order(client, service_page):
    page, offering = service_page
    html = client.get("/it/perugia/legal/").content.decode()
    marks = _marks(html)
    names = [name for name, _tag in marks]
    assert [n for n in names if n in CARD_ORDER] == [n for n in CARD_ORDER if n in names]
    assert set(CARD_ORDER) <= set(names)
    assert ("service-booking-access", "button") in marks  # the validator looks for a button
    needed = re.search(r'data-element="service-needed"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert re.search(r"<p[^>]*>[^<]{3,}", needed)
    # One desk offers it: "Book" goes straight to its times.
    assert f'action="/it/book/{offering.desk.city.slug}/{offering.pk}/"' in html


def test_every_language_has_the_page_and_a_fallback_says_so(client, service_page):
    page, _offering = service_page
    arabic = client.get("/ar/perugia/legal/").content.decode()
    assert "استشارة قانونية" in arabic  # translated title
    with translation.override("ar"):
        notice = translation.gettext(
            "This page is not translated into your language yet. Here it is in %(language)s."
        ).split("%")[0]
    assert notice not in arabic  # a real translation: no fallback notice, but
    with translation.override("ar"):  # its untranslated strings are said to be Italian
        partial = translation.gettext(
            "Parts of this page are not translated into your language yet: they are shown "
            "in %(language)s."
        ).split("%")[0]
    assert partial in arabic
    tigrinya = client.get("/ti/perugia/legal/")
    assert tigrinya.status_code == 200
    body = tigrinya.content.decode()
    with translation.override("ti"):
        notice = translation.gettext(
            "This page is not translated into your language yet. Here it is in %(language)s."
        ).split("%")[0]
    assert notice in body
    assert '<h1 data-element="service-title" lang="it" dir="ltr">' in body
    assert re.search(r'rel="canonical" href="https?://[^"/]+/it/perugia/legal/"', body)
    # Every link on the page stays under /ti/.
    page_body = body.split("<body>")[1]
    switcher = re.search(r'<details class="langs">.*?</details>', page_body, re.S).group()
    for href in re.findall(r'<a [^>]*href="(/[^"]*)"', page_body.replace(switcher, "")):
        assert href.startswith("/ti/"), href  # the footer's links too
    assert 'href="/ar/perugia/legal/"' in switcher and 'href="/bn/perugia/legal/"' in switcher
    # hreflang: the real translations only.
    alternates = re.findall(r'hreflang="([a-z-]+)" href="http', body.split("</head>")[0])
    assert sorted(alternates) == ["ar", "it", "x-default"]


def test_english_fallback_languages_show_english_where_it_exists(client, service_page):
    page, _offering = service_page
    translate_page(page, {"en": {"Consulenza legale": "Legal advice"}})
    bengali = client.get("/bn/perugia/legal/").content.decode()
    assert "Legal advice" in bengali and 'lang="en"' in bengali
    somali = client.get("/so/perugia/legal/").content.decode()  # Somali falls back to Italian
    assert "Consulenza legale" in somali and 'lang="it"' in somali


def test_sitemap_lists_real_pages_with_their_alternates(client, service_page):
    xml = client.get("/sitemap.xml").content.decode()
    assert re.search(r"<loc>https?://[^<]+/it/perugia/legal/</loc>", xml)
    assert re.search(r'hreflang="ar" href="https?://[^"]+/ar/perugia/legal/"', xml)
    assert "/ti/perugia/legal/</loc>" not in xml  # a fallback alias


def test_city_page_shows_desks_with_their_texts_in_the_readers_language(client, service_page):
    page, offering = service_page
    desk = offering.desk
    it, ar = (Locale.objects.get(language_code=c) for c in ("it", "ar"))
    source = DeskText.objects.create(desk=desk, locale=it, directions="Autobus 7, fermata Centro")
    arabic = source.copy_for_translation(ar)
    arabic.directions = "الحافلة 7، محطة المركز"
    arabic.save()
    assert "الحافلة 7" in client.get("/ar/perugia/").content.decode()
    tigrinya = client.get("/ti/perugia/").content.decode()
    assert 'lang="it" dir="ltr">Autobus 7, fermata Centro' in tigrinya  # nearest: Italian


def test_open_now_follows_walk_in_hours_closures_and_the_desks_clock():
    rule = availability.WeeklyRule
    rules = [
        rule(weekday=0, start=time(9), end=time(12)),
        rule(weekday=0, start=time(14), end=time(16)),
    ]
    monday = datetime(2026, 11, 30, tzinfo=ROME)  # a Monday
    at = lambda h, m=0: monday.replace(hour=h, minute=m)  # noqa: E731
    state = opening.open_state(rules=rules, closures=[], now=at(10), tz=ROME)
    assert state.is_open and state.until == at(12).astimezone(UTC)
    state = opening.open_state(rules=rules, closures=[], now=at(12, 30), tz=ROME)
    assert not state.is_open and state.opens_at == at(14).astimezone(UTC)
    lunch = availability.Closure(start=at(13), end=at(15))
    state = opening.open_state(rules=rules, closures=[lunch], now=at(12, 30), tz=ROME)
    assert state.opens_at == at(15).astimezone(UTC)
    state = opening.open_state(rules=rules, closures=[], now=at(17), tz=ROME)
    assert state.opens_at.astimezone(ROME).date().isoformat() == "2026-12-07"  # next Monday
    assert opening.open_state(rules=[], closures=[], now=at(9), tz=ROME).opens_at is None


def test_editors_see_which_languages_are_missing_waiting_or_out_of_date(
    client, service_page, django_user_model
):
    from cms.setup import _strings
    from cms.translation_status import page_languages

    page, _offering = service_page
    everything = {
        s: f"EN {s}"
        for s in [page.title, page.slug, page.description]
        + [
            x
            for f in ("audience", "how_to", "needed", "achieved", "times", "conditions")
            for x in _strings(getattr(page, f))
        ]
    }
    translate_page(page, {"en": everything})
    states = {row.code: row.state for row in page_languages(page)}
    assert states["it"] == "source" and states["ti"] == "missing"
    assert states["ar"] == "waiting" and states["en"] == "translated"
    page.description = "Orientamento gratuito, aggiornato."
    page.save_revision().publish()
    page.refresh_from_db()  # published after the translation's last sync
    assert {row.code: row.state for row in page_languages(page)}["en"] == "out_of_date"
    admin = django_user_model.objects.create_superuser("root", password="x")
    staff_login(client, admin)
    listing = client.get(f"/admin/pages/{page.pk}/languages/").content.decode()
    assert "Tigrinya" in listing or "ትግርኛ" in listing or "(ti)" in listing
    from django.contrib.auth.models import Permission

    stranger = django_user_model.objects.create_user("nobody", password="x")  # admin, no pages
    stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff_login(client, stranger)
    denied = client.get(f"/admin/pages/{page.pk}/languages/")
    assert denied.status_code == 403  # cms.middleware: no page permission, no page view


def test_a_small_edit_keeps_the_other_translated_strings(client, service_page):
    """wagtail-localize translates segment by segment: after one sentence of the Italian page
    changes, the English page keeps every other sentence translated."""
    from wagtail_localize.models import TranslationSource

    from cms.setup import _strings

    page, _offering = service_page
    strings = [page.title, page.description] + [
        x for f in ("audience", "how_to", "needed") for x in _strings(getattr(page, f))
    ]
    translate_page(page, {"en": {s: f"EN {s}" for s in strings}})
    page.description = "Orientamento gratuito, anche il sabato."
    page.save_revision().publish()
    source, _created = TranslationSource.update_or_create_from_instance(page)
    source.create_or_update_translation(Locale.objects.get(language_code="en"), fallback=True)
    english = ServicePage.objects.get(
        translation_key=page.translation_key, locale__language_code="en"
    )
    english.refresh_from_db()
    assert english.title == "EN Consulenza legale"
    assert "EN Persone straniere." in english.audience
    assert english.description == "Orientamento gratuito, anche il sabato."  # the new sentence
