import asyncio

import pytest

from tests.waiting import wait_until  # noqa: F401 - re-exported for the UI tests
from therapy_desktop.ui.event_loop import BatchingQEventLoop


@pytest.fixture
def qloop(qapp):
    """The app's qasync loop on the test's QApplication: Qt and asyncio on one thread."""
    loop = BatchingQEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()  # stops qasync's executor threads before Qt tears them down
    asyncio.set_event_loop(None)
