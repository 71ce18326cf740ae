# No hook for aiortc exists in PyInstaller or hooks-contrib (pitfalls 46). Its imports are static, so
# the analysis finds them; its codecs are named here because aiortc picks them by MIME type at run time
# (aiortc.codecs.get_encoder) and a future release could load them lazily. PyAV (its Opus and VPX
# codecs) comes with hooks-contrib's hook-av; pylibsrtp and google_crc32c are found through their imports.
from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("aiortc.codecs")
# aiortc.contrib (MediaPlayer, MediaRecorder, signaling) is not used by the app.
excludedimports = ["aiortc.contrib"]
