"""Staff pages need the second factor; a half-logged-in session is nobody elsewhere.

After the password, a session is logged in but not verified (django-otp's ``is_verified``).
Until the person types a code from their authenticator app or a backup code:

- every staff path (the Wagtail and Django admins, the desk console, the staff pages) sends
  them to the code page, and back where they were going afterwards;
- on public pages they are an anonymous visitor, so booking on someone's behalf, which the
  booking flow offers to staff, needs the second factor too.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

STAFF_PATHS = ("/admin/", "/django-admin/", "/desk/", "/staff/")
# What a password-only session may reach: the code and set-up pages, logging in and out.
OPEN_PATHS = (
    "/staff/2fa/",
    "/admin/login/",
    "/admin/logout/",
    "/django-admin/login/",
    "/django-admin/logout/",
)


def safe_next(request, candidate: str | None, default: str = "/admin/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _back_to(request) -> str:
    """Where to return once verified: this page, or for a form post the page it came from
    (a URL that only takes POST cannot be returned to)."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    path = referer.split(request.get_host(), 1)[-1] if request.get_host() in referer else ""
    return safe_next(
        request, path, "/desk/" if request.path_info.startswith("/desk/") else "/admin/"
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # visitors without a session: nothing to check
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        path = request.path_info
        if path.startswith(OPEN_PATHS):
            return self.get_response(request)
        if path.startswith(STAFF_PATHS):
            return redirect(
                f"{reverse('accounts:verify')}?{urlencode({'next': _back_to(request)})}"
            )
        request.user = AnonymousUser()
        return self.get_response(request)


class StaffLanguageMiddleware:
    """The console and the staff pages speak the language each person chose for Wagtail's
    admin (Account → Language), not the browser's: a shared desk tablet keeps its own
    browser, the people at it do not."""

    PATHS = ("/desk/", "/staff/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(self.PATHS) and request.user.is_authenticated:
            from django.utils import translation

            chosen = staff_language(request.user)
            if chosen and translation.check_for_language(chosen):
                translation.activate(chosen)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def staff_language(user) -> str:
    """The person's admin language, read at most once every five minutes (the console asks
    every ten seconds): a change in Account → Language reaches the console within that."""
    from django.core.cache import cache
    from wagtail.users.models import UserProfile

    key = f"staff-language:{user.pk}"
    chosen = cache.get(key)
    if chosen is None:
        chosen = (
            UserProfile.objects.filter(user=user)
            .values_list("preferred_language", flat=True)
            .first()
        ) or ""
        cache.set(key, chosen, 300)
    return chosen
