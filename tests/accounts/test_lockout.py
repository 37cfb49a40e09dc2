"""Failed logins lock a name at an address, and an address, on every login form
(django-axes, accounts.lockout), counting the address behind the configured proxies."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"
LOGIN_FORMS = ["/admin/login/", "/django-admin/login/", "/it/_util/login/"]


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user(
        "operatrice", password="giusta-password-1", is_staff=True
    )
    return user


def _try(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def _locked_text() -> str:
    with translation.override("it"):
        return translation.gettext("Too many wrong passwords")


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_thirty_wrong_passwords_then_the_right_one_is_refused(db, staff, url):
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="it")
    for _ in range(30):
        assert _try(client, url, "operatrice", "sbagliata").status_code in (200, 429)
    refused = _try(client, url, "operatrice", "giusta-password-1")
    assert refused.status_code == 429
    assert _locked_text() in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_fifth_wrong_password_locks_and_the_fourth_does_not(db, staff):
    client = Client(REMOTE_ADDR=OFFICE)
    for _ in range(4):
        assert _try(client, "/admin/login/", "operatrice", "sbagliata").status_code == 200
    assert _logged_in(_try(client, "/admin/login/", "operatrice", "giusta-password-1"))
    client.logout()
    for _ in range(5):  # a success cleared the four: five more are needed
        _try(client, "/admin/login/", "operatrice", "sbagliata")
    assert _try(client, "/admin/login/", "operatrice", "giusta-password-1").status_code == 429


def test_nobody_locks_a_colleague_out_from_outside(db, staff):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(30):
        _try(attacker, "/admin/login/", "operatrice", "sbagliata")
    at_the_desk = Client(REMOTE_ADDR=OFFICE)
    assert _logged_in(_try(at_the_desk, "/admin/login/", "operatrice", "giusta-password-1"))


def test_one_address_trying_many_names_is_locked_for_every_name(db, staff, settings):
    client = Client(REMOTE_ADDR=ATTACKER)
    per_address = settings.SPORTELLO["LOGIN_FAILURES_PER_ADDRESS"]
    for n in range(per_address):  # never more than one try per name
        _try(client, "/admin/login/", f"name-{n}", "sbagliata")
    assert _try(client, "/admin/login/", "operatrice", "giusta-password-1").status_code == 429
    # The same person from the desk's own address is not affected.
    assert _logged_in(
        _try(Client(REMOTE_ADDR=OFFICE), "/admin/login/", "operatrice", "giusta-password-1")
    )


def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(db, staff, settings):
    settings.SPORTELLO = {**settings.SPORTELLO, "TRUSTED_PROXIES": 1}
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy)
    for n in range(10):
        # A forged left part changes nothing: the proxy's own entry is the last one.
        forged = f"192.0.2.{n}, {ATTACKER}"
        _try(attacker, "/admin/login/", "operatrice", "sbagliata", HTTP_X_FORWARDED_FOR=forged)
    locked = _try(
        attacker,
        "/admin/login/",
        "operatrice",
        "giusta-password-1",
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}",
    )
    assert locked.status_code == 429
    colleague = Client(REMOTE_ADDR=proxy)  # the same proxy, another client behind it
    assert _logged_in(
        _try(
            colleague,
            "/admin/login/",
            "operatrice",
            "giusta-password-1",
            HTTP_X_FORWARDED_FOR=OFFICE,
        )
    )


def test_a_lockout_names_no_account_and_keeps_no_password(db, staff):
    from axes.models import AccessAttempt

    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(6):
        response = _try(client, "/admin/login/", "operatrice", "segreta-sbagliata")
    assert "operatrice" not in response.content.decode()
    stored = " ".join(str(value) for value in AccessAttempt.objects.values_list())
    assert "segreta-sbagliata" not in stored


def test_addresses_of_one_ipv6_home_count_as_one(db, staff):
    """A /64 is one home or one phone: changing the last part of the address changes
    nothing."""
    for n in range(5):
        client = Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
        _try(client, "/admin/login/", "operatrice", "sbagliata")
    other_address = Client(REMOTE_ADDR="2001:db8:1:2::99")
    assert (
        _try(other_address, "/admin/login/", "operatrice", "giusta-password-1").status_code == 429
    )
    elsewhere = Client(REMOTE_ADDR="2001:db8:9:9::1")
    assert _logged_in(_try(elsewhere, "/admin/login/", "operatrice", "giusta-password-1"))
