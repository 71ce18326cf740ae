"""`therapy-desktop-engine`: the local realtime engine on its own, for demos, QA and benchmarks."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from therapy_desktop.engine.server import LocalEngine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="therapy-desktop-engine", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--api-key", help="the key clients must present (default: a random one, printed)")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.port, args.api_key))
    return 0


async def _serve(port: int, api_key: str | None) -> None:
    engine = LocalEngine(port=port, api_key=api_key)
    await engine.start()
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
