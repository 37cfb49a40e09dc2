import logging

from core.phones import phone_mask, phone_pseudonym


def test_phone_numbers_are_pseudonymised_in_every_log_record(caplog):
    from core.redaction import RedactFilter

    logger = logging.getLogger("sportello.test")
    logger.addFilter(RedactFilter())
    try:
        with caplog.at_level(logging.INFO):
            logger.info("code sent to %s for %s", "+39 347 123 4567", "booking AB12")
    finally:
        logger.filters.clear()
    text = caplog.text
    assert "347" not in text and "4567" not in text
    assert phone_pseudonym("+393471234567") in text
    assert "booking AB12" in text


def test_masking_leaves_only_the_last_digits():
    assert phone_mask("+393471234567") == "+*********567"
    assert phone_pseudonym("+393471234567") == phone_pseudonym("+393471234567")
    assert phone_pseudonym("+393471234567") != phone_pseudonym("+393471234568")


def test_what_is_not_a_phone_number_is_left_alone():
    from core.redaction import redact

    line = '127.0.0.1 "GET /it/ HTTP/1.1" 200 34801 at 2026-11-25 11:24:06,238 booking 42'
    assert redact(line) == line
    for phone in ("+39 347 123 4567", "0039 347 1234567", "347-123-4567", "+251911234567"):
        assert redact(f"to {phone}.") != f"to {phone}."


def test_tracebacks_are_redacted_too(caplog):
    from core.redaction import RedactFilter

    logger = logging.getLogger("sportello.test.exc")
    logger.addFilter(RedactFilter())
    try:
        with caplog.at_level(logging.ERROR):
            try:
                raise ValueError("Key (offering_id, phone)=(3, +393471234567) already exists")
            except ValueError:
                logger.exception("booking failed")
    finally:
        logger.filters.clear()
    assert "3471234567" not in caplog.text
    assert "already exists" in caplog.text


def test_manage_links_lose_their_token_in_every_log_line(client, db, caplog):
    """Django's own "Not Found" warning names the path: the token must not reach the log."""
    from core.redaction import RedactFilter

    token = "Zq3-secret-token-Zq3xxxxxxxxxxxxxxxxxx"
    django_request = logging.getLogger("django.request")
    django_request.addFilter(RedactFilter())
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            assert client.get(f"/ar/manage/{token}/cancel/").status_code == 404
    finally:
        django_request.filters.clear()
    assert "Not Found" in caplog.text and "/ar/manage/…/cancel/" in caplog.text
    assert token not in caplog.text


def test_the_development_server_access_line_is_redacted():
    from core.redaction import redact

    line = '"GET /it/manage/AbC_dEf-123/calendar.ics HTTP/1.1" 200 512'
    assert redact(line) == '"GET /it/manage/…/calendar.ics HTTP/1.1" 200 512'
    assert redact('"POST /it/manage/ HTTP/1.1" 302 0') == '"POST /it/manage/ HTTP/1.1" 302 0'


def test_every_configured_handler_redacts(settings):
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("redact" in handler.get("filters", []) for handler in handlers.values())
