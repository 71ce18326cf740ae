"""`therapy-desktop-engine`: the local realtime engine on its own, for demos, QA and benchmarks."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import signal
import sys

from therapy_desktop.engine.server import LOOPBACK, LocalEngine


class _StartFailed(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="therapy-desktop-engine", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--api-key", help="the key clients must present (default: a random one, printed)")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, not {args.port}")
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(args.port, args.api_key))
    except _StartFailed as exc:
        print(f"therapy-desktop-engine: error: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0


async def _serve(port: int, api_key: str | None) -> None:
    engine = LocalEngine(port=port, api_key=api_key)
    try:
        await engine.start()  # binds before it loads any model
    except OSError as exc:
        await engine.stop()
        reason = "the port is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        raise _StartFailed(f"cannot listen on {LOOPBACK}:{port}: {reason}") from None
    print(f"OPENAI_BASE_URL={engine.base_url}", flush=True)
    print(f"OPENAI_API_KEY={engine.api_key}", flush=True)
    await engine.models.ready()
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await engine.stop()


if __name__ == "__main__":
    raise SystemExit(main())
