"""Counters in the cache: all-or-nothing reservations, give-backs, and how they fail."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import ratelimit
from core.ratelimit import (
    LimitsUnavailable,
    RateLimited,
    client_network,
    give_back_attached,
    parse_rate,
    rate_limit_hit,
    reserve,
)


@pytest.fixture
def limits(settings):
    def set_limits(**rates):
        settings.SPORTELLO = {
            **settings.SPORTELLO,
            "RATE_LIMITS": {**settings.SPORTELLO["RATE_LIMITS"], **rates},
        }

    return set_limits


def test_rates_read_like_people_write_them():
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("3/15m") == (3, 900)
    assert parse_rate("1000/d") == (1000, 86400)


def test_a_detail_falls_back_to_its_scope(limits):
    limits(**{"code-country": "5/h", "code-country:39": "50/h"})
    assert ratelimit.limit_for("code-country:39") == (50, 3600)
    assert ratelimit.limit_for("code-country:93") == (5, 3600)


def test_a_refused_reservation_costs_nothing_anywhere(limits):
    limits(a="2/h", b="1/h")
    reserve([("a", "x"), ("b", "y")])
    with pytest.raises(RateLimited) as info:
        reserve([("a", "x"), ("b", "y")])
    assert info.value.scope == "b"
    # "a" was given back when "b" refused: one more reservation of "a" alone still fits.
    reserve([("a", "x")])
    with pytest.raises(RateLimited):
        reserve([("a", "x")])


def test_a_reservation_given_back_is_as_if_never_taken(limits):
    limits(a="1/h")
    reserve([("a", "x")]).give_back()
    reserve([("a", "x")])
    with pytest.raises(RateLimited):
        reserve([("a", "x")])


def test_an_attached_reservation_is_returned_once(limits):
    limits(a="1/h")
    reserve([("a", "x")]).attach("challenge:1:1")
    assert give_back_attached("challenge:1:1") is True
    assert give_back_attached("challenge:1:1") is False  # only once
    reserve([("a", "x")])


def test_codes_fail_closed_when_the_cache_is_down():
    with mock.patch.object(cache, "add", side_effect=ConnectionError("redis down")):
        with pytest.raises(LimitsUnavailable):
            reserve([("code-phone", "+393471234567")])
        rate_limit_hit(scope="lookup", ident="203.0.113.1")  # fails open: no exception


def test_the_cache_holds_no_phone_number(limits):
    limits(a="5/h")
    reserve([("a", "+393471234567")])
    keys = list(cache._cache.keys())  # the local-memory cache of the test settings
    assert keys and not any("3471234567" in key for key in keys)


@pytest.mark.parametrize(
    ("remote", "counted"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # the same home or phone
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_ipv6_clients_are_counted_by_their_64(remote, counted):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    assert client_network(request) == counted


@pytest.mark.django_db  # the page's footer lists the site's pages
def test_the_view_decorator_answers_429_in_the_person_language(rf, limits):
    from django.http import HttpResponse
    from django.utils import translation

    limits(demo="1/h")
    view = ratelimit.rate_limit("demo")(lambda request: HttpResponse("ok"))
    with translation.override("ar"):
        assert view(rf.post("/")).status_code == 200
        assert view(rf.get("/")).status_code == 200  # only POSTs count
        response = view(rf.post("/"))
        expected = translation.gettext(
            "Too many tries. Please wait an hour and try again, or call the desk."
        )
    assert response.status_code == 429 and expected in response.content.decode()
