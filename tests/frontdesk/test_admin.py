"""Desk managers set up their desk's queues and counters in the admin, and no other desk's;
the demo gives every city's desks an operator of their own."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from appointments.models import Desk
from cms.management.commands import load_demo
from frontdesk.models import Counter, Queue
from tests.factories import OfferingFactory, staff_login

pytestmark = pytest.mark.django_db

ADMIN = "/admin/snippets/frontdesk"


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("lead", password="x")
    user.groups.add(Group.objects.get(name="Operators"), Group.objects.get(name="Desk managers"))
    return user


@pytest.fixture
def desks(manager):
    mine = OfferingFactory(desk__name="Sportello Perugia").desk
    OfferingFactory(desk=mine)  # queues A and B
    theirs = OfferingFactory(desk__name="Sportello Napoli").desk
    mine.staff.add(manager)
    for desk in (mine, theirs):
        Counter.objects.create(desk=desk, name=f"Room of {desk.name}").queues.set(desk.queues.all())
    return mine, theirs


def test_a_desk_manager_sets_up_their_own_queues_and_counters(client, manager, desks):
    mine, theirs = desks
    staff_login(client, manager)
    listing = client.get(f"{ADMIN}/counter/").content.decode()
    assert "Room of Sportello Perugia" in listing and "Sportello Napoli" not in listing
    queue = Queue.objects.filter(desk=mine).order_by("letter").first()
    form = {"letter": "z", "walk_in_quota": "12", "is_active": "on"}
    response = client.post(f"{ADMIN}/queue/edit/{queue.pk}/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    queue.refresh_from_db()
    assert (queue.letter, queue.walk_in_quota, queue.desk) == ("Z", 12, mine)

    taken = {"letter": "B", "walk_in_quota": "12", "is_active": "on"}
    assert client.post(f"{ADMIN}/queue/edit/{queue.pk}/", taken).status_code == 200
    assert Queue.objects.get(pk=queue.pk).letter == "Z"  # B is the other queue's letter

    own_queues = list(Queue.objects.filter(desk=mine).values_list("pk", flat=True))
    created = client.post(
        f"{ADMIN}/counter/add/",
        {"desk": mine.pk, "name": "Room 7", "queues": own_queues[:1], "is_active": "on"},
    )
    assert created.status_code == 302
    assert list(Counter.objects.get(name="Room 7").queues.values_list("pk", flat=True)) == [
        own_queues[0]
    ]


def test_a_desk_manager_finds_no_way_into_another_desks_setup(client, manager, desks):
    mine, theirs = desks
    staff_login(client, manager)
    their_queue = Queue.objects.filter(desk=theirs).first()
    their_counter = Counter.objects.get(desk=theirs)
    for model, pk in (("queue", their_queue.pk), ("counter", their_counter.pk)):
        for view in ("edit", "delete", "inspect", "history", "usage", "copy"):
            url = f"{ADMIN}/{model}/{view}/{pk}/"
            page = client.get(url)
            assert page.status_code in (302, 403, 404), url
            assert "Napoli" not in page.content.decode(), url
            assert client.post(url, {"name": "taken over"}).status_code in (302, 403, 404), url
    own = Counter.objects.get(desk=mine)
    for view in ("history", "usage", "copy"):  # the same pages of their own counter open
        assert client.get(f"{ADMIN}/counter/{view}/{own.pk}/").status_code == 200, view
    assert Counter.objects.get(pk=their_counter.pk).name == "Room of Sportello Napoli"
    refused = client.post(
        f"{ADMIN}/counter/add/",
        {"desk": theirs.pk, "name": "Mine now", "queues": [their_queue.pk], "is_active": "on"},
    )
    assert refused.status_code == 200 and not Counter.objects.filter(name="Mine now").exists()
    own_desk_other_queue = client.post(
        f"{ADMIN}/counter/add/",
        {"desk": mine.pk, "name": "Mixed", "queues": [their_queue.pk], "is_active": "on"},
    )
    assert own_desk_other_queue.status_code == 200
    assert not Counter.objects.filter(name="Mixed").exists()


def test_plain_operators_see_but_do_not_change_the_setup(client, django_user_model, desks):
    mine, _theirs = desks
    operator = django_user_model.objects.create_user("op", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    mine.staff.add(operator)
    staff_login(client, operator)
    counter = Counter.objects.get(desk=mine)
    assert client.get(f"{ADMIN}/counter/").status_code == 200
    assert client.get(f"{ADMIN}/counter/edit/{counter.pk}/").status_code in (302, 403)


def test_the_demo_gives_every_citys_desks_their_own_operator(client, settings, monkeypatch):
    settings.DEBUG = True
    # The site's pages in 16 languages take a minute to make; this test needs the desks.
    monkeypatch.setattr(load_demo, "PROJECT_APPS", ("appointments", "frontdesk"))
    call_command("load_demo", quiet_logins=True)
    napoli = Desk.objects.filter(city__slug="napoli").first()
    perugia = Desk.objects.filter(city__slug="perugia").first()
    User = get_user_model()
    assert User.objects.get(username="operator-napoli").check_password("sportello-operator")
    staff_login(client, User.objects.get(username="operator-napoli"))
    assert client.get(f"/desk/{napoli.pk}/").status_code == 200
    assert client.get(f"/desk/{perugia.pk}/").status_code == 404
    assert User.objects.get(username="operator").check_password("sportello-operator")
    staff_login(client, User.objects.get(username="operator"))
    assert client.get(f"/desk/{perugia.pk}/").status_code == 200
    assert client.get(f"/desk/{napoli.pk}/").status_code == 404
