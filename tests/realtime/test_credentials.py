import keyring.errors

from therapy_desktop.realtime.credentials import OPENAI_API_KEY, read_secret, read_secret_async, store_secret


def test_environment_overrides_the_keyring(memory_keyring, monkeypatch):
    store_secret(OPENAI_API_KEY, "sk-stored")
    assert read_secret(OPENAI_API_KEY) == "sk-stored"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert read_secret(OPENAI_API_KEY) == "sk-env"


def test_a_blank_secret_counts_as_missing(memory_keyring):
    store_secret(OPENAI_API_KEY, "   ")
    assert read_secret(OPENAI_API_KEY) is None


def test_a_broken_keyring_counts_as_missing_not_as_a_crash(monkeypatch):
    def broken(*args):
        raise keyring.errors.KeyringLocked("locked")

    monkeypatch.setattr(keyring, "get_password", broken)
    assert read_secret(OPENAI_API_KEY) is None


async def test_a_keyring_that_never_answers_times_out(monkeypatch):
    import time

    monkeypatch.setattr(keyring, "get_password", lambda *a: time.sleep(2) or "sk-late")
    assert await read_secret_async(OPENAI_API_KEY, timeout=0.2) is None
