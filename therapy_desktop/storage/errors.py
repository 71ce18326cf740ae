"""What can go wrong with the history, each error's `str()` the sentence to show.

    StorageError
     ├── HistoryUnreadable      the file is not a database we can read (corrupt, not SQLite, no permission)
     ├── HistoryTooNew          written by a newer version of the app: we do not downgrade it
     ├── UnknownSession         no session with that id (also a LookupError)
     └── StoreClosed            the store was closed (or everything deleted) before the call
"""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """The root of the storage errors."""


class HistoryUnreadable(StorageError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"The session history at {path} cannot be read ({detail}).")
        self.path, self.detail = path, detail


class HistoryTooNew(StorageError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"The session history at {path} was written by a newer version of Therapy Desktop "
            f"(schema {found}; this version reads up to {supported}). Update the app to open it."
        )
        self.path, self.found, self.supported = path, found, supported


class UnknownSession(StorageError, LookupError):
    def __init__(self, session_id: str) -> None:
        super().__init__(f"No session with id {session_id!r} in the history.")
        self.session_id = session_id


class StoreClosed(StorageError):
    def __init__(self) -> None:
        super().__init__("The session history is closed.")
