"""The person's safety plan, kept beside the history as one JSON file (0600, written atomically)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from therapy_desktop.storage.paths import data_dir
from therapy_desktop.therapy.safety_plan import SafetyPlan

SAFETY_PLAN_FILE = "safety-plan.json"


def safety_plan_path(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / SAFETY_PLAN_FILE


def load_safety_plan(folder: Path | None = None) -> SafetyPlan:
    """The saved plan, or an empty one. Raises `SafetyPlanError` (a sentence) for a damaged file,
    which is left untouched."""
    path = safety_plan_path(folder)
    if not path.exists():
        return SafetyPlan()
    return SafetyPlan.from_json(path.read_text(encoding="utf-8"))


def save_safety_plan(plan: SafetyPlan, folder: Path | None = None) -> Path:
    path = safety_plan_path(folder)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".safety-plan-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(plan.to_json())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
