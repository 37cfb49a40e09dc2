"""After a booking, a search of the whole database (sessions decoded) finds neither the SMS
code nor the manage token: only hashes, and sealed parameters blanked once final."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from appointments.converters import SlotStartConverter
from messaging.backends import MemoryBackend
from messaging.models import Message
from messaging.outbox import message_status_record

pytestmark = pytest.mark.django_db


def _everything_stored() -> str:
    """Every row of every table as text, session data decoded."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            for row in cursor.fetchall():
                chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)


def _sessions_decoded() -> str:
    from django.contrib.sessions.models import Session

    return "\n".join(str(session.get_decoded()) for session in Session.objects.all())


def test_a_booking_leaves_neither_its_code_nor_its_link_in_the_database(
    client, offering, first_slot, django_capture_on_commit_callbacks
):
    start = SlotStartConverter().to_url(first_slot.start)
    details = f"/it/book/{offering.desk.city.slug}/{offering.pk}/{start}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(details, {"phone": "347 123 4567"}).status_code == 302
    [code_sms] = MemoryBackend.outbox
    code = re.search(r"\b\d{6}\b", code_sms["body"]).group()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/it/book/verify/", {"code": code})
    token = re.search(r"/manage/([\w-]+)/", response["Location"]).group(1)
    assert any(f"/m/{token}" in sent["body"] for sent in MemoryBackend.outbox)
    for message in Message.objects.all():  # the provider says each was delivered
        message_status_record(
            message_id=message.pk, provider_id=message.provider_id, provider_status="delivered"
        )
    stored = _everything_stored() + _sessions_decoded()
    # Times have microseconds: six digits that a 6-digit code may equal by chance.
    stored = re.sub(r"\d{2}:\d{2}:\d{2}\.\d{1,6}", "<time>", stored)
    assert not re.search(rf"(?<!\d){code}(?!\d)", stored) and token not in stored
    assert not Message.objects.exclude(secrets="").exists()
