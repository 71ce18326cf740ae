"""The package's public names are exactly what `__init__` exports (httpx's test_exported_members)."""

from __future__ import annotations

import therapy_desktop.storage as storage


def test_all_is_the_public_surface() -> None:
    exported = {name for name in dir(storage) if not name.startswith("_")}
    modules = {"connection", "errors", "export", "owners", "paths", "queries", "records", "schema", "store",
               "wording", "writer", "writes", "annotations", "consent", "safety_plans"}
    assert exported - modules == set(storage.__all__)
