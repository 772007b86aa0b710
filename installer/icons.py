"""The app's icon, drawn from one description into every format the installers need.

`vidjil-local.svg` (Linux, scalable), PNGs (Linux hicolor sizes, the .deb, the tarball), `.ico`
(Windows: the executable, the installer, the Start menu) and `.icns` (the macOS bundle). The ICO and
ICNS files hold PNG images, which every supported Windows and macOS reads. Drawing here, rather than
committing binaries, keeps the icon a reviewable text.

    python installer/icons.py OUTPUT_DIR
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

NAME = "vidjil-local"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 32, 48, 256)
ICNS_TYPES = ((b"ic07", 128), (b"ic08", 256), (b"ic09", 512))
RGB = tuple[int, int, int]
BACKGROUND: RGB = (29, 79, 145)
BAR: RGB = (255, 255, 255)
DOMINANT: RGB = (255, 204, 51)
# In a 1 x 1 square: the rounded tile, then the bars of a clone-size chart (the dominant clone
# yellow), each (left, top, right, bottom).
TILE = (0.0625, 0.0625, 0.9375, 0.9375)
TILE_RADIUS = 0.18
BASELINE = 0.78
BARS: tuple[tuple[float, float, RGB], ...] = (
    (0.20, 0.56, BAR),
    (0.33, 0.40, BAR),
    (0.46, 0.22, DOMINANT),
    (0.59, 0.48, BAR),
    (0.72, 0.62, BAR),
)
BAR_WIDTH = 0.09


def bar_boxes() -> list[tuple[tuple[float, float, float, float], RGB]]:
    return [((left, top, left + BAR_WIDTH, BASELINE), color) for left, top, color in BARS]


def svg() -> str:
    left, top, right, bottom = (value * 512 for value in TILE)
    shapes = [
        f'<rect x="{left:g}" y="{top:g}" width="{right - left:g}" height="{bottom - top:g}" '
        f'rx="{TILE_RADIUS * 512:g}" fill="#{_hex(BACKGROUND)}"/>'
    ]
    for (x0, y0, x1, y1), color in bar_boxes():
        shapes.append(
            f'<rect x="{x0 * 512:g}" y="{y0 * 512:g}" width="{(x1 - x0) * 512:g}" '
            f'height="{(y1 - y0) * 512:g}" fill="#{_hex(color)}"/>'
        )
    body = "\n  ".join(shapes)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">\n'
        f"  <title>{NAME}</title>\n  {body}\n</svg>\n"
    )


def _hex(color: RGB) -> str:
    return "".join(f"{channel:02x}" for channel in color)


def rgba(size: int) -> bytes:
    """The icon as `size` x `size` RGBA rows, anti-aliased."""
    rows = bytearray()
    boxes = [
        ((x0 * size, y0 * size, x1 * size, y1 * size), color)
        for (x0, y0, x1, y1), color in bar_boxes()
    ]
    for y in range(size):
        for x in range(size):
            alpha = _tile_coverage(x, y, size)
            color = BACKGROUND
            for box, bar_color in boxes:
                share = _box_overlap(box, x, y)
                if share > 0:
                    color = _mix(color, bar_color, share)
            rows += bytes((*color, round(255 * alpha)))
    return bytes(rows)


def _mix(under: RGB, over: RGB, share: float) -> RGB:
    return (
        round(under[0] + (over[0] - under[0]) * share),
        round(under[1] + (over[1] - under[1]) * share),
        round(under[2] + (over[2] - under[2]) * share),
    )


def _box_overlap(box: tuple[float, float, float, float], x: int, y: int) -> float:
    x0, y0, x1, y1 = box
    width = max(0.0, min(x1, x + 1) - max(x0, x))
    height = max(0.0, min(y1, y + 1) - max(y0, y))
    return width * height


def _tile_coverage(x: int, y: int, size: int, samples: int = 4) -> float:
    """The share of pixel (x, y) inside the rounded tile: exact away from the corners and the
    edges, sampled 4 x 4 near them."""
    left, top, right, bottom = (value * size for value in TILE)
    radius = TILE_RADIUS * size
    if x + 1 <= left or x >= right or y + 1 <= top or y >= bottom:
        return 0.0
    in_x = left <= x and x + 1 <= right
    in_y = top <= y and y + 1 <= bottom
    if (
        in_x
        and in_y
        and (left + radius <= x <= right - radius - 1 or top + radius <= y <= bottom - radius - 1)
    ):
        return 1.0
    inside = 0
    for sub_y in range(samples):
        for sub_x in range(samples):
            point_x = (x + (sub_x + 0.5) / samples) / size
            point_y = (y + (sub_y + 0.5) / samples) / size
            inside += _in_rounded_tile(point_x, point_y)
    return inside / samples**2


def _in_rounded_tile(x: float, y: float) -> bool:
    left, top, right, bottom = TILE
    if not (left <= x <= right and top <= y <= bottom):
        return False
    corner_x = min(max(x, left + TILE_RADIUS), right - TILE_RADIUS)
    corner_y = min(max(y, top + TILE_RADIUS), bottom - TILE_RADIUS)
    return math.hypot(x - corner_x, y - corner_y) <= TILE_RADIUS


def png(size: int) -> bytes:
    pixels = rgba(size)
    stride = size * 4
    raw = b"".join(b"\x00" + pixels[row * stride : (row + 1) * stride] for row in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def ico(images: dict[int, bytes]) -> bytes:
    sizes = [size for size in ICO_SIZES if size in images]
    offset = 6 + 16 * len(sizes)
    directory, data = b"", b""
    for size in sizes:
        image = images[size]
        side = size if size < 256 else 0  # 0 means 256 in an ICO directory
        directory += struct.pack(
            "<BBBBHHII", side, side, 0, 0, 1, 32, len(image), offset + len(data)
        )
        data += image
    return struct.pack("<HHH", 0, 1, len(sizes)) + directory + data


def icns(images: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_icons(folder: Path) -> dict[str, Path]:
    """Write every icon file into `folder`; their paths by kind ("svg", "ico", "icns", "png256")."""
    folder.mkdir(parents=True, exist_ok=True)
    images = {size: png(size) for size in PNG_SIZES}
    written = {
        "svg": folder / f"{NAME}.svg",
        "ico": folder / f"{NAME}.ico",
        "icns": folder / f"{NAME}.icns",
    }
    written["svg"].write_text(svg(), encoding="utf-8")
    written["ico"].write_bytes(ico(images))
    written["icns"].write_bytes(icns(images))
    for size, image in images.items():
        path = folder / f"{NAME}-{size}.png"
        path.write_bytes(image)
        written[f"png{size}"] = path
    return written


if __name__ == "__main__":
    for path in write_icons(Path(sys.argv[1])).values():
        print(path)
