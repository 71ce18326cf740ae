"""Sentences the audio layer shows the person (kept in one place)."""

MICROPHONE_FELL_BACK = "The microphone “{old}” stopped working; now using “{new}”."
SPEAKER_FELL_BACK = "The speaker “{old}” stopped working; now using “{new}”."
DEVICE_FALLBACK_FAILED = "A sound device stopped working and no other could be opened: {error}"
DEVICE_NOT_FOUND = "The {kind} “{name}” is not connected; using the system default instead."
NO_DEVICES = "No {kind} was found. Connect one, or check that this app is allowed to use it."
SILENT_RECORDING = (
    "The microphone recorded only silence. Check that it is not muted (a switch or a key on some "
    "laptops) and that this app is allowed to use it."
)
# Headphones chosen, but the microphone hears the speaker: the session turned echo cancellation on.
SPEAKER_IN_MICROPHONE = (
    "Your microphone was picking up the AI companion’s voice, so the app turned on echo cancellation "
    "(Speakers) for this session. You can keep talking as before. Wearing headphones? Choose Headphones "
    "under Listening."
)
