"""Logging in as staff do in a browser: the password, then the code from their app."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import app_code, authenticator


def browser_login(page, site_url: str, username: str, password: str, *, next_url: str = "/desk/"):
    device = authenticator(get_user_model().objects.get(username=username))
    page.goto(f"{site_url}/admin/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/staff/2fa/"))
    page.fill("input[name=code]", app_code(device))
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()
