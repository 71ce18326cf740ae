"""Every sentence about settings that a person may see (one place, for wording and translation)."""

from __future__ import annotations

UNKNOWN_MODEL = "Choose one of the listed models."
UNKNOWN_VOICE = "Choose one of the listed voices."
UNKNOWN_TRANSCRIPTION = "Choose one of the listed transcription models."
THRESHOLD = "The speech threshold must be between 0 and 1."
PADDING = "The speech lead-in must be between 0 and 2000 ms."
SILENCE = "The pause that ends a turn must be between 100 and 5000 ms."
IDLE = "The idle prompt must be between 5 and 600 seconds, or off."
SPEED = "The speaking speed must be between 0.25 and 1.5."
SESSION_MINUTES = "A session can last between 10 and 180 minutes."
BASE_URL = "The API address must be a web address starting with https:// (or http:// for this computer only)."
URL_WITH_PASSWORD = "Remove the user name and password from the address: secrets belong in the keyring fields."
LOOKS_LIKE_SECRET = "This looks like a key or token. Put it in the key field, where it is kept in the system keyring."
UNREADABLE_FILE = "Your settings file could not be read, so the defaults are used. It was kept as {name}."
DEVICE_NAME = "Choose a microphone and a speaker from the lists."
AUDIO_MODE = "Choose how you listen and talk."


def cannot_save(folder: str, reason: str) -> str:
    return f"Your settings could not be saved in {folder} ({reason}). Check that the folder is writable."

# -- the voice preview ----------------------------------------------------------------------------
PREVIEW_SENTENCE = "Hello. I'm the AI companion you will talk with. Take your time; I'm listening."
PREVIEW_PLAYED = "That was the voice {voice}. If you heard nothing, check the speaker on the Audio page."
PREVIEW_DEMO_PLAYED = ("That was Demo mode's own voice: the offline companion has only this one. The voice chosen "
                       "here is used in OpenAI mode.")
PREVIEW_NOT_IN_CLINIC_MODE = ("In Clinic backend mode there is no preview: your clinic's service speaks, and you "
                              "hear the voice when a session starts.")
PREVIEW_NO_SAMPLE = "There is no preview for the voice {voice}. Start a session to hear it."
PREVIEW_UNAVAILABLE = "A voice preview is not available here: start a session to hear the chosen voice."
PREVIEW_FETCHING = "Getting a sample of the voice…"
PREVIEW_PLAYING = "Playing the sample…"

# -- the Audio page --------------------------------------------------------------------------------
SYSTEM_DEFAULT = "System default"
SYSTEM_DEFAULT_NAMED = "System default ({name})"
NOT_CONNECTED = "{name} (not connected)"
THE_DEFAULT_SPEAKER = "the system's default speaker"
TONE_PLAYED = "A short tone played on {name}. If you heard nothing, check the volume and the speaker chosen here."
MIC_OK = "Recorded {seconds} seconds (loudest moment {peak} dB) and played them back. If you heard yourself, the microphone works."
MIC_QUIET = ("Recorded {seconds} seconds, but very quietly (loudest moment {peak} dB). Move closer, or raise the "
             "microphone's input volume in your system's sound settings.")
NO_MICROPHONE = ("No microphone was found. Connect one (or a headset), or allow this app to use the microphone in "
                 "your system's privacy settings, then press Rescan.")
NO_SPEAKER = "No speaker was found. Connect speakers or headphones, then press Rescan."
MIC_FAILED = ("The microphone could not be used. Check that it is connected, not used by another app and allowed "
              "for this app, then try again.")
SPEAKER_FAILED = ("The speaker could not be used. Check that it is connected and not used by another app, or choose "
                  "another one, then try again.")
SOUND_BUSY = "End the session first: a test or a rescan now would interrupt its sound."
PLAYING_TONE = "Playing a tone…"
RECORDING = "Recording for {seconds} seconds: say something…"
SCANNING = "Looking for sound devices…"
DEVICES_FOUND = "Found {inputs} microphones and {outputs} speakers."
MODES_TITLE = "How you listen and talk"
MODE_EXPLANATIONS = {
    "speakers": "For laptop or desk speakers. The app removes the AI companion's voice from the microphone, so you can interrupt it by speaking.",
    "headphones": "The AI companion cannot hear itself, so you can interrupt it by speaking at any time.",
    "half_duplex": "The microphone pauses while the AI companion speaks: the safest choice on speakers, but you cannot interrupt it; wait until it has finished.",
    "push_to_talk": "The microphone is open only while you hold Space or the Hold to talk button; letting go sends what you said.",
}
PUSH_TO_TALK_UNAVAILABLE = "Not in this version of the window: it has no Hold to talk button."
MODE_TITLES = {
    "speakers": "Speakers (echo cancellation)",
    "headphones": "Headphones",
    "half_duplex": "Take turns",  # the same names as the window's Listening choice (ui/texts.py)
    "push_to_talk": "Push to talk",
}
