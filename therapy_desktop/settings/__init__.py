"""The person's choices (connection, model, voice, turn taking…) in one small versioned JSON file.
Never secrets: the API key and the clinic token live only in the OS keyring."""

from therapy_desktop.settings.model import Settings, SettingsProblem, validate
from therapy_desktop.settings.overrides import EnvironmentOverride, environment_overrides
from therapy_desktop.settings.store import CONFIG_DIR_ENV, SettingsSaveError, SettingsStore, config_dir

__all__ = [
    "CONFIG_DIR_ENV",
    "EnvironmentOverride",
    "Settings",
    "SettingsProblem",
    "SettingsSaveError",
    "SettingsStore",
    "config_dir",
    "environment_overrides",
    "validate",
]
