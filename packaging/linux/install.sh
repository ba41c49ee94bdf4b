#!/usr/bin/env bash
# Installs the built caleol folder on Linux, with its menu entry and icons.
#
#   ./install.sh                 # for the current user, under ~/.local
#   sudo ./install.sh --system   # for every user, under /usr/local
#   ./install.sh --prefix DIR    # anywhere (DIR/lib/caleol, DIR/bin, DIR/share)
#   ./install.sh --uninstall [--system | --prefix DIR]
#
# Run it from the unpacked archive (it sits next to the `caleol` program), or from
# the source tree after `bash packaging/build.sh` (it then takes dist/caleol).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="$HOME/.local"
ACTION=install
while [ $# -gt 0 ]; do
    case "$1" in
        --system) PREFIX=/usr/local ;;
        --prefix) PREFIX="${2:?--prefix demande un dossier}"; shift ;;
        --uninstall) ACTION=uninstall ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "Option inconnue : $1" >&2; exit 2 ;;
    esac
    shift
done

if [ -x "$HERE/caleol" ] && [ -d "$HERE/_internal" ]; then
    SOURCE="$HERE"
else
    SOURCE="$(cd "$HERE/../.." && pwd)/dist/caleol"
fi
APP_DIR="$PREFIX/lib/caleol"
BIN="$PREFIX/bin/caleol"
SHARE="$PREFIX/share"
DESKTOP="$SHARE/applications/caleol.desktop"
METAINFO="$SHARE/metainfo/fr.caleol.Caleol.metainfo.xml"
SIZES="16 22 24 32 48 64 128 256"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$ACTION" = uninstall ]; then
    rm -rf "$APP_DIR"
    rm -f "$BIN" "$DESKTOP" "$METAINFO" "$SHARE/icons/hicolor/scalable/apps/caleol.svg"
    for size in $SIZES; do rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/caleol.png"; done
    refresh_caches
    echo "caleol a été désinstallé de $PREFIX (vos bases et sauvegardes sont conservées)."
    exit 0
fi

[ -x "$SOURCE/caleol" ] || {
    echo "Programme introuvable dans $SOURCE : lancez d'abord packaging/build.sh." >&2
    exit 1
}
ICONS="$SOURCE/_internal/caleol/resources/icons"

mkdir -p "$APP_DIR" "$(dirname "$BIN")" "$(dirname "$DESKTOP")" "$(dirname "$METAINFO")"
if [ "$SOURCE" != "$APP_DIR" ]; then
    rm -rf "$APP_DIR"
    cp -a "$SOURCE" "$APP_DIR"
fi
ln -sfn "$APP_DIR/caleol" "$BIN"
sed "s|^Exec=caleol|Exec=$APP_DIR/caleol|" "$HERE/caleol.desktop" >"$DESKTOP"
cp "$HERE/fr.caleol.Caleol.metainfo.xml" "$METAINFO"
for size in $SIZES; do
    install -D -m 644 "$ICONS/hicolor/${size}x${size}/apps/caleol.png" \
        "$SHARE/icons/hicolor/${size}x${size}/apps/caleol.png"
done
install -D -m 644 "$ICONS/caleol.svg" "$SHARE/icons/hicolor/scalable/apps/caleol.svg"
refresh_caches
echo "caleol est installé dans $APP_DIR ; commande : $BIN ; menu : Bureautique → caleol."
