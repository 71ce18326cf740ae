"""Audio errors; `str()` is the sentence to show the person."""


class AudioError(Exception):
    pass


class AudioDeviceError(AudioError):
    """A microphone or speaker could not be opened or stopped working."""


class AudioFileError(AudioError):
    """A WAV file given as microphone or speaker could not be read or written."""
