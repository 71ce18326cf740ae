"""Audio in and out: microphone → paced WebRTC track; therapist track → jitter buffer → speaker.

No Qt. Sources and sinks are swappable: sounddevice devices for people, WAV files for QA.
"""
