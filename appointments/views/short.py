"""Short links for text messages, outside the language prefixes: each leads on to the page
in the language the person booked in."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache

from appointments import selectors
from appointments.models import Offering

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _in(language: str, name: str, **kwargs) -> str:
    with translation.override(language if language in LANGUAGES else settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


@never_cache
def manage(request, token: str):
    """``/m/<token>`` → the booking's page in its language (an unknown token gets the same
    "not found" page under the default language: nothing tells the two apart)."""
    appointment = selectors.appointment_by_token(token=token)
    language = appointment.language if appointment else settings.LANGUAGE_CODE
    response = HttpResponseRedirect(_in(language, "appointments:manage", token=token))
    response["Referrer-Policy"] = "no-referrer"
    return response


def rebook(request, offering_id: int, language: str):
    """``/b/<offering>/<language>`` → that offering's free times (from a cancellation text)."""
    offering = Offering.objects.filter(pk=offering_id).select_related("desk__city").first()
    if offering is None:
        raise Http404
    return HttpResponseRedirect(
        _in(
            language,
            "appointments:times",
            city_slug=offering.desk.city.slug,
            offering_id=offering.pk,
        )
    )
