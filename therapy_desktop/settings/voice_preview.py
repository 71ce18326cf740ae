"""The dialog's Preview voice: a sample sentence in the chosen voice, from wherever the session
would get its voice — OpenAI's speech endpoint with the API key, or the Demo engine's own voice
(offline). The sample is returned; the Audio page's `play_sample` puts it on the chosen speaker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from therapy_desktop.realtime import messages as realtime_messages
from therapy_desktop.realtime.connect_mode import ConnectMode
from therapy_desktop.realtime.credentials import OPENAI_API_KEY, read_secret_async
from therapy_desktop.realtime.errors import CredentialsMissing
from therapy_desktop.realtime.voice_preview import Preview, VoiceSample, fetch_voice_sample, has_preview
from therapy_desktop.settings import messages
from therapy_desktop.settings.connection_test import base_url_for
from therapy_desktop.settings.model import Settings

DemoVoice = Callable[[str], Awaitable[VoiceSample]]
ModeFor = Callable[[ConnectMode | None], Awaitable[ConnectMode]]


class PreviewUnavailable(Exception):
    """No preview in this situation; `str()` says why and what to do instead."""

    detail = ""


async def voice_preview(
    settings: Settings, typed_api_key: str | None, *, demo_voice: DemoVoice, mode_for: ModeFor,
) -> Preview:
    """The sample for the connection `settings` would use (`mode_for` resolves Automatic and
    THERAPY_DESKTOP_MODE). Raises `PreviewUnavailable` or a `RealtimeError` with its sentence."""
    mode = await mode_for(settings.mode)
    if mode is ConnectMode.DEMO:
        return Preview(await demo_voice(messages.PREVIEW_SENTENCE), messages.PREVIEW_DEMO_PLAYED)
    if mode is ConnectMode.BACKEND:
        raise PreviewUnavailable(messages.PREVIEW_NOT_IN_CLINIC_MODE)
    if not has_preview(settings.voice):
        raise PreviewUnavailable(messages.PREVIEW_NO_SAMPLE.format(voice=settings.voice.capitalize()))
    api_key = typed_api_key or await read_secret_async(OPENAI_API_KEY, explain=True)
    if not api_key:
        raise CredentialsMissing(realtime_messages.no_key())
    async with httpx.AsyncClient() as client:
        sample = await fetch_voice_sample(client, base_url_for(settings), api_key, settings.voice,
                                          messages.PREVIEW_SENTENCE, speed=settings.speed)
    return Preview(sample, messages.PREVIEW_PLAYED.format(voice=settings.voice.capitalize()))

