"""Long lists of papers split into pages of PAGE_SIZE: a topic of 4 000 papers is 40 pages of 100.

So no listing page grows with the catalog (at 10 000 papers one list was a 1.4 MB page; at 5 000,
Python-Markdown took over a second for one), and an edit re-renders the one page of a list that
shows the paper, not the whole list.
Page 1 keeps the list's address (topics/vision.md → topics/vision/); page k is topics/vision/k.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from markupsafe import Markup

PAGE_SIZE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    path: str  # relative to docs/
    number: int
    count: int  # pages in the whole list
    items: list[T]
    first: int  # position of the first item in the whole list, from 1
    root: Markup  # from this page to docs/: "../" on page 1, "../../" after
    here: Markup  # from this page to the list's folder: "" on page 1, "../" after
    links: tuple[tuple[int, Markup], ...]  # (number, link from this page) for every page of the list


def paginate(folder: str, name: str, items: list[T], size: int = PAGE_SIZE) -> list[ListPage[T]]:
    """The pages of the list ``folder/name.md``; at least one, empty when the list is."""
    chunks = [items[start : start + size] for start in range(0, len(items), size)] or [[]]
    count = len(chunks)
    depth = folder.count("/") + 1
    pages = []
    for number, chunk in enumerate(chunks, 1):
        nested = number > 1
        path = f"{folder}/{name}/{number}.md" if nested else f"{folder}/{name}.md"

        def link(k: int) -> Markup:
            if k == 1:
                return Markup(f"../{name}.md" if nested else f"{name}.md")
            return Markup(f"{k}.md" if nested else f"{name}/{k}.md")

        pages.append(ListPage(path, number, count, chunk, (number - 1) * size + 1,
                              Markup("../" * (depth + nested)), Markup("../" if nested else ""),
                              tuple((k, link(k)) for k in range(1, count + 1))))
    return pages
