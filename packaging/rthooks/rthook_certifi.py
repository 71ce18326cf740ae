# Frozen, the bundled OpenSSL looks for CA certificates where the *build* machine had them, which may not
# exist on the user's machine (pitfalls 34, pyinstaller#6667). httpx and aiohttp's default contexts then
# fail with CERTIFICATE_VERIFY_FAILED; point them at the bundled certifi unless the user chose a file.
import os

import certifi

os.environ.setdefault("SSL_CERT_FILE", certifi.where())
