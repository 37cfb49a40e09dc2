"""Every staff account needs the second factor (django-otp, accounts/): after the password,
a code from an authenticator app or a backup code, wherever staff act."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import ModelLogEntry

from accounts.middleware import OPEN_PATHS, STAFF_PATHS
from accounts.models import AuthenticatorDevice, BackupCodeDevice
from appointments.converters import SlotStartConverter
from appointments.models import Appointment
from tests.factories import app_code, authenticator, staff_login
from tests.urlconf import concrete, url_patterns

pytestmark = pytest.mark.django_db


def _t(text: str, lang: str = "it") -> str:
    with translation.override(lang):
        return translation.gettext(text)


@pytest.fixture
def operator(django_user_model, offering):
    user = django_user_model.objects.create_user("op", password="pw-op-1234")
    user.groups.add(Group.objects.get(name="Operators"))
    offering.desk.staff.add(user)
    return user


def _password_only(client, user):
    client.force_login(user)  # what the password alone gives
    return client


def _staff_routes():
    return [
        (route, entry)
        for route, entry in url_patterns()
        if ("/" + route).startswith(STAFF_PATHS) and not ("/" + route).startswith(OPEN_PATHS)
    ]


def test_every_staff_url_asks_for_the_second_factor(client, operator):
    """Every URL under the admins, the console and the staff pages, from the URL
    configuration, sends a password-only session to the code page, for GET and POST."""
    _password_only(client, operator)
    routes = _staff_routes()
    assert len(routes) > 400  # Wagtail's admin, Django's admin, the console, staff pages
    for route, _entry in routes:
        url = concrete(route)
        for response in (client.get(url), client.post(url, {"confirm": "on"})):
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith("/staff/2fa/?next="), url


def test_views_that_need_a_login_all_live_under_the_staff_paths():
    """A staff view added under a new prefix would escape the check above: none does."""
    staff_modules = (
        "wagtail.admin",
        "wagtail.users",
        "wagtail.snippets",
        "wagtail.images.views",
        "wagtail.documents.views.documents",
        "wagtail.documents.views.chooser",
        "wagtail_localize",
        "django.contrib.admin",
        "accounts.views",
        "appointments.admin",
        "cms.translation_status",
    )
    for route, entry in url_patterns():
        module = entry.callback.__module__
        if module.startswith(staff_modules):
            assert ("/" + route).startswith(STAFF_PATHS), (route, module)
    frontdesk = [
        r for r, e in url_patterns() if e.callback.__module__.startswith("frontdesk.views")
    ]
    public = {"t/<str:token>", "display/<str:token>/", "display/<str:token>/calls.json"}
    assert {r for r in frontdesk if not ("/" + r).startswith(STAFF_PATHS)} == public


def test_after_the_code_the_person_goes_where_they_were_going(client, operator, offering):
    device = authenticator(operator)
    _password_only(client, operator)
    asked = client.get(f"/desk/{offering.desk.pk}/")
    assert asked["Location"] == f"/staff/2fa/?next=%2Fdesk%2F{offering.desk.pk}%2F"
    page = client.get(asked["Location"])
    assert _t("Second step of the login") in page.content.decode()
    wrong = client.post(asked["Location"], {"code": "000000"})
    assert (
        _t(
            "That code is not right. Type the 6 digits your app shows now, or one of your backup codes."
        )
        in wrong.content.decode()
    )
    assert client.get(f"/desk/{offering.desk.pk}/").status_code == 302  # still not in
    device.throttle_reset()
    key_before = client.session.session_key
    done = client.post(
        "/staff/2fa/", {"code": app_code(device), "next": f"/desk/{offering.desk.pk}/"}
    )
    assert done["Location"] == f"/desk/{offering.desk.pk}/"
    assert client.session.session_key != key_before  # a new session id for the new privilege
    assert client.get(f"/desk/{offering.desk.pk}/").status_code == 200


def test_a_code_in_another_scripts_digits_is_accepted(client, operator):
    device = authenticator(operator)
    _password_only(client, operator)
    arabic = app_code(device).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert client.post("/staff/2fa/", {"code": arabic, "next": "/desk/"})["Location"] == "/desk/"


def test_a_code_is_good_once_and_wrong_codes_are_slowed_down(client, operator):
    device = authenticator(operator)
    code = app_code(device)
    _password_only(client, operator)
    assert client.post("/staff/2fa/", {"code": code})["Location"] == "/admin/"
    other = type(client)()
    _password_only(other, operator)
    replay = other.post("/staff/2fa/", {"code": code})
    assert replay.status_code == 200  # the same code again, from another browser: refused
    for _ in range(3):
        other.post("/staff/2fa/", {"code": "123456"})
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    waited = other.post("/staff/2fa/", {"code": app_code(device, later=30)})
    assert waited.status_code == 200  # even a right code waits out the back-off
    assert _t("Too many wrong codes. Wait %(seconds)d seconds.").split("%")[0] in (
        waited.content.decode()
    )


def test_a_password_only_session_cannot_book_on_someones_behalf(
    client, operator, offering, first_slot
):
    url = (
        f"/it/book/{offering.desk.city.slug}/{offering.pk}/"
        f"{SlotStartConverter().to_url(first_slot.start)}/"
    )
    _password_only(client, operator)
    page = client.get(url).content.decode()
    assert _t("Send me the code") in page and _t("Book for someone else") not in page
    client.post(url, {"phone": "", "name": "Walk-in", "language": "ti"})
    assert not Appointment.objects.filter(booked_by=operator).exists()
    staff_login(client, operator)
    assert _t("Book for someone else") in client.get(url).content.decode()


def test_setting_up_an_app_then_logging_in_with_a_backup_code(client, operator):
    _password_only(client, operator)
    asked = client.get("/admin/")
    assert asked["Location"] == "/staff/2fa/?next=%2Fadmin%2F"
    to_setup = client.get(asked["Location"])
    assert to_setup["Location"] == "/staff/2fa/setup/?next=%2Fadmin%2F"
    page = client.get(to_setup["Location"]).content.decode()
    assert "<svg" in page
    device = AuthenticatorDevice.objects.get(user=operator, confirmed=False)
    assert device.secret_text.replace(" ", "") in page.replace(" ", "")
    assert client.get(to_setup["Location"]).content.decode().count("<svg") == 1
    assert AuthenticatorDevice.objects.filter(user=operator).count() == 1  # same key on reload
    shown = client.post("/staff/2fa/setup/", {"code": app_code(device), "next": "/admin/"})
    codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", shown.content.decode())
    assert len(codes) == 10
    # Only keyed hashes are kept, and the seed is sealed.
    stored = " ".join(
        BackupCodeDevice.objects.get(user=operator).codes.values_list("code_hash", flat=True)
    )
    assert not any(code.replace("-", "") in stored for code in codes)
    device.refresh_from_db()
    assert device.confirmed and device.secret_text.replace(" ", "") not in device.sealed_key

    client.logout()
    _password_only(client, operator)
    used = client.post("/staff/2fa/", {"code": codes[0].lower(), "next": "/desk/"}, follow=True)
    assert used.redirect_chain[0][0] == "/desk/"
    assert BackupCodeDevice.objects.get(user=operator).remaining == 9
    with translation.override("it"):
        left = translation.ngettext(
            "You used a backup code: %(count)d is left. Make new ones soon.",
            "You used a backup code: %(count)d are left. Make new ones soon.",
            9,
        ) % {"count": 9}
    assert left in used.content.decode()
    client.logout()
    _password_only(client, operator)
    again = client.post("/staff/2fa/", {"code": codes[0], "next": "/desk/"})
    assert again.status_code == 200  # each backup code works once


def test_a_password_alone_never_replaces_an_app(client, operator):
    authenticator(operator)
    _password_only(client, operator)
    setup = client.get("/staff/2fa/setup/?next=/admin/")
    assert setup["Location"].startswith("/staff/2fa/?next=")
    assert not AuthenticatorDevice.objects.filter(user=operator, confirmed=False).exists()


def test_an_administrator_resets_a_lost_phone_and_it_is_logged(client, operator, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", password="pw-boss-1234")
    authenticator(operator)
    BackupCodeDevice.issue(operator)
    on_the_lost_phone = type(client)()
    staff_login(on_the_lost_phone, operator)
    assert on_the_lost_phone.get("/admin/").status_code == 200
    staff_login(client, admin)
    listing = client.get("/admin/users/").content.decode()
    assert f"/staff/second-factor/{operator.pk}/reset/" in listing
    refused = client.post(f"/staff/second-factor/{operator.pk}/reset/", {})
    assert refused.status_code == 200 and AuthenticatorDevice.objects.filter(user=operator).exists()
    done = client.post(f"/staff/second-factor/{operator.pk}/reset/", {"confirm": "on"})
    assert done.status_code == 302
    assert not AuthenticatorDevice.objects.filter(user=operator).exists()
    assert not BackupCodeDevice.objects.filter(user=operator).exists()
    entry = ModelLogEntry.objects.get(action="sportello.second_factor_reset")
    ended = on_the_lost_phone.get("/staff/2fa/setup/")
    assert ended.status_code == 302 and "/admin/login/" in ended["Location"]
    assert (entry.user_id, entry.object_id) == (admin.pk, str(operator.pk))
    # Their open sessions ended (one may be on the lost phone); at the next login they set up
    # a new app.
    other = type(client)()
    _password_only(other, operator)
    assert other.get("/staff/2fa/?next=/desk/")["Location"].startswith("/staff/2fa/setup/")


def test_only_administrators_reset(client, operator, django_user_model):
    victim = django_user_model.objects.create_user("victim", password="x")
    authenticator(victim)
    staff_login(client, operator)
    assert (
        client.post(f"/staff/second-factor/{victim.pk}/reset/", {"confirm": "on"}).status_code
        == 403
    )
    assert AuthenticatorDevice.objects.filter(user=victim).exists()


def test_the_next_address_never_leads_off_the_site(client, operator):
    device = authenticator(operator)
    _password_only(client, operator)
    response = client.post(
        "/staff/2fa/", {"code": app_code(device), "next": "https://evil.example/"}
    )
    assert urlsplit(response["Location"]).netloc == ""
    assert parse_qs(urlsplit(response["Location"]).query) == {}


def test_the_demo_logins_take_the_code_demo_code_prints(client, django_user_model, settings):
    from io import StringIO

    from django.core.management import call_command

    from accounts.demo import demo_authenticator

    settings.DEBUG = True
    user = django_user_model.objects.create_user("operator", password="x")
    demo_authenticator(user)
    out = StringIO()
    call_command("demo_code", stdout=out, stderr=StringIO())
    _password_only(client, user)
    response = client.post("/staff/2fa/", {"code": out.getvalue().strip(), "next": "/desk/"})
    assert response["Location"] == "/desk/"
    settings.DEBUG = False
    with pytest.raises(Exception, match="DEBUG"):
        call_command("demo_code", stdout=out, stderr=StringIO())


def test_check_refuses_a_malformed_device_key_and_warns_without_one(settings):
    from accounts.checks import device_keys_set, device_keys_valid

    settings.SPORTELLO = {**settings.SPORTELLO, "DEVICE_KEYS": ["not-a-key"]}
    assert [e.id for e in device_keys_valid(None)] == ["sportello.E120"]
    settings.SPORTELLO = {**settings.SPORTELLO, "DEVICE_KEYS": []}
    assert [w.id for w in device_keys_set(None)] == ["sportello.W121"]


def test_a_rotated_device_key_still_opens_the_old_seeds(settings, operator):
    from cryptography.fernet import Fernet

    old = Fernet.generate_key().decode()
    settings.SPORTELLO = {**settings.SPORTELLO, "DEVICE_KEYS": [old]}
    device = authenticator(operator)
    code = app_code(device)
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "DEVICE_KEYS": [Fernet.generate_key().decode(), old],
    }
    device.refresh_from_db()
    assert device.verify_token(code)


def test_the_opt_out_list_survives_a_new_secret_key_with_its_own_hash_key(settings):
    from messaging.optouts import is_opted_out, opt_out

    settings.SPORTELLO = {**settings.SPORTELLO, "HASH_KEY": "kept-with-the-backups"}
    opt_out("+393471234567")
    settings.SECRET_KEY = "a-new-secret-key-after-a-leak-" * 2
    assert is_opted_out("+393471234567")
    settings.SPORTELLO = {**settings.SPORTELLO, "HASH_KEY": "another"}
    assert not is_opted_out("+393471234567")  # the hash key is what ties them


def test_new_backup_codes_keep_the_session_verified_with_an_old_one(client, operator):
    authenticator(operator)
    codes = BackupCodeDevice.issue(operator)
    _password_only(client, operator)
    assert client.post("/staff/2fa/", {"code": codes[0], "next": "/desk/"})["Location"] == "/desk/"
    shown = client.post("/staff/backup-codes/")
    assert len(re.findall(r"<code>[A-Z0-9]{5}-[A-Z0-9]{5}</code>", shown.content.decode())) == 10
    assert client.get("/admin/").status_code == 200  # still verified
    assert client.post("/staff/2fa/", {"code": codes[1]}).status_code in (200, 302)
    assert BackupCodeDevice.objects.get(user=operator).remaining == 10  # the old ones are gone
