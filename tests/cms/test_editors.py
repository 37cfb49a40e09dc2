"""Each city has its editors: they write and publish their own city's pages in every
language, and their city's desk texts; another city's pages, snippets and desks are out of
reach, also through wagtail-localize's views."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from appointments.models import City, Desk, DeskText
from cms.editors import city_editors_ensure
from cms.locales import trees_sync
from cms.models import CityPage, ServicePage
from cms.setup import home_page
from tests.factories import staff_login

pytestmark = pytest.mark.django_db


def _city(home, name: str) -> tuple[City, CityPage, Desk]:
    city = City.objects.create(name=name, slug=name.lower())
    desk = Desk.objects.create(city=city, name=f"Sportello {name}")
    page = home.add_child(instance=CityPage(title=name, slug=city.slug, city=city))
    page.save_revision().publish()
    return city, page, desk


@pytest.fixture
def two_cities(locales, django_user_model):
    home = home_page()
    perugia, perugia_page, perugia_desk = _city(home, "Perugia")
    napoli, napoli_page, napoli_desk = _city(home, "Napoli")
    trees_sync()
    for city in (perugia, napoli):
        city_editors_ensure(city)
    editor = django_user_model.objects.create_user("ed-perugia", password="x")
    editor.groups.add(City.objects.get(pk=perugia.pk).editors)
    it = Locale.objects.get(language_code="it")
    texts = {
        desk: DeskText.objects.create(desk=desk, locale=it, directions=f"Bus to {desk.name}")
        for desk in (perugia_desk, napoli_desk)
    }
    return (
        editor,
        (perugia_page, perugia_desk, texts[perugia_desk]),
        (
            napoli_page,
            napoli_desk,
            texts[napoli_desk],
        ),
    )


def _service_form(title: str) -> dict:
    rich = '{"blocks": [{"key": "a", "type": "unstyled", "text": "Testo", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'  # noqa: E501
    return {
        "title": title,
        "slug": "prova",
        "status": "active",
        "description": "Una prova.",
        **{f: rich for f in ("audience", "how_to", "needed", "achieved", "times", "conditions")},
        "contacts-count": "0",
        "action-publish": "publish",
    }


def test_an_editor_publishes_in_their_city_in_every_language(client, two_cities):
    editor, (perugia_page, _desk, _text), _napoli = two_cities
    staff_login(client, editor)
    created = client.post(
        f"/admin/pages/add/cms/servicepage/{perugia_page.pk}/", _service_form("Prova")
    )
    assert created.status_code == 302, created.content.decode()[:3000]
    page = ServicePage.objects.get(title="Prova", alias_of__isnull=True)
    assert page.live and page.get_parent().pk == perugia_page.pk
    arabic_city = CityPage.objects.get(city=perugia_page.city, locale__language_code="ar")
    assert client.get(f"/admin/pages/{arabic_city.pk}/edit/").status_code == 200
    assert ServicePage.objects.filter(translation_key=page.translation_key).count() == 16


def test_an_editor_of_perugia_finds_no_way_into_napoli(client, two_cities):
    editor, (_pp, perugia_desk, perugia_text), (napoli_page, napoli_desk, napoli_text) = two_cities
    staff_login(client, editor)
    arabic_napoli = CityPage.objects.get(city=napoli_page.city, locale__language_code="ar")
    for page in (napoli_page, arabic_napoli):
        for url in (
            f"/admin/pages/{page.pk}/edit/",
            f"/admin/pages/add/cms/servicepage/{page.pk}/",
            f"/admin/pages/{page.pk}/delete/",
            f"/admin/pages/{page.pk}/unpublish/",
            f"/admin/localize/submit/page/{page.pk}/",
        ):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), url
            posted = client.post(url, _service_form("Presa"))
            assert posted.status_code in (302, 403, 404), url
            if posted.status_code == 302:
                assert "/login/" in posted["Location"] or "/admin/" == posted["Location"]
    assert not ServicePage.objects.filter(title="Presa").exists()
    assert Page.objects.get(pk=arabic_napoli.pk).alias_of_id is not None  # still a fallback

    snippets = "/admin/snippets/appointments"
    listing = client.get(f"{snippets}/desktext/").content.decode()
    assert "Sportello Perugia" in listing and "Sportello Napoli" not in listing
    for url in (
        f"{snippets}/desktext/edit/{napoli_text.pk}/",
        f"{snippets}/desktext/history/{napoli_text.pk}/",
        f"{snippets}/desk/edit/{napoli_desk.pk}/",
        f"/admin/localize/submit/snippet/appointments/desktext/{napoli_text.pk}/",
    ):
        assert client.get(url).status_code in (302, 403, 404), url
    assert client.get(f"{snippets}/desktext/edit/{perugia_text.pk}/").status_code == 200

    # A translation of Napoli's desk text, started by an administrator: still out of reach.
    source, _created = TranslationSource.get_or_create_from_instance(napoli_text)
    translation = source.translations.create(target_locale=Locale.objects.get(language_code="ar"))
    assert client.get(f"/admin/localize/translate/{translation.pk}/preview/").status_code == 403
    assert client.get(f"/admin/localize/update/{source.pk}/").status_code == 403
    # wagtail-localize's lists of every city's objects: administrators only.
    assert client.get("/admin/localize/api/snippets/appointments/appointment/").status_code == 403
    assert client.get("/admin/localize/reports/translations/").status_code == 403
    # The holidays page shows a city editor the days, never bookings (the desk staff's).
    from datetime import datetime, time

    from django.utils import timezone

    from tests.factories import ConfirmedAppointmentFactory, OfferingFactory

    christmas = timezone.localdate().replace(month=12, day=25)
    if christmas < timezone.localdate():
        christmas = christmas.replace(year=christmas.year + 1)
    offering = OfferingFactory(desk=perugia_desk)
    start = datetime.combine(christmas, time(10), tzinfo=timezone.get_current_timezone())
    ConfirmedAppointmentFactory(offering=offering, start=start, code="XMAS01")
    holidays = client.get("/admin/holidays/").content.decode()
    assert "Sportello Perugia" in holidays and "XMAS01" not in holidays
    assert "Sportello Napoli" not in holidays


def test_the_default_editors_group_reaches_no_page_and_no_shared_list(django_user_model):
    editors = Group.objects.get(name="Editors")
    assert not editors.page_permissions.exists()
    assert not editors.permissions.filter(codename__in=["change_service", "add_service"])


def test_city_add_makes_a_city_with_its_pages_in_every_language_and_its_editors(locales):
    home_page()
    call_command("city_add", "Bari", "--region", "Puglia", "--address", "Piazza 1, Bari")
    city = City.objects.get(slug="bari")
    assert city.desks.get().name == "Sportello Unico Bari"
    pages = CityPage.objects.filter(city=city)
    assert pages.count() == 16 and pages.filter(alias_of__isnull=True).count() == 1
    assert city.editors.name == "Editors · Bari"
    assert (
        city.editors.page_permissions.filter(page__in=pages).values("page").distinct().count() == 16
    )
    with pytest.raises(Exception, match="exists already"):
        call_command("city_add", "Bari")
