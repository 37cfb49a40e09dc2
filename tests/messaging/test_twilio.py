"""The Twilio backend through the real twilio client, its HTTP layer replaced by a fake
Twilio (never the network), and Twilio's webhooks with their signatures."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from messaging import optouts
from messaging.fake_twilio import FakeTwilio, FakeTwilioHttpClient
from messaging.models import Message, Suppression
from messaging.outbox import message_queue, message_send, messages_send_due
from messaging.twilio_backend import TwilioBackend

pytestmark = pytest.mark.django_db
PHONE = "+393471234567"
TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://sportello.example.org"


@pytest.fixture
def fake(settings):
    fake = FakeTwilio()
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "SMS_BACKEND": "messaging.twilio_backend.TwilioBackend",
        "TWILIO": {
            "ACCOUNT_SID": "AC" + "0" * 32,
            "AUTH_TOKEN": TOKEN,
            "MESSAGING_SERVICE_SID": "MG" + "1" * 32,
            "FROM": "",
            "PUBLIC_URL": PUBLIC,
            "TIMEOUT": 10,
            "API_BASE": "",
        },
    }
    TwilioBackend.http_client_factory = lambda: FakeTwilioHttpClient(fake)
    yield fake
    TwilioBackend.http_client_factory = None


def _code(key="e:1", now=None) -> Message:
    return message_queue(
        kind="code",
        to=PHONE,
        language="ar",
        dedupe_key=key,
        params={"city": "Torino", "minutes": 10},
        secrets={"code": "123456"},
        now=now or timezone.now(),
    )


def test_a_text_goes_through_twilio_with_a_callback_that_names_our_message(fake):
    message = _code()
    assert message_send(message_id=message.pk) == "sent"
    message.refresh_from_db()
    [sent] = fake.messages
    assert message.provider_id == sent["sid"] and message.backend == "twilio"
    assert sent["to"] == PHONE and sent["messaging_service_sid"].startswith("MG")
    assert sent["body"].startswith("Sportello Torino: ") and "123456" in sent["body"]
    assert sent["status_callback"] == f"{PUBLIC}/hooks/twilio/status/?m={message.pk}"


@pytest.mark.parametrize(
    "failures",
    [["500"], ["429"], ["timeout"], ["500", "429", "timeout"], ["timeout-after-create"]],
)
def test_each_failure_ends_in_exactly_one_message(fake, failures):
    now = timezone.now()
    message = _code(now=now)
    fake.script = list(failures)
    moment = now
    for _ in range(len(failures) + 2):
        messages_send_due(now=moment)
        moment += timedelta(minutes=15)
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(fake.messages) == 1 and message.provider_id == fake.messages[0]["sid"]


def test_a_timeout_after_the_provider_took_it_is_found_not_resent(fake):
    now = timezone.now()
    message = _code(now=now)
    fake.script = ["timeout-after-create"]
    message_send(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert message.status == "sending" and message.uncertain and not message.provider_id
    messages_send_due(now=now + timedelta(minutes=2))
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_id == fake.messages[0]["sid"]
    assert fake.creates == 1


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("21211", Suppression.Reason.INVALID),
        ("21614", Suppression.Reason.NOT_MOBILE),
        ("21610", Suppression.Reason.OPTED_OUT),
    ],
)
def test_permanent_refusals_mark_the_number(fake, code, reason):
    fake.script = [code]
    message = _code()
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.error_code) == ("permanent_failure", code)
    assert optouts.marks_for([PHONE]) == {optouts.phone_key(PHONE): reason}


def test_a_provider_failing_a_fifth_of_requests_still_sends_each_once(fake):
    fake.fail_rate, now = 0.2, timezone.now()
    for n in range(60):
        message_queue(
            kind="code",
            to=f"+39347{n:07d}",
            language="it",
            dedupe_key=f"f:{n}",
            params={"city": "Bari"},
            secrets={"code": f"{n:06d}"},
            now=now,
        )
    moment = now
    while Message.objects.exclude(status="sent").exists():
        messages_send_due(now=moment)
        moment += timedelta(minutes=15)
        assert moment < now + timedelta(hours=3)
    assert len(fake.messages) == 60 and len({m["to"] for m in fake.messages}) == 60


# --- Webhooks ------------------------------------------------------------------------------


def _signed(client, path, params, *, url=None, signature=None, **extra):
    url = url or PUBLIC + path
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(url, params)
    return client.post(
        path,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
        **extra,
    )


def test_a_signed_status_callback_moves_the_message_forward(client, fake):
    message = _code()
    message_send(message_id=message.pk)
    message.refresh_from_db()
    path = f"/hooks/twilio/status/?m={message.pk}"
    params = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert _signed(client, path, params).status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"
    again = _signed(client, path, {**params, "MessageStatus": "sent"})  # late and twice
    assert again.status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"


@pytest.mark.parametrize("signature", ["", "forged+signature="])
def test_a_missing_or_forged_signature_gets_403_and_changes_nothing(client, fake, signature):
    message = _code()
    message_send(message_id=message.pk)
    message.refresh_from_db()
    params = {"MessageSid": message.provider_id, "MessageStatus": "failed", "ErrorCode": "30005"}
    response = _signed(client, f"/hooks/twilio/status/?m={message.pk}", params, signature=signature)
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == "sent" and optouts.marks_for([PHONE]) == {}
    stop = _signed(
        client, "/hooks/twilio/inbound/", {"From": PHONE, "Body": "STOP"}, signature=signature
    )
    assert stop.status_code == 403 and not optouts.is_opted_out(PHONE)


def test_a_signature_is_checked_against_the_public_url_behind_a_proxy(client, fake):
    """The app sees http://10.0.0.5:8000/..., Twilio signed https://sportello.example.org/..."""
    params = {"From": PHONE, "Body": "STOP"}
    response = _signed(
        client,
        "/hooks/twilio/inbound/",
        params,
        SERVER_NAME="10.0.0.5",
        SERVER_PORT="8000",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 200 and optouts.is_opted_out(PHONE)
    wrong_host = _signed(
        client,
        "/hooks/twilio/inbound/",
        {"From": PHONE, "Body": "START"},
        url="http://10.0.0.5:8000/hooks/twilio/inbound/",
    )
    assert wrong_host.status_code == 403 and optouts.is_opted_out(PHONE)


def test_stop_and_start_are_honoured(client, fake):
    assert (
        _signed(client, "/hooks/twilio/inbound/", {"From": PHONE, "Body": " stop "}).status_code
        == 200
    )
    assert optouts.is_opted_out(PHONE)
    message = _code()
    message_send(message_id=message.pk)
    assert Message.objects.get(pk=message.pk).status == "cancelled" and fake.messages == []
    _signed(client, "/hooks/twilio/inbound/", {"From": PHONE, "Body": "Start"})
    assert not optouts.is_opted_out(PHONE)
    # Twilio's Advanced Opt-Out names the keyword in its own field, whatever the word.
    _signed(
        client, "/hooks/twilio/inbound/", {"From": PHONE, "Body": "basta", "OptOutType": "STOP"}
    )
    assert optouts.is_opted_out(PHONE)


def test_any_other_text_gets_one_short_answer_a_day(client, fake, offering):
    from tests.factories import ConfirmedAppointmentFactory

    offering.desk.phone = "075 577 0000"
    offering.desk.save()
    ConfirmedAppointmentFactory(offering=offering, phone=PHONE, language="ti")
    for body in ("hello?", "is anyone there", "hello?"):
        assert (
            _signed(client, "/hooks/twilio/inbound/", {"From": PHONE, "Body": body}).status_code
            == 200
        )
    [reply] = Message.objects.filter(kind="reply")
    assert reply.language == "ti" and reply.params["desk_phone"] == "075 577 0000"
    assert reply.to == PHONE


def test_a_replayed_inbound_request_changes_nothing_the_second_time(client, fake):
    stop = {"From": PHONE, "Body": "STOP", "MessageSid": "SMin1"}
    start = {"From": PHONE, "Body": "START", "MessageSid": "SMin2"}
    for params in (stop, start):
        assert _signed(client, "/hooks/twilio/inbound/", params).status_code == 200
    assert not optouts.is_opted_out(PHONE)
    _signed(client, "/hooks/twilio/inbound/", {**stop, "MessageSid": "SMin3"})
    assert optouts.is_opted_out(PHONE)
    _signed(client, "/hooks/twilio/inbound/", start)  # captured and replayed
    assert optouts.is_opted_out(PHONE)
