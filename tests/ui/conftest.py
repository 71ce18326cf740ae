import asyncio

import pytest
import qasync


@pytest.fixture
def qloop(qapp):
    """A qasync loop on the test's QApplication, as the app runs: Qt and asyncio on one thread."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()  # stops qasync's executor threads before Qt tears them down
    asyncio.set_event_loop(None)


async def wait_until(condition, timeout: float, message: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting until {message}")
        await asyncio.sleep(0.05)
