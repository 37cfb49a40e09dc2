"""Staff sessions end after STAFF_IDLE_MINUTES of nothing and STAFF_SESSION_HOURS after the
login, whatever the person does (core.middleware.StaffIdleMiddleware)."""

from __future__ import annotations

import pytest

from tests.factories import staff_login

pytestmark = pytest.mark.django_db


def test_a_session_ends_hours_after_the_login_even_when_busy(
    client, offering, django_user_model, monkeypatch, settings
):
    operator = django_user_model.objects.create_user("op", password="x")
    offering.desk.staff.add(operator)
    clock = [1_800_000_000]
    monkeypatch.setattr("core.middleware._now", lambda: clock[0])
    staff_login(client, operator)
    console = f"/desk/{offering.desk.pk}/"
    assert client.get(console).status_code == 200
    hours = settings.SPORTELLO["STAFF_SESSION_HOURS"]
    for _ in range(hours * 60 // 20 - 1):  # something done every 20 minutes, all day
        clock[0] += 20 * 60
        assert client.get(console).status_code == 200
    left = int(client.get(console)["Sportello-Idle-Left"])
    assert left <= 20 * 60  # the console's warning counts down to the session's own end
    clock[0] += 20 * 60 + 1  # past the limit since the login, 20 minutes after the last click
    ended = client.get(console)
    assert ended.status_code == 302 and ended["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session
