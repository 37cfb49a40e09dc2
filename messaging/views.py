"""Twilio's webhooks: inbound texts and delivery statuses, outside the language prefixes.

Each request must carry a valid ``X-Twilio-Signature`` for the public URL Twilio called
(``SPORTELLO["TWILIO"]["PUBLIC_URL"]`` + the path, so it holds behind a proxy); a missing
or forged one gets 403 and changes nothing.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from messaging.inbound import inbound_receive
from messaging.outbox import message_status_record
from messaging.twilio_backend import twilio_settings

logger = logging.getLogger(__name__)


def signature_valid(request: HttpRequest) -> bool:
    conf = twilio_settings()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not conf["AUTH_TOKEN"]:
        return False
    url = conf["PUBLIC_URL"].rstrip("/") + request.get_full_path()
    return RequestValidator(conf["AUTH_TOKEN"]).validate(url, request.POST, signature)


def _twilio_webhook(view):
    @csrf_exempt
    @require_POST
    def checked(request: HttpRequest) -> HttpResponse:
        if not signature_valid(request):
            logger.warning("Twilio webhook refused: missing or wrong signature")
            return HttpResponseForbidden("signature")
        return view(request)

    return checked


@_twilio_webhook
def status_callback(request: HttpRequest) -> HttpResponse:
    message_id = request.GET.get("m", "")
    message_status_record(
        message_id=int(message_id) if message_id.isdigit() else None,
        provider_id=request.POST.get("MessageSid", "")[:64],
        provider_status=request.POST.get("MessageStatus", "").lower(),
        error_code=request.POST.get("ErrorCode", "")[:20],
    )
    return HttpResponse(status=204)


@_twilio_webhook
def inbound(request: HttpRequest) -> HttpResponse:
    inbound_receive(
        sender=request.POST.get("From", ""),
        body=request.POST.get("Body", "")[:1600],
        opt_out_type=request.POST.get("OptOutType", ""),
        message_sid=request.POST.get("MessageSid", "")[:64],
        now=timezone.now(),
    )
    # Answers go through the outbox (so they are followed like every text), not TwiML.
    return HttpResponse("<Response/>", content_type="text/xml")
