"""Find and clear the executable-stack flag of shared libraries in a built bundle (Linux).

glibc 2.41 and later refuse to dlopen a library whose PT_GNU_STACK asks for an executable stack
("cannot enable executable stack as shared object requires"); some wheels (ctranslate2 among them,
pitfalls 46) have shipped such libraries. `python packaging/execstack.py DIR` lists them (exit 1 if any).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

_PT_GNU_STACK = 0x6474E551
_PF_X = 0x1


def has_executable_stack(path: Path) -> bool:
    """True if `path` is a 64- or 32-bit ELF file whose GNU_STACK segment is executable."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
            if len(head) < 52 or head[:4] != b"\x7fELF":
                return False
            is64, endian = head[4] == 2, "<" if head[5] == 1 else ">"
            if is64:
                phoff, = struct.unpack_from(endian + "Q", head, 0x20)
                phentsize, phnum = struct.unpack_from(endian + "HH", head, 0x36)
            else:
                phoff, = struct.unpack_from(endian + "I", head, 0x1C)
                phentsize, phnum = struct.unpack_from(endian + "HH", head, 0x2A)
            f.seek(phoff)
            table = f.read(phentsize * phnum)
    except OSError:
        return False
    for i in range(phnum):
        entry = table[i * phentsize:(i + 1) * phentsize]
        if len(entry) < 8:
            break
        p_type, = struct.unpack_from(endian + "I", entry, 0)
        flags, = struct.unpack_from(endian + "I", entry, 4 if is64 else 24)
        if p_type == _PT_GNU_STACK:
            return bool(flags & _PF_X)
    return False


def libraries_with_executable_stack(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and ".so" in p.name
                  and has_executable_stack(p))


def clear_executable_stacks(folder: Path) -> list[Path]:
    """Clear the flag with patchelf (>= 0.18) on every library that has it; fails the build if one
    remains, since the bundle would not start on current distributions."""
    found = libraries_with_executable_stack(folder)
    if not found:
        return []
    patchelf = shutil.which("patchelf")
    if patchelf is None:
        raise SystemExit(f"executable stack in {', '.join(map(str, found))}: install patchelf (>= 0.18) "
                         "and build again, it clears the flag")
    for path in found:
        subprocess.run([patchelf, "--clear-execstack", str(path)], check=True)
    left = [p for p in found if has_executable_stack(p)]
    if left:
        raise SystemExit(f"patchelf could not clear the executable stack of {', '.join(map(str, left))}")
    return found


if __name__ == "__main__":
    bad = libraries_with_executable_stack(Path(sys.argv[1]))
    for p in bad:
        print(f"executable stack: {p}")
    sys.exit(1 if bad else 0)
