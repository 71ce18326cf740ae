# No hook for piper exists (pitfalls 46). piper finds espeak-ng's data by path, next to its own module
# (piper/phonemize_espeak.py: Path(__file__).parent / "espeak-ng-data"), and espeakbridge.so receives that
# path at run time, so the folder must keep its place in the bundle: _internal/piper/espeak-ng-data
# (OHF-Voice/piper1-gpl#272 is the build-time-path trap of older releases; the smoke test proves this one).
# Of its pronunciation dictionaries only English is kept: the bundled voice (joe-us) speaks en-us, and
# espeak-ng opens only the dictionary of the voice's language (the other 100 or so are ~18 MB). Shipping
# a voice in another language means adding its <lang>_dict here.
# The Hebrew (21 MB nakdimon.onnx) and Arabic diacritizer data serve voices the app does not ship; the
# training code, the HTTP server and the voice downloader are not used either.
from pathlib import PurePath

from PyInstaller.utils.hooks import collect_data_files

KEEP_DICTS = {"en_dict"}

datas = [
    (source, dest) for source, dest in collect_data_files("piper", includes=["espeak-ng-data/**/*"])
    if not (PurePath(source).name.endswith("_dict") and PurePath(source).name not in KEEP_DICTS)
]
hiddenimports = ["piper.espeakbridge"]
excludedimports = ["piper.train", "piper.http_server", "piper.download_voices", "flask"]
