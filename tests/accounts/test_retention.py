"""Every kind of personal data has a retention rule, applied by a scheduled task: bookings,
waiting lists, texts and phone checks (appointments, messaging; tests/appointments),
tickets, login records, the audit log and problem reports (here)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.utils import timezone
from django_q.models import Schedule

from accounts.models import AuditEntry
from cms.models import ProblemReport
from frontdesk import services
from frontdesk.models import Queue, Ticket
from tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

RETENTION_TASKS = {
    "appointments.tasks.forget_personal_data",  # bookings, waiting lists, texts, phone checks
    "appointments.tasks.clear_sessions",
    "frontdesk.tasks.forget_personal_data",  # tickets' numbers and notes
    "accounts.tasks.forget_records",  # login records, the audit log
    "cms.tasks.forget_problem_reports",
}


def test_every_retention_rule_is_a_scheduled_task():
    scheduled = set(Schedule.objects.values_list("func", flat=True))
    assert RETENTION_TASKS <= scheduled
    for func in RETENTION_TASKS:
        assert Schedule.objects.get(func=func).minutes <= 60 * 24  # at least daily


def _run(func: str):
    from django_q.tasks import async_task, result

    task_id = async_task(func)  # django-q2's worker code, run inline in tests
    return result(task_id)


def test_a_walk_ins_number_and_note_go_the_day_after(settings):
    settings.SPORTELLO = {**settings.SPORTELLO, "TICKET_CONTACT_DAYS": 1}
    offering = OfferingFactory()
    queue = Queue.objects.get(desk=offering.desk, service=offering.service)
    today = services.walk_in_issue(queue=queue, phone="+393471234567", language="ar")
    old = services.walk_in_issue(queue=queue, phone="+393471234568", language="ar")
    Ticket.objects.filter(pk=old.pk).update(  # yesterday, on the desk's calendar
        day=timezone.localdate() - timedelta(days=1), note="needs form 12"
    )
    assert _run("frontdesk.tasks.forget_personal_data") == 1
    old.refresh_from_db()
    today.refresh_from_db()
    assert (old.phone, old.note, old.language) == ("", "", "ar")
    assert today.phone == "+393471234567"


def test_login_records_and_audit_entries_age_out(settings):
    settings.SPORTELLO = {**settings.SPORTELLO, "LOGIN_RECORD_DAYS": 90, "AUDIT_DAYS": 365}
    now = timezone.now()
    for days in (100, 10):
        when = now - timedelta(days=days)
        log = AccessLog.objects.create(username=f"op-{days}", ip_address="198.51.100.7")
        attempt = AccessAttempt.objects.create(
            username=f"op-{days}", ip_address="198.51.100.7", failures_since_start=1
        )
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=when)  # stamped on creation
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
    for days in (400, 30):
        entry = AuditEntry.objects.create(username=f"op-{days}", action="booking.view")
        AuditEntry.objects.filter(pk=entry.pk).update(at=now - timedelta(days=days))
    assert _run("accounts.tasks.forget_records") == {"logins": 1, "login_failures": 1, "audit": 1}
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["op-10"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["op-10"]
    assert list(AuditEntry.objects.values_list("username", flat=True)) == ["op-30"]


def test_problem_reports_age_out(settings):
    settings.SPORTELLO = {**settings.SPORTELLO, "PROBLEM_REPORT_DAYS": 180}
    old = ProblemReport.objects.create(message="my number is 347 123 4567", language="it")
    ProblemReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    kept = ProblemReport.objects.create(message="a broken link", language="it")
    assert _run("cms.tasks.forget_problem_reports") == 1
    assert list(ProblemReport.objects.all()) == [kept]


def test_the_privacy_notice_says_how_long_each_is_kept(site, client):
    from django.utils import translation

    page = client.get("/it/privacy/").content.decode()
    with translation.override("it"):
        for text in (
            "Tickets at the desk: the number you leave for a text is deleted the day after.",
            "Problem reports you send us are deleted after six months.",
            "Records of when staff opened your data are kept for one year, with your number hidden.",
        ):
            assert translation.gettext(text) in page
