# Shared by scripts/run-app and scripts/test (sourced, not run): install Debian packages that
# are missing, and a virtual environment in .venv with the project installed.

APP_PACKAGES="libportaudio2 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 \
libfontconfig1 libdbus-1-3 fonts-dejavu-core"
# postgresql: the clinic backend's tests start a throwaway cluster with its server binaries.
# strace: the privacy test watches a Demo run for any outbound attempt.
# gnome-keyring, dbus (dbus-daemon, dbus-send): the real Secret Service keyring test (tests/secret_service.py).
# openssl: the untrusted-certificate error test makes a self-signed certificate.
TEST_PACKAGES="espeak-ng pulseaudio pulseaudio-utils libasound2-plugins iproute2 util-linux postgresql strace \
gnome-keyring dbus openssl"

install_debian_packages() {
    missing=""
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
    done
    python3 -c "import ensurepip, venv" 2>/dev/null || missing="$missing python3-venv"
    [ -z "$missing" ] && return 0
    echo "Installing Debian packages:$missing"
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

ensure_venv() {  # $1: the pip extras to install, e.g. "[dev,backend]" or ""
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "Therapy Desktop needs Python 3.11 or newer; python3 is $(python3 --version)." >&2
        exit 1
    }
    [ -x .venv/bin/python ] || python3 -m venv .venv
    stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)$1"
    if [ ! -f "$stamp" ]; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet --editable ".$1"
        touch "$stamp"
    fi
}
