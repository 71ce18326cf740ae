"""Benchmarks run by hand: how fast and light a session is, beside a browser WebRTC client.

`python -m benchmarks --help`; results and what they mean in benchmarks/README.md."""
