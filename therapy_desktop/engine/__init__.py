"""The local realtime engine: a GA-conformant Realtime API on 127.0.0.1 with a scripted,
offline therapist. It is Demo mode, and the test double for the client."""

from therapy_desktop.engine import privacy

# First, before anything below can import onnxruntime or huggingface_hub: they read these at import.
privacy.keep_offline()

from therapy_desktop.engine.server import LocalEngine  # noqa: E402

__all__ = ["LocalEngine"]
