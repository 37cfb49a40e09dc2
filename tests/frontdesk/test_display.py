"""The waiting-room screen: a secret URL, numbers and counters only, cheap when unchanged."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from frontdesk import services
from frontdesk.models import Counter, Queue, Ticket
from tests.factories import OfferingFactory, staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_with_calls(django_user_model):
    offering = OfferingFactory()
    desk = offering.desk
    operator = django_user_model.objects.create_user("op", password="x")
    operator.groups.add(Group.objects.get(name="Desk managers"))  # may renew the address
    desk.staff.add(operator)
    counter = Counter.objects.create(desk=desk, name="Stanza 3")
    counter.queues.set(Queue.objects.filter(desk=desk))
    queue = Queue.objects.get(desk=desk)
    services.walk_in_issue(queue=queue, phone="+393471234567")
    ticket = services.call_next(counter=counter)
    ticket.note = "private note"
    ticket.save()
    return desk, operator, ticket


def test_the_screen_shows_numbers_and_counters_and_nothing_personal(client, desk_with_calls):
    desk, operator, ticket = desk_with_calls
    staff_login(client, operator)
    renewed = client.post(f"/desk/{desk.pk}/display/renew/", follow=True).content.decode()
    url = re.search(r"https?://[^ <]+/display/([\w-]+)/", renewed)
    token = url.group(1)
    client.logout()
    page = client.get(f"/display/{token}/").content.decode()
    assert ticket.label in page and "Stanza 3" in page
    for secret in ("3471234567", "private note", ticket.queue.service.name):
        assert secret not in page
    data = client.get(f"/display/{token}/calls.json")
    assert data.json() == {
        "calls": [
            {"label": ticket.label, "counter": "Stanza 3", "at": ticket.called_at.isoformat()}
        ]
    }
    unchanged = client.get(f"/display/{token}/calls.json", HTTP_IF_NONE_MATCH=data["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""
    services.recall(ticket=ticket)  # called again: the screen's answer changes
    assert (
        client.get(f"/display/{token}/calls.json", HTTP_IF_NONE_MATCH=data["ETag"]).status_code
        == 200
    )

    staff_login(client, operator)
    client.post(f"/desk/{desk.pk}/display/renew/")
    client.logout()
    assert client.get(f"/display/{token}/").status_code == 404  # the old address is dead
    assert client.get(f"/display/{token}/calls.json").status_code == 404
    assert client.get("/display/not-a-token/").status_code == 404


def test_only_a_desk_manager_renews_the_screens_address(client, django_user_model):
    desk = OfferingFactory().desk
    operator = django_user_model.objects.create_user("plain-op", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    desk.staff.add(operator)
    token = services.display_renew(desk=desk)
    staff_login(client, operator)
    assert client.post(f"/desk/{desk.pk}/display/renew/").status_code == 403
    assert "display/renew" not in client.get(f"/desk/{desk.pk}/").content.decode()
    assert client.get(f"/display/{token}/").status_code == 200  # still the same screen


def test_a_walk_in_with_a_phone_gets_one_text_when_the_turn_is_near_and_a_live_page(
    client, django_user_model
):
    from messaging.backends import MemoryBackend
    from messaging.models import Message
    from messaging.outbox import messages_send_due

    offering = OfferingFactory(desk__city__name="Bari")
    desk = offering.desk
    operator = django_user_model.objects.create_user("op2", password="x")
    desk.staff.add(operator)
    counter = Counter.objects.create(desk=desk, name="Stanza 1")
    queue = Queue.objects.get(desk=desk)
    counter.queues.set([queue])
    staff_login(client, operator)
    for _ in range(5):
        services.walk_in_issue(queue=queue)
    client.post(
        f"/desk/{desk.pk}/walk-in/", {"queue": queue.pk, "phone": "٣٤٧ ١٢٣ ٤٥٦٧", "language": "ar"}
    )
    mine = Ticket.objects.get(phone="+393471234567")
    assert (mine.label, mine.language) == ("A006", "ar")
    # 5 ahead, then 4 after the first call: still far.
    services.finish(ticket=services.start(ticket=services.call_next(counter=counter)))
    assert not Message.objects.filter(kind="turn_near").exists()
    services.finish(ticket=services.start(ticket=services.call_next(counter=counter)))
    services.finish(ticket=services.start(ticket=services.call_next(counter=counter)))
    # 3 ahead after the second call: the text went then, and only once.
    [near] = Message.objects.filter(kind="turn_near")
    assert near.params["ahead"] == 3 and near.to == "+393471234567"
    messages_send_due()
    [text] = [sent["body"] for sent in MemoryBackend.outbox]
    assert text.startswith("Sportello Bari: ") and "A006" in text
    assert offering.service.name not in text
    link = re.search(r"/t/([\w-]+)", text).group(0)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and 'lang="ar"' in page.content.decode()
    assert "A006" in page.content.decode()
    assert client.get("/t/not-a-ticket").status_code == 404
