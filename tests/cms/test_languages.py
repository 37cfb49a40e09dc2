"""Every interface language is served under its own prefix, in itself, in its direction."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from config.languages import RTL_LANGUAGES

pytestmark = pytest.mark.django_db

# A string of the home page as each catalogue renders it, to prove the language is real.
WELCOME = "Choose your city"


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group()


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_each_language_serves_its_home_page_in_itself(client, home_page, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200, f"/{code}/ answered {response.status_code}"
    direction = "rtl" if code in RTL_LANGUAGES else "ltr"
    assert _html_tag(response) == f'<html lang="{code}" dir="{direction}">'
    with translation.override(code):
        expected = translation.gettext(WELCOME)
    assert expected in response.content.decode()
    if code != "en":
        assert expected != WELCOME, f"{code} has no translation of {WELCOME!r}"


@pytest.mark.parametrize("code", ["ps", "ti", "so", "fa-af"])
def test_languages_django_lacks_are_not_redirected_elsewhere(client, home_page, code):
    response = client.get(f"/{code}/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == code


def test_switcher_names_each_language_in_itself_and_keeps_the_page(client, city_page):
    body = client.get("/ar/perugia/").content.decode()
    for name, code in [("العربيّة", "ar"), ("Українська", "uk"), ("ትግርኛ", "ti"), ("پښتو", "ps")]:
        assert f'lang="{code}"' in body
        assert name in body
    assert 'href="/ti/perugia/"' in body
    assert 'href="/it/perugia/"' in body


def test_root_redirects_to_a_language(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_footer_pages_exist_in_every_language_with_their_text(client, site):
    for code in ("it", "ar", "ti", "so"):
        for name in ("help", "faq", "accessibility", "privacy", "report-a-problem"):
            assert client.get(f"/{code}/{name}/").status_code == 200, (code, name)
    for code in ("it", "ar", "ti"):  # translated from the catalogues: no language lost them
        page = client.get(f"/{code}/privacy/").content.decode()
        with translation.override(code):
            assert translation.gettext("Privacy notice") in page
            first = translation.gettext(
                "You can cancel your booking at any time with your booking code."
            )
        assert first in page
        footer = page[page.index("<footer") :]
        assert f'href="/{code}/help/"' in footer and f'href="/{code}/privacy/"' in footer


def test_not_found_and_expired_form_pages_speak_the_language(client, home_page):
    response = client.get("/ti/book/nowhere/")
    assert response.status_code == 404
    with translation.override("ti"):
        assert translation.gettext("Page not found") in response.content.decode()
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post("/ar/report-a-problem/", {"message": "x"})
    assert response.status_code == 403
    assert 'dir="rtl"' in response.content.decode()
