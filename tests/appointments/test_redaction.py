import logging

from appointments.redaction import mask_phone, phone_fingerprint


def test_phone_numbers_are_pseudonymised_in_every_log_record(caplog):
    from appointments.redaction import RedactPhoneNumbersFilter

    logger = logging.getLogger("sportello.test")
    logger.addFilter(RedactPhoneNumbersFilter())
    try:
        with caplog.at_level(logging.INFO):
            logger.info("code sent to %s for %s", "+39 347 123 4567", "booking AB12")
    finally:
        logger.filters.clear()
    text = caplog.text
    assert "347" not in text and "4567" not in text
    assert phone_fingerprint("+393471234567") in text
    assert "booking AB12" in text


def test_masking_leaves_only_the_last_digits():
    assert mask_phone("+393471234567") == "+*********567"
    assert phone_fingerprint("+393471234567") == phone_fingerprint("+393471234567")
    assert phone_fingerprint("+393471234567") != phone_fingerprint("+393471234568")


def test_what_is_not_a_phone_number_is_left_alone():
    from appointments.redaction import redact

    line = '127.0.0.1 "GET /it/ HTTP/1.1" 200 34801 at 2026-11-25 11:24:06,238 booking 42'
    assert redact(line) == line
    for phone in ("+39 347 123 4567", "0039 347 1234567", "347-123-4567", "+251911234567"):
        assert redact(f"to {phone}.") != f"to {phone}."


def test_tracebacks_are_redacted_too(caplog):
    from appointments.redaction import RedactPhoneNumbersFilter

    logger = logging.getLogger("sportello.test.exc")
    logger.addFilter(RedactPhoneNumbersFilter())
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
