import logging

from therapy_desktop.redaction import RedactingFilter, redact


def test_keys_and_bearer_tokens_are_redacted():
    text = "key sk-proj-abcdef123456 eph ek_68a1b2c3d4e5 header Authorization: Bearer abc.def-ghi"
    clean = redact(text)
    assert "sk-proj-abcdef" not in clean and "ek_68a1" not in clean and "abc.def-ghi" not in clean
    assert clean.count("[redacted]") == 3


def test_log_records_are_redacted_arguments_and_tracebacks_included(caplog):
    logger = logging.getLogger("redaction-test")
    handler = logging.Handler()
    records = []
    handler.emit = records.append
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    try:
        logger.warning("using %s", "sk-abcdefghijkl")
        try:
            raise ValueError("bad key ek_abcdefghijkl")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert "sk-abcdef" not in records[0].getMessage()
    assert "ek_abcdef" not in (records[1].exc_text or "") and records[1].exc_info is None
