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


def test_a_key_with_dots_is_redacted_whole():
    clean = redact("echoed sk-proj-AbC_d3f-g4h_abc.123 back.")
    assert ".123" not in clean and clean == "echoed [redacted] back."


def test_a_secret_the_app_holds_is_redacted_whatever_it_looks_like():
    from therapy_desktop.redaction import register_secret

    register_secret("clinic-token-Zq81pX")  # no sk- or ek_ prefix: only its value gives it away
    assert redact("the server said: invalid token clinic-token-Zq81pX") == "the server said: invalid token [redacted]"


async def test_a_server_echoing_the_api_key_in_its_error_never_gets_it_printed():
    import httpx
    import pytest

    from therapy_desktop.realtime.errors import AuthenticationFailed
    from therapy_desktop.realtime.http_api import mint_client_secret

    key = "unprefixed0key0value0993"

    def echo(request):
        return httpx.Response(401, json={"error": {"message": f"Incorrect API key provided: {key}", "code": "x"}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(echo)) as http:
        with pytest.raises(AuthenticationFailed) as caught:
            await mint_client_secret(http, "https://api.example.test/v1", key, {"type": "realtime"})
    assert key not in str(caught.value) and key not in caught.value.detail
