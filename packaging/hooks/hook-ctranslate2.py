# No hook for ctranslate2 exists (pitfalls 46). The frozen app must carry the compiled extension and
# libctranslate2 + its OpenMP runtime (ctranslate2.libs/ on Linux, DLLs next to the package on Windows,
# which ctranslate2/__init__.py loads by globbing its own folder): collect_dynamic_libs takes them all.
# The converters import torch/transformers; they only convert models, never needed to run one.
from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("ctranslate2")
hiddenimports = ["ctranslate2._ext", "ctranslate2.extensions", "ctranslate2.logging"]
excludedimports = ["ctranslate2.converters", "ctranslate2.specs", "torch", "transformers"]
