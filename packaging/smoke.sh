#!/bin/sh
# Smoke test of the built bundle (Linux): packaging/smoke.sh [dist/TherapyDesktop]
#
# 1. No library in the bundle asks for an executable stack (glibc >= 2.41 refuses to load those).
# 2. A whole Demo session, headless, with no network (a new network namespace with only loopback up)
#    and an empty environment (env -i HOME=<tmp> PATH=/usr/bin:/bin): the AI greets, the person's
#    speech (espeak-ng, after 3 s of silence for the greeting) is heard and answered; the transcript
#    must hold user and assistant items and the speaker WAV must hold sound.
# 3. keyring works frozen (pitfalls 33): a key stored in a fresh gnome-keyring (its own D-Bus session)
#    is found by the bundle in OpenAI mode, offline: it must fail at the network, not for want of a key,
#    and never print the key. SMOKE_PYTHON (default .venv/bin/python) stores the key.
# 4. The window opens under Xvfb (same empty environment): seen by xwininfo, a screenshot taken from
#    Xvfb's frame buffer (smoke-window.png), then SIGTERM, and the process must be gone within 10 s.
# Prints the timings it measured. Needs: espeak-ng, xvfb (xvfb-run), x11-utils, util-linux (unshare),
# iproute2, dbus + gnome-keyring, and python3 (standard library only, for the checks). Exit status 0 only if all passed.
set -eu
cd "$(dirname "$0")/.."
BUNDLE=$(cd "${1:-dist/TherapyDesktop}" && pwd)
BIN="$BUNDLE/TherapyDesktop"
[ -x "$BIN" ] || { echo "smoke: no bundle at $BUNDLE (build it: pyinstaller build.spec)" >&2; exit 1; }
for tool in espeak-ng xvfb-run xwininfo unshare ip python3 dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "smoke: $tool is missing (see packaging/README.md)" >&2; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/td-smoke.XXXXXX")
OUT=${SMOKE_OUT:-$PWD/dist}
mkdir -p "$OUT"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
now() { python3 -c 'import time; print(f"{time.monotonic():.2f}")'; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

echo "smoke: 1/4 executable stacks"
python3 packaging/execstack.py "$BUNDLE" || fail "libraries that need an executable stack (patchelf --clear-execstack)"

echo "smoke: 2/4 headless Demo session, offline, empty environment"
mkdir -p "$WORK/home"
espeak-ng -w "$WORK/speech.wav" "Hello. I have been feeling anxious about work lately."
python3 - "$WORK/speech.wav" "$WORK/mic.wav" <<'EOF'
import sys, wave
# 3 s of silence first: the Demo session starts with the AI's greeting, and the recording waits for it.
with wave.open(sys.argv[1]) as src:
    params, frames = src.getparams(), src.readframes(src.getnframes())
with wave.open(sys.argv[2], "wb") as dst:
    dst.setparams(params)
    dst.writeframes(b"\0" * (3 * params.framerate * params.sampwidth * params.nchannels) + frames)
EOF
start=$(now)
set +e
# unshare -n needs root or user namespaces; -r maps the caller to root inside when not root already.
if [ "$(id -u)" = 0 ]; then userns=""; else userns="-r"; fi
unshare $userns -n sh -c 'ip link set lo up && exec env -i HOME="$1" PATH=/usr/bin:/bin "$2" --headless \
    --mode demo --accept-terms --mic-wav "$3/mic.wav" --transcript "$3/transcript.json" \
    --speaker-wav "$3/speaker.wav" --timeout 150' smoke "$WORK/home" "$BIN" "$WORK" \
    >"$WORK/headless.out" 2>&1
status=$?
set -e
headless_seconds=$(python3 -c "print(f'{$(now) - $start:.1f}')")
if [ "$status" != 0 ]; then
    cat "$WORK/headless.out" >&2
    fail "the headless Demo session exited with status $status"
fi
python3 - "$WORK/transcript.json" "$WORK/speaker.wav" <<'EOF' || { cat "$WORK/headless.out" >&2; fail "transcript or speaker check"; }
import json, sys, wave, array
items = json.load(open(sys.argv[1], encoding="utf-8"))["items"]
roles = [i["role"] for i in items]
user = [i["text"] for i in items if i["role"] == "user"]
assistant = [i["text"] for i in items if i["role"] == "assistant"]
print("smoke: transcript roles:", roles)
print("smoke: the person said:", user)
assert user and any(t.strip() for t in user), "no user item with text"
assert assistant and any(t.strip() for t in assistant), "no assistant item with text"
assert any("anxious" in t.lower() or "work" in t.lower() for t in user), f"speech not recognised: {user}"
with wave.open(sys.argv[2]) as w:
    pcm = array.array("h", w.readframes(w.getnframes()))
    seconds = w.getnframes() / w.getframerate()
loud = sum(1 for s in pcm if abs(s) > 1000)
print(f"smoke: speaker WAV {seconds:.1f} s, {loud} loud samples")
assert seconds > 1 and loud > 1000, "the AI's voice is missing from the speaker WAV"
EOF
# The crisis net's sentence model is package data a missing hook would leave out: the net would fall
# back to its word layer and log why (in the app's log folder under HOME, or on stderr).
if grep -rqs "sentence model unavailable" "$WORK/home" "$WORK/headless.out"; then
    grep -rhs "sentence model unavailable" "$WORK/home" "$WORK/headless.out" >&2
    fail "the crisis net's sentence model did not load from the bundle"
fi
echo "smoke: headless session passed in ${headless_seconds} s"

echo "smoke: 3/4 keyring's Secret Service backend, frozen"
# A fresh D-Bus session with an unlocked gnome-keyring; the key is stored by the build's Python (keyring
# from the venv: the bundle has no command that stores one), then read by the bundle in OpenAI mode.
cat >"$WORK/keyring.sh" <<'EOF'
#!/bin/sh
set -u
work=$1 bin=$2 python=$3 key=$5
# Its own HOME: the daemon keeps its keyrings there, never in the user's.
export HOME="$work/keyring-home" XDG_DATA_HOME="$work/keyring-home/.local/share"
echo -n smoke | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
sleep 1
"$python" -c "import sys, keyring; keyring.set_password('therapy-desktop', 'openai-api-key', sys.argv[1])" "$key" || exit 3
unshare $4 -n env -i HOME="$work/keyring-home" PATH=/usr/bin:/bin DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" \
    "$bin" --headless --mode openai --accept-terms --timeout 10 >"$work/keyring.out" 2>&1
exit 0
EOF
mkdir -p "$WORK/keyring-home"
if [ "$(id -u)" = 0 ]; then userns=""; else userns="-r"; fi
SMOKE_PYTHON=${SMOKE_PYTHON:-.venv/bin/python}
[ -x "$SMOKE_PYTHON" ] || fail "SMOKE_PYTHON ($SMOKE_PYTHON) must be a Python with keyring, to store the test key"
# A throwaway value made for this run: nothing key-shaped is kept in the tree.
SMOKE_KEY="smoke-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
timeout 90 dbus-run-session -- sh "$WORK/keyring.sh" "$WORK" "$BIN" "$SMOKE_PYTHON" "$userns" "$SMOKE_KEY" 2>/dev/null \
    || fail "could not store a key in a fresh gnome-keyring"
if grep -q "No OpenAI API key is set" "$WORK/keyring.out"; then
    cat "$WORK/keyring.out" >&2; fail "the bundle did not find the key in the Secret Service (keyring backends?)"
fi
grep -Eq "cannot reach|could not be found|is not answering" "$WORK/keyring.out" || { cat "$WORK/keyring.out" >&2; fail "OpenAI mode offline: expected a network error"; }
if grep -qF "$SMOKE_KEY" "$WORK/keyring.out"; then fail "the key appeared in the output"; fi
echo "smoke: the bundle read the key from the Secret Service: $(tail -1 "$WORK/keyring.out")"

echo "smoke: 4/4 window under Xvfb"
mkdir -p "$WORK/fb"
cat >"$WORK/window.sh" <<'EOF'
#!/bin/sh
# Inside xvfb-run: start the app (empty environment but the display and its cookie), wait for its window, screenshot, SIGTERM.
set -u
work=$1 bin=$2
now() { python3 -c 'import time; print(f"{time.monotonic():.2f}")'; }
start=$(now)
env -i HOME="$work/home" PATH=/usr/bin:/bin DISPLAY="$DISPLAY" XAUTHORITY="${XAUTHORITY:-}" "$bin" --mode demo >"$work/window.out" 2>&1 &
pid=$!
shown=""
i=0
while [ $i -lt 600 ]; do  # 60 s
    # The app's top-level window: titled "Therapy Desktop...", bigger than Qt's 1x1 leader window, mapped.
    id=$(xwininfo -root -tree 2>/dev/null | grep -E '"Therapy Desktop[^"]*": \(.*\) +[0-9]{2,}x[0-9]{2,}' | awk '{print $1}' | head -1)
    if [ -n "$id" ] && xwininfo -id "$id" 2>/dev/null | grep -q "IsViewable"; then shown=$(now); break; fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$shown" ]; then
    echo "no window appeared" >"$work/window.result"
    kill -TERM $pid 2>/dev/null
    exit 1
fi
sleep 3  # let it paint (and the Demo engine warm up behind it) before the screenshot
xwininfo -id "$id" | grep -E "xwininfo:|Width|Height|Map State" >"$work/windows.txt"
cp "$work/fb/Xvfb_screen0" "$work/screen.xwd"
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    echo "still running 10 s after SIGTERM" >"$work/window.result"
    exit 1
fi
python3 -c "print(f'{$shown - $start:.2f}')" >"$work/window.result"
EOF
chmod +x "$WORK/window.sh"
set +e
timeout 120 xvfb-run -a -s "-screen 0 1280x800x24 -fbdir $WORK/fb" "$WORK/window.sh" "$WORK" "$BIN"
status=$?
set -e
result=$(cat "$WORK/window.result" 2>/dev/null || echo "xvfb-run failed")
if [ "$status" != 0 ]; then
    cat "$WORK/window.out" >&2 2>/dev/null || true
    fail "window: $result"
fi
python3 packaging/xwd_to_png.py "$WORK/screen.xwd" "$OUT/smoke-window.png" \
    || fail "the screenshot is blank: the window did not paint"
echo "smoke: windows: $(sed 's/^ *//' "$WORK/windows.txt" | tr '\n' ' ')"
echo "smoke: window shown ${result} s after exec; screenshot $OUT/smoke-window.png"
echo "smoke: PASSED (headless ${headless_seconds} s, cold start to window ${result} s)"
