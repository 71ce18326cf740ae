"""The sentences a person sees when connecting to a realtime service fails (all of them, here).

Written for people, not developers: what happened and what to do, without status codes, keyring
service names or "check your internet connection" for a service on this very computer. The
technical part (status, the service's own words) goes in the error's `detail` line.
"""

from __future__ import annotations


def key_rejected() -> str:
    return ("Your OpenAI API key was not accepted: it may be mistyped, revoked or expired. Enter a current key in "
            "Settings, OpenAI (or set OPENAI_API_KEY), or use Demo mode.")


def no_key() -> str:
    return "No OpenAI API key is set. Enter your key in Settings, OpenAI (or set OPENAI_API_KEY), or use Demo mode."


def no_realtime_access(model: str | None) -> str:
    which = f" or to the model {model}" if model else ""
    return (f"Your OpenAI account has no access to the Realtime API{which}. Check your project's model access "
            "in the OpenAI dashboard, or choose another model in Settings, OpenAI.")


def unknown_model(model: str | None) -> str:
    which = f"The model {model}" if model else "The chosen model"
    return f"{which} is not available to your account. Choose another model in Settings, OpenAI."


def not_a_realtime_api(host: str) -> str:
    return (f"The address {host} does not offer the Realtime API (nothing was found there). Check the API "
            "address in Settings, OpenAI, or clear it to use OpenAI's own.")


def rate_limited(seconds: float | None) -> str:
    when = f"in {_seconds(seconds)}" if seconds else "in a minute"
    return f"OpenAI is receiving too many requests from your account right now. Try again {when}."


def out_of_quota() -> str:
    return ("Your OpenAI account has used up its credit or monthly budget. Add credit or raise the limit in the "
            "OpenAI billing settings, or use Demo mode.")


def service_error(host: str, attempts: int) -> str:
    tried = f" (tried {attempts} times)" if attempts > 1 else ""
    return f"The service at {host} is having a problem of its own{tried}. This is usually brief: try again in a few minutes."


def bad_request(said: str) -> str:
    return f"The service refused the session's settings: {said}. Check the model and voice in Settings, OpenAI."


def unexpected_answer(host: str) -> str:
    return f"The service at {host} answered with something that is not a Realtime API answer. Check the API address in Settings."


def session_key_expired() -> str:
    return "The one-time session key expired before the call could start. Press Start again."


def no_sdp_answer(host: str) -> str:
    return f"The service at {host} did not accept the voice call. Press Start again; if it keeps failing, check the API address."


# -- the network ------------------------------------------------------------------------------------

def local_refused(host: str) -> str:
    return (f"Nothing is answering at {host} on this computer. Start the service you set as the API address, "
            "or correct the address in Settings.")


def local_timeout(host: str) -> str:
    return f"The service at {host} on this computer did not answer in time. Restart it and try again."


def name_not_found(host: str) -> str:
    return (f"The address {host} could not be found. Check that this computer is online and that the address is "
            "spelled correctly.")


def refused(host: str) -> str:
    return f"{host} refused the connection. Check the API address in Settings, and any proxy or firewall."


def tls_failed(host: str) -> str:
    return (f"A secure connection to {host} could not be made: its certificate was not accepted. A wrong system "
            "clock, or a proxy or antivirus that inspects secure connections, can cause this.")


def timed_out(host: str) -> str:
    return f"{host} did not answer in time. Check that this computer is online, then try again."


def unreachable(host: str) -> str:
    return f"{host} could not be reached. Check that this computer is online, then try again."


def udp_blocked() -> str:
    return ("The voice connection could not be set up: the audio path never connected. A firewall, proxy or VPN "
            "on this network is probably blocking the UDP traffic voice calls need. Try another network or ask "
            "its administrator to allow it.")


def _seconds(seconds: float) -> str:
    if seconds >= 90:
        minutes = round(seconds / 60)
        return f"{minutes} minutes"
    whole = max(1, round(seconds))
    return "1 second" if whole == 1 else f"{whole} seconds"


def demo_key_rejected() -> str:
    return "The offline demo engine did not accept this app's connection. Close the app and start it again."


# -- the voice preview (Settings) -------------------------------------------------------------------

def no_preview_access() -> str:
    return ("Your OpenAI account has no access to the speech model the preview uses. Start a session to hear "
            "the voice instead.")


def preview_model_gone(model: str, host: str) -> str:
    return (f"{host} does not offer the voice preview (its speech model {model} was not found). Start a session "
            "to hear the voice.")


def preview_refused() -> str:
    return "The service refused to speak the sample in this voice. Choose another voice, or start a session to hear it."


def preview_not_audio(host: str) -> str:
    return (f"The service at {host} did not send back playable audio for the preview. Check the API address in "
            "Settings, OpenAI, or start a session to hear the voice.")
