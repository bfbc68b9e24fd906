"""The URLs MkDocs gives generated pages, for links written as raw HTML (MkDocs rewrites only
Markdown links): docs/papers/x.md is built as papers/x/ (use_directory_urls, the default) or as
papers/x.html."""

from __future__ import annotations

from markupsafe import Markup

from .markdown import markup


def page_url(path: str, directory_urls: bool) -> str:
    """The URL, relative to the site's root, of the page built from docs/<path>."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else f"{stem}/"


def to_root(path: str, directory_urls: bool) -> Markup:
    """From the page built from docs/<path> up to the site's root: "../" per folder of its URL."""
    return markup("../" * page_url(path, directory_urls).count("/"))


def linker(path: str, directory_urls: bool):
    """href(target) for the page at docs/<path>: the relative URL of docs/<target>, a page (.md) or a file."""
    root = str(to_root(path, directory_urls))

    def href(target: str) -> Markup:  # a list page has a hundred links: one Markup each, no Markup sums
        return markup(root + (page_url(target, directory_urls) if target.endswith(".md") else target))

    return href


def sibling_url(name: str, directory_urls: bool) -> Markup:
    """From a page built from docs/<folder>/*.md to the one built from docs/<folder>/<name>.md."""
    return markup(f"../{name}/" if directory_urls else f"{name}.html")
