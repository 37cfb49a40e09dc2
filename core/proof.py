"""A small proof of work, asked only of an address that has already asked for many codes.

People behind one shared address (a carrier's NAT, an NGO's Wi-Fi) must not block each
other, and a script on that address must pay for every SMS it makes us send. Past a
threshold, the form carries a signed puzzle: find ``n`` (0..max) with
``sha256(salt + n) == challenge``. ``static/js/proof.js`` solves it in about a second on a
cheap phone; without JavaScript the same puzzle is accepted once the person has waited
``PROOF_WAIT_SECONDS``. Each puzzle is good for one request. See
``docs/decisions/0006-limits-that-stop-scripts.md``.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

from core.ratelimit import client_network, peek
from core.tokens import keyed_hash

_SALT = "sportello.proof"
MAX_AGE_SECONDS = 15 * 60


def _rules() -> dict:
    return settings.SPORTELLO["PROOF"]


def _codes_asked(request) -> int:
    return peek(scope="code-client", ident=client_network(request))


def proof_required(request) -> bool:
    """Whether this address asked for more codes this hour than the threshold."""
    return _codes_asked(request) >= _rules()["AFTER_CODES"]


def _max_number(asked: int) -> int:
    """The puzzle doubles in size for every ten codes past the threshold (at most 16 times):
    a busy shared Wi-Fi waits a second more, a script pays more and more."""
    over = max(0, asked - _rules()["AFTER_CODES"])
    return _rules()["MAX_NUMBER"] * 2 ** min(4, over // 10)


def _network(request) -> str:
    return keyed_hash(client_network(request), purpose="proof")[:16]


def proof_puzzle(request, *, asked: int | None = None) -> dict:
    """A new puzzle bound to this address: the fields the form carries. ``asked``: the
    address's codes this hour, when the caller has already read them."""
    salt = secrets.token_hex(12)
    biggest = _max_number(_codes_asked(request) if asked is None else asked)
    answer = secrets.randbelow(biggest + 1)
    challenge = hashlib.sha256(f"{salt}{answer}".encode()).hexdigest()
    # The wait without JavaScript grows with the puzzle: waiting is never the cheap way.
    wait = _rules()["WAIT_SECONDS"] * biggest // _rules()["MAX_NUMBER"]
    token = signing.dumps(
        {"s": salt, "c": challenge, "n": _network(request), "t": int(time.time()), "w": wait},
        salt=_SALT,
    )
    return {"token": token, "salt": salt, "challenge": challenge, "max": biggest, "wait": wait}


def proof_puzzle_if_needed(request) -> dict | None:
    """The puzzle a code form carries once its address asked for many codes, else None."""
    asked = _codes_asked(request)
    return proof_puzzle(request, asked=asked) if asked >= _rules()["AFTER_CODES"] else None


def proof_refused(request) -> str | None:
    """Why a code form is refused for its proof of work, or None when it may go on."""
    if proof_required(request) and not proof_check(request):
        return _("Please wait a few seconds, then press the button again.")
    return None


def proof_check(request) -> bool:
    """The posted puzzle is ours, this address's, fresh, unused, and solved or waited out."""
    try:
        data = signing.loads(request.POST.get("proof", ""), salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    if data.get("n") != _network(request):
        return False
    number = request.POST.get("proof_number", "").strip()
    solved = (
        number.isdigit()
        and len(number) <= 12
        and (hashlib.sha256(f"{data['s']}{number}".encode()).hexdigest() == data["c"])
    )
    wait = data["w"]
    try:
        # Without JavaScript: the person waited, and one waiting puzzle per address is
        # taken every ``wait`` seconds, so waiting in parallel buys a script nothing.
        if not solved and (
            time.time() - data["t"] < wait
            or not cache.add(f"proof-wait:{data['n']}", 1, timeout=wait)
        ):
            return False
        # One request per puzzle: a solved puzzle cannot pay for a thousand codes.
        return cache.add(f"proof-used:{data['s']}", 1, timeout=MAX_AGE_SECONDS)
    except Exception:
        return False
