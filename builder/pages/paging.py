"""Long lists of papers split into pages of PAGE_SIZE: a topic of 4 000 papers is 40 pages of 100.

So no listing page grows with the catalog (at 10 000 papers one list was a 1.4 MB page; at 5 000,
Python-Markdown took over a second for one), and an edit re-renders the one page of a list that
shows the paper, not the whole list.
Page 1 keeps the list's address (topics/vision.md → topics/vision/); page k is topics/vision/k.md.
Pages name each other by path in docs/; the templates turn paths into links (urls.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    path: str  # relative to docs/
    number: int
    count: int  # pages in the whole list
    items: list[T]
    first: int  # position of the first item in the whole list, from 1
    pages: tuple[tuple[int, str], ...]  # (number, path) of every page of the list


def paginate(folder: str, name: str, items: list[T], size: int = PAGE_SIZE) -> list[ListPage[T]]:
    """The pages of the list ``folder/name.md``; at least one, empty when the list is."""
    chunks = [items[start : start + size] for start in range(0, len(items), size)] or [[]]
    paths = tuple((k, f"{folder}/{name}/{k}.md" if k > 1 else f"{folder}/{name}.md") for k in range(1, len(chunks) + 1))
    return [ListPage(path, number, len(chunks), chunk, (number - 1) * size + 1, paths)
            for (number, path), chunk in zip(paths, chunks)]
