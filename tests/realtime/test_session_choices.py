"""The model, voice and transcription choices the app offers are exactly the GA names of the
openai SDK the tests pin (the app itself does not import the SDK)."""

import re
import typing
from typing import Any, Literal

from openai.types.realtime.audio_transcription import AudioTranscription
from openai.types.realtime.realtime_audio_config_output import RealtimeAudioConfigOutput
from openai.types.realtime.realtime_session_create_request import RealtimeSessionCreateRequest

from therapy_desktop.realtime.session_config import DEFAULT_MODEL, REALTIME_MODELS, TRANSCRIPTION_MODELS, VOICES

DATED = re.compile(r"\d{4}-\d{2}-\d{2}$")


def _literals(annotation: Any) -> set[str]:
    if typing.get_origin(annotation) is Literal:
        return {a for a in typing.get_args(annotation) if isinstance(a, str)}
    return {value for arg in typing.get_args(annotation) for value in _literals(arg)}


def test_the_models_are_the_sdks_ga_speech_models_newest_full_first():
    sdk = {n for n in _literals(RealtimeSessionCreateRequest.model_fields["model"].annotation)
           if n.startswith("gpt-realtime") and not DATED.search(n)}
    assert set(REALTIME_MODELS) == sdk
    assert DEFAULT_MODEL == "gpt-realtime-2.1"


def test_the_voices_and_transcription_models_are_the_sdks():
    assert set(VOICES) == _literals(RealtimeAudioConfigOutput.model_fields["voice"].annotation)
    sdk = {n for n in _literals(AudioTranscription.model_fields["model"].annotation) if "diarize" not in n and not DATED.search(n)}
    assert set(TRANSCRIPTION_MODELS) == sdk
