"""A short sample of a voice from OpenAI's speech endpoint, for the Settings dialog's Preview.

    POST {base}/audio/speech   Authorization: Bearer <API key>
    {"model": "gpt-4o-mini-tts", "voice": "marin", "input": "...", "response_format": "pcm", "speed": 1.0}
    → 200, raw PCM: 24 kHz, 16-bit signed little-endian, mono

The Realtime API has no "say this" call without a session, so the preview borrows the speech
endpoint, which knows every realtime voice (openai-python 3.57, `SpeechCreateParams.voice`).
OpenAI retires the speech models on 6 January 2027 (their replacement is a realtime session):
a 404 for the model then becomes a sentence saying the preview is gone, never a crash.
The API key goes into this one request only; errors are the same `RealtimeError`s, with the
same sentences, as a session start's.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from therapy_desktop.realtime import messages
from therapy_desktop.realtime.errors import AuthenticationFailed, ServiceRequestFailed
from therapy_desktop.realtime.http_api import _host, _send

SPEECH_MODEL = "gpt-4o-mini-tts"
PCM_RATE = 24_000  # what `response_format: "pcm"` returns
# The speech endpoint's built-in voices (openai-python 3.57). All the realtime voices are among them.
SPEECH_VOICES: frozenset[str] = frozenset(
    {"alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse", "marin", "cedar"}
)
MIN_SECONDS = 0.2  # a shorter "sample" is not speech
_NOT_AUDIO = ("text/", "application/json", "application/xml", "application/problem")


@dataclass(frozen=True)
class VoiceSample:
    """Mono 16-bit PCM and its rate: what the speaker plays."""

    pcm: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.rate


@dataclass(frozen=True)
class Preview:
    sample: VoiceSample
    sentence: str  # shown once it has played


def has_preview(voice: str) -> bool:
    return voice in SPEECH_VOICES


async def fetch_voice_sample(
    http: httpx.AsyncClient, base_url: str, api_key: str, voice: str, text: str, *, speed: float = 1.0
) -> VoiceSample:
    """`text` spoken in `voice`. Raises `RealtimeError` (its `str()` is the sentence, `detail`
    the status and the service's words), or `ServiceRequestFailed` when the answer is not audio."""
    url = f"{base_url.rstrip('/')}/audio/speech"
    body = {"model": SPEECH_MODEL, "voice": voice, "input": text, "response_format": "pcm", "speed": speed}
    try:
        response = await _send(http, "POST", url, "speech", api_key, json=body)
    except ServiceRequestFailed as exc:
        raise _for_preview(exc, _host(url)) from None
    except AuthenticationFailed as exc:
        if "Realtime" in str(exc):  # a 403: no access to the speech model, which is not the Realtime API
            raise AuthenticationFailed(messages.no_preview_access(), detail=exc.detail) from None
        raise
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    audio = response.content
    if kind.startswith(_NOT_AUDIO) or len(audio) % 2 or len(audio) < MIN_SECONDS * PCM_RATE * 2:
        raise ServiceRequestFailed(
            messages.preview_not_audio(_host(url)), status=response.status_code,
            detail=f"HTTP {response.status_code} from {_host(url)}: {kind or 'no content type'}, {len(audio)} bytes",
        )
    return VoiceSample(audio, PCM_RATE)


def _for_preview(exc: ServiceRequestFailed, host: str) -> ServiceRequestFailed:
    """The sentences of a session start, except where they would send the person to the wrong
    setting: the speech model is not the chosen realtime model."""
    if exc.status == 404:
        sentence = messages.preview_model_gone(SPEECH_MODEL, host)
    elif exc.status == 400:
        sentence = messages.preview_refused()
    else:
        return exc
    error = ServiceRequestFailed(sentence, status=exc.status, code=exc.code, detail=exc.detail)
    return error
