"""The home page in a phone-sized Chromium: three languages, axe, and the switcher."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible


@pytest.fixture
def site(site_url, home_page, city_page):
    return site_url


@pytest.mark.parametrize(("code", "direction"), [("it", "ltr"), ("ar", "rtl"), ("ti", "ltr")])
def test_home_page_loads_in_its_language_and_passes_axe(page, site, code, direction):
    with translation.override(code):
        heading = translation.gettext("Choose your city")
    assert heading != "Choose your city"
    page.goto(f"{site}/{code}/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", code)
    expect(html).to_have_attribute("dir", direction)
    expect(page.get_by_role("link", name="Perugia")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_text(heading)
    assert_accessible(page)


def test_language_switcher_moves_between_languages(page, site):
    page.goto(f"{site}/it/")
    page.locator("details.langs summary").click()
    page.get_by_role("link", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.url.endswith("/ar/")
    page.locator("details.langs summary").click()
    page.get_by_role("link", name="ትግርኛ").click()
    expect(page.locator("html")).to_have_attribute("lang", "ti")
    page.locator("details.langs summary").click()
    page.get_by_role("link", name="italiano").click()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert_accessible(page)


def test_pages_work_with_javascript_off(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{site}/ar/")
    page.locator("details.langs summary").click()
    page.get_by_role("link", name="Soomaali").click()
    expect(page.locator("html")).to_have_attribute("lang", "so")
    page.get_by_role("link", name="Perugia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Perugia")
    context.close()
