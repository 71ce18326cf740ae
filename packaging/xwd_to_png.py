"""Convert Xvfb's frame buffer (an XWD file, from `Xvfb -fbdir`) to PNG, standard library only.

`python3 xwd_to_png.py IN.xwd OUT.png` exits 1 if the picture is (nearly) one colour: nothing painted.
Handles what Xvfb writes: ZPixmap, 24-bit depth in 32 bits per pixel, either byte order.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

_HEADER_FIELDS = 25
MIN_COLOURS = 16  # a drawn window has text, edges and buttons; an empty screen has one colour


def read_xwd(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes)."""
    header = struct.unpack_from(">25I", data, 0)
    header_size, _version, pixmap_format, depth, width, height = header[:6]
    byte_order, bits_per_pixel, bytes_per_line = header[7], header[11], header[12]
    red_mask, green_mask, blue_mask, ncolors = header[14], header[15], header[16], header[19]
    if pixmap_format != 2 or bits_per_pixel != 32 or depth not in (24, 32):
        raise ValueError(f"unsupported XWD: format {pixmap_format}, depth {depth}, {bits_per_pixel} bpp")
    offset = header_size + ncolors * 12
    order = "<" if byte_order == 0 else ">"
    shifts = [(mask, (mask & -mask).bit_length() - 1) for mask in (red_mask, green_mask, blue_mask)]
    rows = []
    for y in range(height):
        line = data[offset + y * bytes_per_line: offset + y * bytes_per_line + width * 4]
        pixels = struct.unpack(f"{order}{width}I", line)
        rows.append(bytes(v for p in pixels for v in ((p & m) >> s for m, s in shifts)))
    return width, height, rows


def write_png(path: Path, width: int, height: int, rows: list[bytes]) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\0" + row for row in rows)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def colours(rows: list[bytes], limit: int = 1000) -> int:
    seen: set[bytes] = set()
    for row in rows[::4]:
        for x in range(0, len(row), 12):
            seen.add(row[x:x + 3])
            if len(seen) >= limit:
                return len(seen)
    return len(seen)


def main(argv: list[str]) -> int:
    width, height, rows = read_xwd(Path(argv[1]).read_bytes())
    write_png(Path(argv[2]), width, height, rows)
    found = colours(rows)
    print(f"screenshot {width}x{height}, {found} colours -> {argv[2]}")
    return 0 if found >= MIN_COLOURS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
