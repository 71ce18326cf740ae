"""The window's loop batches `call_soon` into one Qt timer per pass, with asyncio's semantics."""

import asyncio

from therapy_desktop.ui import event_loop


def test_callbacks_run_in_the_order_they_were_scheduled_and_later_ones_on_the_next_pass(qloop):
    ran = []

    def first():
        ran.append("first")
        qloop.call_soon(ran.append, "scheduled by first")

    qloop.call_soon(first)
    qloop.call_soon(ran.append, "second")
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert ran == ["first", "second", "scheduled by first"]


def test_a_cancelled_callback_does_not_run_and_a_failing_one_reaches_the_handler(qloop):
    ran, errors = [], []
    qloop.set_exception_handler(lambda loop, context: errors.append(context["exception"]))
    qloop.call_soon(ran.append, "cancelled").cancel()
    qloop.call_soon(lambda: 1 / 0)
    qloop.call_soon(ran.append, "after the failure")
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert ran == ["after the failure"]
    assert [type(e) for e in errors] == [ZeroDivisionError]


def test_futures_tasks_and_other_threads_work_through_it(qloop):
    async def body():
        loop = asyncio.get_running_loop()
        assert isinstance(loop, event_loop.BatchingQEventLoop)
        from_thread = await loop.run_in_executor(None, lambda: "from a thread")
        woken = loop.create_future()
        loop.call_soon_threadsafe(woken.set_result, "threadsafe")
        results = await asyncio.gather(*(asyncio.sleep(0.001 * i, result=i) for i in range(50)))
        return from_thread, await woken, results

    assert qloop.run_until_complete(body()) == ("from a thread", "threadsafe", list(range(50)))
