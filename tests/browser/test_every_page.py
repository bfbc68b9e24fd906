"""Every kind of page loads in the browser with no console error, no failed request and no
request to another host (the `open_page` fixture fails the test on any)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from . import site_ui as ui


def one_of_each_kind(page, site_url: str) -> list[str]:
    """The pages of the sitemap as paths below the site's root, keeping every page outside
    papers/ and topics/ but only the first paper and the first topic: the rest share a template."""
    sitemap = page.request.get(urljoin(site_url, "sitemap.xml")).text()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations, "the sitemap lists no page"
    home = min(locations, key=len)  # the published site_url; every page sits below it
    paths, kinds = [], set()
    for path in sorted(location.removeprefix(home) for location in locations):
        kind = path.split("/")[0] if path.startswith(("papers/", "topics/")) and path != "topics/" else path
        if kind not in kinds:
            kinds.add(kind)
            paths.append(path)
    return paths


def test_one_page_of_each_kind_loads_cleanly(page, site_url):
    paths = one_of_each_kind(page, site_url)
    assert {"", "topics/", "code/available/"} <= set(paths)
    assert any(path.startswith("papers/") for path in paths) and len(paths) >= 8
    for path in paths:
        ui.goto(page, site_url, path)
        assert page.locator("article h1").count() == 1, path

