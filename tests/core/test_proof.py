"""The proof of work asked of a busy address: solved once, or waited out, never reused."""

import hashlib
from unittest import mock

import pytest
from django.test import RequestFactory

from core import proof
from core.ratelimit import reserve


@pytest.fixture
def busy(settings):
    """An address that already asked for as many codes as the threshold lets through."""
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "PROOF": {"AFTER_CODES": 2, "MAX_NUMBER": 500, "WAIT_SECONDS": 20},
    }
    for _ in range(2):
        reserve([("code-client", "203.0.113.9")])


def _solve(puzzle) -> str:
    for n in range(puzzle["max"] + 1):
        if hashlib.sha256(f"{puzzle['salt']}{n}".encode()).hexdigest() == puzzle["challenge"]:
            return str(n)
    raise AssertionError("no answer in range")


def _post(data, address="203.0.113.9"):
    return RequestFactory().post("/", data, REMOTE_ADDR=address)


def test_only_a_busy_address_is_asked(busy):
    assert proof.proof_required(_post({}))
    assert not proof.proof_required(_post({}, address="198.51.100.1"))


def test_a_solved_puzzle_pays_for_one_request_only(busy):
    puzzle = proof.proof_puzzle(_post({}))
    answer = {"proof": puzzle["token"], "proof_number": _solve(puzzle)}
    assert proof.proof_check(_post(answer))
    assert not proof.proof_check(_post(answer))  # the same puzzle again


def test_a_wrong_answer_a_forged_token_or_another_address_fail(busy):
    puzzle = proof.proof_puzzle(_post({}))
    right = _solve(puzzle)
    wrong = str((int(right) + 1) % (puzzle["max"] + 1))
    assert not proof.proof_check(_post({"proof": puzzle["token"], "proof_number": wrong}))
    assert not proof.proof_check(_post({"proof": puzzle["token"] + "x", "proof_number": right}))
    elsewhere = _post({"proof": puzzle["token"], "proof_number": right}, address="198.51.100.7")
    assert not proof.proof_check(elsewhere)


def test_without_javascript_waiting_is_enough_but_not_in_parallel(busy):
    first = proof.proof_puzzle(_post({}))
    second = proof.proof_puzzle(_post({}))
    assert not proof.proof_check(_post({"proof": first["token"]}))  # too soon
    later = proof.time.time() + 21
    with mock.patch.object(proof.time, "time", return_value=later):
        assert proof.proof_check(_post({"proof": first["token"]}))
        assert not proof.proof_check(_post({"proof": second["token"]}))  # one wait at a time


def test_the_puzzle_grows_with_the_codes_an_address_asks_for(busy):
    small = proof.proof_puzzle(_post({}))["max"]
    for _ in range(20):
        reserve([("code-client", "203.0.113.9")])
    assert proof.proof_puzzle(_post({}))["max"] == small * 4
