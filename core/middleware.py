"""Project middleware: staff idle logout, and Django's LocaleMiddleware minus one guess.

The guess, for paths that live outside the languages: on a 404 Django tries the path again under the language prefix and redirects there when
that would resolve, and Wagtail's catch-all resolves every path: the staff console, the
webhooks and the short links would answer "not yours" or "not found" with a redirect to a
public page instead. Their 404 stays a 404.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(settings.UNPREFIXED_PATHS):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


def _now() -> float:
    return time.time()  # a function of its own, for the tests' clock


class StaffIdleMiddleware:
    """Staff are logged out after ``STAFF_IDLE_MINUTES`` without doing anything, and
    ``STAFF_SESSION_HOURS`` after they logged in whatever they do.

    What counts is what a person does. Requests a page makes by itself do not count and do
    not save the session: the console's background refreshes (``Sportello-Refresh: 1``),
    Wagtail's editing-session ping from an edit page left open, and the public screens that
    reload themselves (``/display/``, ``/t/``). So a console or an edit page left alone on
    an unattended tablet still logs out; an edit page with unsaved changes (Wagtail pings
    with ``is_editing``) counts as someone writing. Every staff response says how many seconds are left
    (``Sportello-Idle-Left``), so the console warns before it happens.
    """

    KEY = "_active_at"
    STARTED = "_logged_in_at"
    HEADER = "Sportello-Idle-Left"
    BACKGROUND_PATHS = ("/admin/editing-sessions/", "/display/", "/t/")
    EDITING_PATH = "/admin/editing-sessions/"

    @staticmethod
    def _editing(request) -> bool:
        return request.method == "POST" and request.POST.get("is_editing") not in (
            None,
            "",
            "0",
            "false",
        )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Anonymous visitors (no session cookie) never touch the session here, so public
        # pages do not get a "Vary: Cookie" from this middleware.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:  # everyone who logs in is staff here
            return self.get_response(request)
        limit = int(settings.SPORTELLO["STAFF_IDLE_MINUTES"]) * 60
        now = int(_now())
        last = request.session.get(self.KEY)
        started = request.session.setdefault(self.STARTED, now)  # login rotates the session
        session_limit = int(settings.SPORTELLO["STAFF_SESSION_HOURS"]) * 3600
        too_long = now - started > session_limit
        if too_long or (last is not None and now - last > limit):
            logout(request)  # flushes the session; the view sees an anonymous visitor
            return self.get_response(request)
        background = request.headers.get("Sportello-Refresh") or (
            request.path_info.startswith(self.BACKGROUND_PATHS)
            # An edit page with unsaved changes pings with is_editing: someone is writing.
            and not (request.path_info.startswith(self.EDITING_PATH) and self._editing(request))
        )
        if not background and (last is None or now - last >= 30):
            request.session[self.KEY] = last = now  # at most one session write per 30 s
        response = self.get_response(request)
        # Whichever ends first: the idle limit, or the session's own (so the console warns
        # before either).
        left = min(limit - (now - (last or now)), session_limit - (now - started))
        response.headers[self.HEADER] = str(max(0, left))
        return response
