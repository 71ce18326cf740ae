"""The clinic backend: a token broker that keeps the clinic's OpenAI key off the desktops.

It authenticates a person by a signed bearer token, mints a short-lived Realtime client secret
with a session configuration built here (the desktop cannot change the instructions), records the
session, and enforces the clinic's limits in the database so several instances agree.

A separate server: it imports nothing from the desktop layers (an import-linter contract).
"""
