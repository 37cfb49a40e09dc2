"""lock_objects: only inside a transaction; on PostgreSQL a second holder waits, then gives up."""

import threading

import pytest
from django.db import connection, connections, transaction

from core.locking import LockTimeout, lock_objects


@pytest.mark.django_db(transaction=True)  # the plain db fixture wraps each test in one
def test_a_lock_outside_a_transaction_is_a_bug():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        lock_objects(["x"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # a real transaction, not a savepoint in the test's
def test_a_lock_inside_a_transaction_is_held_until_it_ends():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite serialises writers itself")

    def advisory_locks() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    with transaction.atomic():
        lock_objects(["phone:+393471234567", "holds:abc"])
        assert advisory_locks() == 2
    assert advisory_locks() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_holder_times_out_while_the_first_holds_the_lock():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite serialises writers itself")
    held, release = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                lock_objects(["waitlist-offer:1"])
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert held.wait(10)
    try:
        with pytest.raises(LockTimeout), transaction.atomic():
            lock_objects(["waitlist-offer:1"], timeout_seconds=0.2)
        with transaction.atomic():
            lock_objects(["waitlist-offer:2"], timeout_seconds=0.2)  # another key is free
    finally:
        release.set()
        thread.join(10)
    with transaction.atomic():
        lock_objects(["waitlist-offer:1"], timeout_seconds=0.2)  # free once the first ends
