"""The outbox: a message is queued with the event that causes it, sent at most once, and
followed to its end (delivered, or why not).

Sending claims due rows with a lease (``lease_owner``, ``lease_until``): only one worker
holds a row at a time, and a worker that dies mid-send frees it when the lease runs out.
The next worker then treats the row as UNKNOWN: it asks the provider whether it already
has the text before sending it again (docs/decisions/0009, which reverses 0002 here).
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from core.ratelimit import give_back_attached
from messaging import kinds, optouts, sealing
from messaging.backends import Backend, Outcome, SendResult, get_backend
from messaging.models import (
    STATUS_RANK,
    Message,
    MessageStatus,
    Suppression,
    statuses_below,
)
from messaging.segments import gsm_friendly, segment_count
from messaging.signals import message_status_changed

logger = logging.getLogger(__name__)

OPEN_STATUSES = [MessageStatus.CREATED, MessageStatus.SENDING]


def conf() -> dict:
    return settings.SPORTELLO["MESSAGING"]


# --- Quiet hours, on the desk's clock --------------------------------------------------


def in_quiet_hours(when: datetime, tz: str) -> bool:
    if not conf()["QUIET_HOURS"]:  # None: no quiet hours (the test settings)
        return False
    start, end = conf()["QUIET_HOURS"]
    hour = when.astimezone(ZoneInfo(tz)).hour
    return hour >= start or hour < end


def after_quiet_hours(when: datetime, tz: str) -> datetime:
    """``when``, or the end of the quiet hours it falls in (08:00 on the desk's clock)."""
    if not in_quiet_hours(when, tz):
        return when
    _start, end = conf()["QUIET_HOURS"]
    local = when.astimezone(ZoneInfo(tz))
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if local.hour >= end:  # evening: the next morning
        morning = (local + timedelta(days=1)).replace(hour=end, minute=0, second=0, microsecond=0)
    return morning.replace(tzinfo=ZoneInfo(tz))


def before_quiet_hours(when: datetime, tz: str) -> datetime:
    """``when``, or an hour before the quiet hours it falls in began (20:00 the evening
    before): a reminder that would fall at night goes the evening before."""
    if not in_quiet_hours(when, tz):
        return when
    start, _end = conf()["QUIET_HOURS"]  # set: in_quiet_hours said so
    local = when.astimezone(ZoneInfo(tz))
    evening = local if local.hour >= start else local - timedelta(days=1)
    return evening.replace(hour=start - 1, minute=0, second=0, microsecond=0)


# --- Queueing ----------------------------------------------------------------------------


def message_queue(
    *,
    kind: str,
    to: str,
    language: str,
    dedupe_key: str,
    params: dict | None = None,
    secrets: dict | None = None,
    reference: str = "",
    scope: str = "",
    time_zone: str = "Europe/Rome",
    due_at: datetime | None = None,
    give_up_at: datetime | None = None,
    now: datetime | None = None,
    send_now: bool = True,
) -> Message:
    """Writes the message in the caller's transaction (once per ``dedupe_key``); sending
    starts when that commits. Secrets are sealed; the text is made when it is sent.

    ``send_now=False`` leaves a due message to the sweep (for many at once: reminders)."""
    now = now or timezone.now()
    fields = _row(
        kind=kind,
        to=to,
        language=language,
        params=params,
        secrets=secrets,
        reference=reference,
        scope=scope,
        time_zone=time_zone,
        due_at=due_at,
        give_up_at=give_up_at,
        now=now,
    )
    message, created = Message.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    if created and send_now and message.due_at <= now:
        transaction.on_commit(lambda: _enqueue("messaging.tasks.send_message", message.pk))
    return message


def _row(
    *, kind, to, language, params, secrets, reference, scope, time_zone, due_at, give_up_at, now
) -> dict:
    """A message row's fields: sealed secrets, due after the quiet hours."""
    spec = kinds.kind(kind)
    due = due_at or now
    if spec.quiet_hours:
        due = after_quiet_hours(due, time_zone)
    return {
        "kind": kind,
        "to": to,
        "language": language,
        "time_zone": time_zone,
        "params": params or {},
        "secrets": sealing.seal(secrets),
        "reference": reference,
        "scope": scope,
        "quiet_hours": spec.quiet_hours,
        "due_at": due,
        "give_up_at": give_up_at or due + timedelta(hours=conf()["GIVE_UP_HOURS"]),
    }


def messages_queue_many(messages: list[dict], *, now: datetime | None = None) -> int:
    """Many messages in one insert (reminders); each dict has ``message_queue``'s
    arguments. A ``dedupe_key`` already queued is skipped. They are left to the sweep."""
    now = now or timezone.now()
    rows = [
        Message(
            dedupe_key=m["dedupe_key"],
            **_row(
                now=now,
                **{
                    "params": None,
                    "secrets": None,
                    "reference": "",
                    "scope": "",
                    "time_zone": "Europe/Rome",
                    "due_at": None,
                    "give_up_at": None,
                    **{k: v for k, v in m.items() if k != "dedupe_key"},
                },
            ),
        )
        for m in messages
    ]
    keys = [row.dedupe_key for row in rows]
    before = Message.objects.filter(dedupe_key__in=keys).count()
    Message.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return Message.objects.filter(dedupe_key__in=keys).count() - before


def sweep_soon() -> None:
    """Asks a worker to run the sweep now rather than at its next minute."""
    _enqueue("messaging.tasks.send_due")


def _enqueue(func: str, *args) -> None:
    from django_q.tasks import async_task

    try:
        async_task(func, *args)
    except Exception:  # the broker is down: the sweep sends it within a minute
        logger.exception("could not enqueue %s; the periodic sweep will do it", func)


# --- Sending -------------------------------------------------------------------------------


def message_send(*, message_id: int, now: datetime | None = None) -> str:
    """Sends one message now if it is due and nobody else holds it (the task after commit)."""
    now = now or timezone.now()
    batch = _claim(now=now, limit=1, ids=[message_id])
    if not batch:
        return "skipped"
    _send_batch(batch, now=now, backend=get_backend(), threads=1)
    return Message.objects.values_list("status", flat=True).get(pk=message_id)


def messages_send_due(
    *, now: datetime | None = None, budget_seconds: float | None = None, chain: bool = False
) -> int:
    """The sweep: sends every due message, batch after batch, and stops taking new batches
    once its time is spent, so it never outlives its task. With ``chain`` (the worker's
    task) a backlog left over is handed to a new sweep at once."""
    budget = conf()["SWEEP_SECONDS"] if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    backend, threads, handled = get_backend(), conf()["THREADS"], 0
    while True:
        moment = now or timezone.now()
        batch = _claim(now=moment, limit=conf()["BATCH"])
        if not batch:
            break
        handled += _send_batch(
            batch, now=moment, backend=backend, threads=threads, deadline=deadline
        )
        if time.monotonic() >= deadline:
            if chain:
                sweep_soon()
            break
    return handled


def _claim(*, now: datetime, limit: int, ids: Iterable[int] | None = None) -> list[Message]:
    """Takes due messages nobody holds; a row whose holder's lease ran out (a worker died
    mid-send) is taken as UNKNOWN: the provider is asked before it is sent again."""
    owner = uuid.uuid4().hex
    due = Message.objects.filter(status__in=OPEN_STATUSES, due_at__lte=now).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    with transaction.atomic():
        pks = list(
            due.order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not pks:
            return []
        due.filter(pk__in=pks).update(
            status=MessageStatus.SENDING,
            uncertain=Case(When(~Q(lease_owner=""), then=Value(True)), default=F("uncertain")),
            lease_owner=owner,
            lease_until=now + timedelta(seconds=conf()["LEASE_SECONDS"]),
            attempts=F("attempts") + 1,
        )
    return list(Message.objects.filter(lease_owner=owner))


@dataclass(frozen=True)
class Job:
    message: Message
    body: str
    may_send: bool  # False past give_up_at: an uncertain row is only looked up
    not_theirs: frozenset[str]  # provider ids that belong to other rows (a retry's original)


def _send_batch(
    batch: list[Message], *, now: datetime, backend: Backend, threads: int, deadline=None
) -> int:
    """Prepares (database), tries (network, in threads), then records (database). A try
    that would start after ``deadline`` is not made: its row goes back, due at once."""
    jobs = _prepare(batch, now=now)
    if not jobs:
        return 0
    if threads > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=min(threads, len(jobs))) as pool:
            results = list(pool.map(lambda job: _attempt(backend, job, deadline), jobs))
    else:
        results = [_attempt(backend, job, deadline) for job in jobs]
    for job, result in zip(jobs, results, strict=True):
        if result is None:
            _release(job.message, due_at=now, refund=True)
        else:
            _record(job.message, body=job.body, result=result, backend=backend, now=now)
    return sum(result is not None and result.outcome is Outcome.SENT for result in results)


def _render(spec, messages: list[Message], now: datetime) -> dict[int, str | None | Exception]:
    """Each message's text; one that cannot be rendered (a key rotated away, a broken
    translation) fails alone, never its whole batch."""
    try:
        return spec.render(messages, now)
    except Exception:
        texts: dict[int, str | None | Exception] = {}
        for message in messages:
            try:
                texts.update(spec.render([message], now))
            except Exception as exc:
                logger.exception("message %s (%s) cannot be rendered", message.pk, message.kind)
                texts[message.pk] = exc
        return texts


def _prepare(batch: list[Message], *, now: datetime) -> list[Job]:
    """Renders what is still to send; finishes or puts back the rest (in the database only:
    no network here)."""
    marks = optouts.marks_for(message.to for message in batch)
    parents = dict(
        Message.objects.filter(pk__in={m.retry_of_id for m in batch if m.retry_of_id})
        .exclude(provider_id="")
        .values_list("pk", "provider_id")
    )
    by_kind: dict[str, list[Message]] = defaultdict(list)
    for message in batch:
        by_kind[message.kind].append(message)
    jobs = []
    for kind_name, messages in by_kind.items():
        try:
            spec = kinds.kind(kind_name)
        except LookupError as exc:
            for message in messages:
                _finish(message, MessageStatus.TECHNICAL_FAILURE, now=now, error=repr(exc))
            continue
        if not all(m.uncertain for m in messages):
            for message in messages:  # nothing to render for what will not be sent
                if now >= message.give_up_at and not message.uncertain:
                    _finish(message, MessageStatus.TECHNICAL_FAILURE, now=now, error="gave up")
            messages = [m for m in messages if m.uncertain or now < m.give_up_at]
        texts = _render(spec, messages, now) if messages else {}
        for message in messages:
            if message.provider_id:  # a status callback already told us the provider has it
                _record_sent(message, provider_id=message.provider_id, now=now, body="")
                continue
            mark = marks.get(optouts.phone_key(message.to))
            if mark == Suppression.Reason.OPTED_OUT or (mark and spec.quiet_hours):
                _finish(message, MessageStatus.CANCELLED, now=now, error=f"number: {mark}")
                continue
            text = texts.get(message.pk)
            if isinstance(text, Exception):
                _finish(
                    message, MessageStatus.TECHNICAL_FAILURE, now=now, error=f"render: {text!r}"
                )
                continue
            if text is None:
                _finish(message, MessageStatus.CANCELLED, now=now, error="no longer needed")
                continue
            if spec.quiet_hours and in_quiet_hours(now, message.time_zone):
                _release(message, due_at=after_quiet_hours(now, message.time_zone), refund=True)
                continue
            jobs.append(
                Job(
                    message=message,
                    body=gsm_friendly(text),
                    may_send=now < message.give_up_at,
                    not_theirs=frozenset(
                        {parents[message.retry_of_id]} if message.retry_of_id in parents else ()
                    ),
                )
            )
    return jobs


def message_text(message: Message, *, now: datetime | None = None) -> str | None:
    """The text a message would carry if it were sent now (None: it would not be sent).
    For tests and segment counts; staff screens never show texts."""
    text = kinds.kind(message.kind).render([message], now or timezone.now()).get(message.pk)
    return None if text is None else gsm_friendly(text)


def _attempt(backend: Backend, job: Job, deadline: float | None) -> SendResult | None:
    """One try (in a worker thread: network only, no database); None when the sweep's time
    is over before it starts."""
    if deadline is not None and time.monotonic() >= deadline:
        return None
    message, body = job.message, job.body
    if message.uncertain:
        try:
            found = backend.find(
                to=message.to, body=body, since=message.created_at, exclude=job.not_theirs
            )
        except Exception as exc:
            return SendResult(Outcome.UNKNOWN, detail=f"lookup failed: {type(exc).__name__}")
        if found:
            return SendResult(Outcome.SENT, provider_id=found, detail="found at the provider")
    if not job.may_send:  # too late to send; it was only looked for
        return SendResult(Outcome.NOT_SENT, detail="not found at the provider")
    try:
        return backend.send(to=message.to, body=body, callback_url=status_callback_url(message))
    except Exception as exc:  # a backend bug must not lose the message
        logger.exception("backend %s failed on message %s", backend.name, message.pk)
        return SendResult(Outcome.UNKNOWN, detail=type(exc).__name__)


def status_callback_url(message: Message) -> str:
    base = settings.SPORTELLO["TWILIO"]["PUBLIC_URL"].rstrip("/")
    return f"{base}/hooks/twilio/status/?m={message.pk}"


def _held(message: Message):
    """The row as long as this worker holds it and nothing (a callback) moved it on."""
    return Message.objects.filter(
        pk=message.pk, lease_owner=message.lease_owner, status__in=OPEN_STATUSES
    )


def _record(message: Message, *, body: str, result: SendResult, backend: Backend, now) -> None:
    if result.outcome is Outcome.SENT:
        _record_sent(message, provider_id=result.provider_id, now=now, body=body, backend=backend)
    elif result.outcome is Outcome.REFUSED:
        optouts.number_mark(message.to, error_code=result.error_code)
        _finish(
            message,
            MessageStatus.PERMANENT_FAILURE,
            now=now,
            error=result.detail,
            error_code=result.error_code,
            backend=backend.name,
        )
    elif now >= message.give_up_at:
        _finish(
            message,
            MessageStatus.TECHNICAL_FAILURE,
            now=now,
            error=f"gave up: {result.detail}",
            error_code=result.error_code,
            backend=backend.name,
        )
    else:
        logger.info("message %s not sent (try %s): %s", message.pk, message.attempts, result.detail)
        _release(
            message,
            due_at=now + _backoff(message.attempts),
            uncertain=result.outcome is Outcome.UNKNOWN,
            last_error=result.detail[:200],
            error_code=result.error_code,
            backend=backend.name,
        )


def _backoff(attempts: int) -> timedelta:
    base, ceiling = conf()["BACKOFF_SECONDS"], conf()["BACKOFF_MAX_SECONDS"]
    seconds = min(base * 2 ** max(attempts - 1, 0), ceiling)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # spread a backlog out


def _release(message: Message, *, due_at: datetime, refund: bool = False, **fields) -> None:
    """Gives the row back, to be tried again at ``due_at``."""
    updates = {"due_at": due_at, "lease_owner": "", "lease_until": None, **fields}
    if refund:  # not a try: put back the attempt the claim counted
        updates["attempts"] = F("attempts") - 1
    _held(message).update(**updates)


def _record_sent(
    message: Message, *, provider_id: str, now: datetime, body: str, backend=None
) -> None:
    count = _held(message).update(
        status=MessageStatus.SENT,
        provider_id=provider_id,
        sent_at=now,
        uncertain=False,
        lease_owner="",
        lease_until=None,
        last_error="",
        segments=segment_count(body) if body else None,
        **({"backend": backend.name} if backend else {}),
    )
    if count:
        _changed(message.pk, MessageStatus.SENT)


def _finish(message: Message, status: str, *, now: datetime, error: str = "", **fields) -> None:
    """A final status for a message we hold: its secrets go, its lease ends."""
    count = _held(message).update(
        status=status,
        final_at=now,
        secrets="",
        lease_owner="",
        lease_until=None,
        last_error=error[:200],
        **fields,
    )
    if count:
        give_back_attached(message.dedupe_key)  # never sent: the budgets get it back
        _changed(message.pk, status)


def _changed(message_id: int, status: str) -> None:
    """Tells the domain apps; a receiver that fails is logged and never stops the sender."""
    for receiver, result in message_status_changed.send_robust(
        sender=Message, message_id=message_id, status=status
    ):
        if isinstance(result, Exception):
            logger.error("receiver %s failed on message %s", receiver, message_id, exc_info=result)


# --- What the provider tells us afterwards ------------------------------------------------

PROVIDER_STATUSES = {
    "accepted": MessageStatus.SENT,
    "queued": MessageStatus.SENT,
    "scheduled": MessageStatus.SENT,
    "sending": MessageStatus.SENT,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
}
TRY_AGAIN_CODES = {"30003", "30008"}  # phone off or unreachable; unknown error
PERMANENT_CODES = {"30005", "30006", "21610", "21211", "21614", "21612", "30004"}


def delivery_status(provider_status: str, error_code: str) -> MessageStatus | None:
    """Our status for the provider's ("undelivered" and "failed" by their error code)."""
    if provider_status in PROVIDER_STATUSES:
        return PROVIDER_STATUSES[provider_status]
    if provider_status not in {"undelivered", "failed"}:
        return None
    if error_code in PERMANENT_CODES:
        return MessageStatus.PERMANENT_FAILURE
    if provider_status == "failed" and error_code not in TRY_AGAIN_CODES:
        return MessageStatus.TECHNICAL_FAILURE
    return MessageStatus.TEMPORARY_FAILURE


def message_status_record(
    *,
    message_id: int | None,
    provider_id: str,
    provider_status: str,
    error_code: str = "",
    now: datetime | None = None,
) -> Message | None:
    """A status callback. It may come twice or out of order: a status only moves forward.

    The message is found by the provider's id, or (when the send timed out before we
    learnt that id) by our id carried in the callback URL.
    """
    now = now or timezone.now()
    status = delivery_status(provider_status, error_code)
    message = Message.objects.filter(provider_id=provider_id).first() if provider_id else None
    if message is None and message_id:
        message = (
            Message.objects.filter(pk=message_id)
            .filter(Q(provider_id="") | Q(provider_id=provider_id))
            .first()
        )
        if message is not None and provider_id:
            Message.objects.filter(pk=message.pk, provider_id="").update(provider_id=provider_id)
    if message is None or status is None:
        return message
    fields: dict = {"status": status, "error_code": error_code}
    if status == MessageStatus.SENT:
        fields["sent_at"] = now
    if STATUS_RANK[status] == 3:
        fields.update(final_at=now, secrets="", lease_owner="", lease_until=None)
    with transaction.atomic():
        sealed = message.secrets  # read before the update blanks them
        moved = Message.objects.filter(pk=message.pk, status__in=statuses_below(status)).update(
            **fields
        )
        # Only the callback that moved the row on may ask for the retry (a late or repeated
        # one must not), and the retry carries the secrets the row had until now.
        if moved and status == MessageStatus.TEMPORARY_FAILURE and error_code in TRY_AGAIN_CODES:
            _queue_again(message, sealed=sealed, now=now)
    if moved:
        if status == MessageStatus.PERMANENT_FAILURE:
            optouts.number_mark(message.to, error_code=error_code)
        elif status == MessageStatus.DELIVERED and not message.quiet_hours:
            optouts.number_unmark_reached(message.to)  # a delivered code: it is a mobile
        _changed(message.pk, status)
    return message


def _queue_again(message: Message, *, sealed: str, now: datetime) -> None:
    """The one delayed retry after "phone off or unreachable", as a message of its own (so
    each row's status still only moves forward)."""
    if message.retry_of_id:  # once only
        return
    due = now + timedelta(minutes=conf()["AGAIN_AFTER_MINUTES"])
    if message.quiet_hours:
        due = after_quiet_hours(due, message.time_zone)
    if due >= message.give_up_at:
        return
    Message.objects.get_or_create(
        dedupe_key=f"{message.dedupe_key}:again",
        defaults={
            "kind": message.kind,
            "to": message.to,
            "language": message.language,
            "time_zone": message.time_zone,
            "params": message.params,
            "secrets": sealed,
            "reference": message.reference,
            "scope": message.scope,
            "quiet_hours": message.quiet_hours,
            "retry_of": message,
            "due_at": due,
            "give_up_at": message.give_up_at,
        },
    )
