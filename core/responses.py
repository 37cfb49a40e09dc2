"""Responses every app may answer with: a page on a desk's clock, too many tries, and the
server error page (handler500)."""

from __future__ import annotations

import contextlib
import logging

from django.http import HttpResponseServerError
from django.shortcuts import render as django_render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def render(request, template_name, context=None, status=None):
    """Django's render; a page about one desk (a ``tz`` in its context) shows that desk's clock."""
    tz = (context or {}).get("tz")
    with timezone.override(tz) if tz else contextlib.nullcontext():
        return django_render(request, template_name, context, status=status)


def too_many(request, message: str | None = None, *, context: dict | None = None):
    """429 in the person's language; ``context`` may name the desk to call instead."""
    text = message or _("Too many tries. Please wait an hour and try again, or call the desk.")
    return render(request, "core/too_many.html", {"message": text, **(context or {})}, status=429)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The error page in the person's language and direction; a plain page in four
    languages when even that cannot be drawn (the database or the session is down)."""
    try:
        return HttpResponseServerError(loader.render_to_string(template_name, request=request))
    except Exception:
        logger.warning("the error page could not be drawn; plain page sent", exc_info=True)
        return HttpResponseServerError(loader.render_to_string("500_plain.html"))
