"""The built client is self-contained: relative asset paths, and no address outside the app
except XML namespace names (which browsers never fetch)."""

from __future__ import annotations

import re
from pathlib import Path

XML_NAMESPACES = re.compile(
    r"^http://www\.w3\.org/(1999/xhtml|1999/xlink|2000/svg|2000/xmlns/|XML/1998/namespace)$"
)
ADDRESS = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'`)]*""")


def test_assets_are_relative_so_the_app_mounts_under_any_prefix(built_client: Path) -> None:
    index = (built_client / "index.html").read_text()
    sources = re.findall(r'(?:src|href)="([^"]+)"', index)
    assets = [source for source in sources if not source.startswith("data:")]
    assert assets, "index.html loads no script or stylesheet"
    assert all(source.startswith("./assets/") for source in assets), assets
    for asset in assets:
        assert (built_client / asset).is_file()


def test_nothing_in_the_build_points_outside_the_app(built_client: Path) -> None:
    outside = []
    for path in sorted(built_client.rglob("*")):
        if path.suffix not in {".html", ".js", ".css"}:
            continue
        for address in ADDRESS.findall(path.read_text()):
            if not XML_NAMESPACES.match(address):
                outside.append(f"{path.name}: {address}")
    assert outside == []
