#!/usr/bin/env bash
# Renders the application icon (caleol/resources/icons/caleol*.svg) to the PNG sizes of
# the freedesktop hicolor theme and to a Windows .ico. Run after editing the SVGs; the
# results are committed (the build machines need no SVG renderer).
#   needs: rsvg-convert (librsvg2-bin) and ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")/../caleol/resources/icons"

SIZES="16 22 24 32 48 64 128 256"   # keep in sync with tests/test_packaging.py
SMALL_MAX=32                        # up to this size the simplified drawing is used

for size in $SIZES; do
    source_svg=caleol.svg
    [ "$size" -le "$SMALL_MAX" ] && source_svg=caleol-small.svg
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" "$source_svg" -o "hicolor/${size}x${size}/apps/caleol.png"
done
# Windows icon: the sizes Explorer and the taskbar ask for.
convert hicolor/16x16/apps/caleol.png hicolor/24x24/apps/caleol.png \
    hicolor/32x32/apps/caleol.png hicolor/48x48/apps/caleol.png \
    hicolor/64x64/apps/caleol.png hicolor/128x128/apps/caleol.png \
    hicolor/256x256/apps/caleol.png caleol.ico
echo "icônes rendues dans $(pwd)"
