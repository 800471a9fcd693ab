#!/usr/bin/env bash
# Renders Ferry's icon set from the SVG sources and writes the files that are committed beside them:
#   ferry-<size>.png   16 to 1024 px (16 from ferry-16.svg, drawn on the pixel grid; the rest from ferry.svg)
#   ferry.ico          Windows, 16 to 256 px in one file
#   ferry.icns         macOS, 16 to 1024 px as PNG chunks
#   the window icons the app loads from its class path (src/main/resources/dev/ferry/app/icons/)
# Needs rsvg-convert (Debian: librsvg2-bin), ImageMagick's convert (for the .ico) and python3 (for the .icns).
# Run it after changing an SVG; the build itself only uses the rendered files.
set -euo pipefail
cd "$(dirname "$0")"

for tool in rsvg-convert python3; do
    command -v "$tool" >/dev/null || { echo "render.sh: $tool is missing (Debian: apt-get install librsvg2-bin python3)" >&2; exit 2; }
done
CONVERT=$(command -v magick || true)
[ -n "$CONVERT" ] || CONVERT=/usr/bin/convert
[ -x "$CONVERT" ] || { echo "render.sh: ImageMagick is missing (Debian: apt-get install imagemagick)" >&2; exit 2; }

SIZES="16 24 32 48 64 128 256 512 1024"
for size in $SIZES; do
    source=ferry.svg
    [ "$size" = 16 ] && source=ferry-16.svg
    rsvg-convert --width "$size" --height "$size" "$source" --output "ferry-$size.png"
done

"$CONVERT" ferry-16.png ferry-24.png ferry-32.png ferry-48.png ferry-64.png ferry-128.png ferry-256.png ferry.ico

# An .icns file is 'icns', its total length, then chunks of a four-letter type, the chunk's length and a PNG.
python3 - <<'PY'
import struct
chunks = [("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512),
          ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256), ("ic14", 512)]
body = b""
for kind, size in chunks:
    with open(f"ferry-{size}.png", "rb") as f:
        png = f.read()
    body += kind.encode("ascii") + struct.pack(">I", 8 + len(png)) + png
with open("ferry.icns", "wb") as f:
    f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
PY

resources=../src/main/resources/dev/ferry/app/icons
mkdir -p "$resources"
for size in 16 24 32 48 64 128 256; do
    cp "ferry-$size.png" "$resources/ferry-$size.png"
done
echo "render.sh: icons written"
