import asyncio

import pytest
import qasync

from tests.waiting import wait_until  # noqa: F401 - re-exported for the UI tests


@pytest.fixture
def qloop(qapp):
    """A qasync loop on the test's QApplication, as the app runs: Qt and asyncio on one thread."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()  # stops qasync's executor threads before Qt tears them down
    asyncio.set_event_loop(None)
