"""The taxonomy maintainers own: ``data/topics.yaml``, validated with line numbers like records."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import TYPE_CHECKING

from ..errors import CatalogError, Problem
from ..fsio import read_text
from ..layout import Layout
from ..records import yamlio
from ..records.ids import RESERVED_IDS
from ..records.schema import quick_check

if TYPE_CHECKING:  # imported only to word the problems of an invalid taxonomy (0.15 s)
    from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class Rules:
    """How a topic is assigned; see the comments at the top of data/topics.yaml."""

    title: tuple[str, ...] = ()  # one of these in the title assigns the topic
    phrases: tuple[str, ...] = ()  # evidence anywhere in title or abstract
    min_hits: int = 2  # distinct phrases needed when no title phrase matched
    exclude: tuple[str, ...] = ()  # any of these vetoes the topic


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str
    parent: str | None = None
    rules: Rules = field(default_factory=Rules)


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    fallback: str

    @cached_property  # read for every paper on every page; the taxonomy never changes once loaded
    def by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    def area(self, topic_id: str) -> str:
        """The broad area a topic belongs to: its parent, or itself when it has none."""
        topic = self.by_id.get(topic_id)
        return topic.parent if topic and topic.parent else topic_id

    def tag(self, topic_id: str) -> str:
        """A topic's name with its area, ``Area/Topic`` for a subtopic, as `catalog explain` prints it."""
        topic = self.by_id[topic_id]
        if topic.parent and topic.parent in self.by_id:
            return f"{self.by_id[topic.parent].name}/{topic.name}"
        return topic.name


@cache
def _schema() -> dict:
    return json.loads(resources.files(__package__).joinpath("topics.schema.json").read_text(encoding="utf-8"))


@cache
def _accepts() -> Callable[[object], bool]:
    return quick_check(_schema())


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema())


def _schema_problems(doc: yamlio.Located, name: str) -> list[Problem]:
    if _accepts()(doc.data):
        return []
    problems = []
    for error in _validator().iter_errors(doc.data):
        path = tuple(error.absolute_path)
        line, col = doc.location(path)
        where = ".".join(str(p) for p in path)
        problems.append(Problem(name, line, col, where, error.message))
    return problems


def load_taxonomy(layout: Layout) -> Taxonomy:
    name = layout.rel(layout.topics)
    if not layout.topics.is_file():
        raise CatalogError([Problem(name, message="taxonomy file missing (catalog init writes a default one)")])
    doc = yamlio.load(read_text(layout.topics, name), name)
    problems = _schema_problems(doc, name)
    if problems:
        raise CatalogError(problems)
    topics, seen = [], {}  # each topic id and where it is, as a path (lines are found only for a problem)
    for index, raw in enumerate(doc.data["topics"]):
        if raw["id"] in seen:
            line, col = doc.location(("topics", index, "id"))
            problems.append(Problem(name, line, col, "id", f"topic '{raw['id']}' defined twice"))
            continue
        if raw["id"] in RESERVED_IDS:  # still a topic below: its children and papers are not reported as well
            line, col = doc.location(("topics", index, "id"))
            problems.append(Problem(name, line, col, "id", f"topic id '{raw['id']}' is reserved: docs/topics/"
                                    f"{raw['id']}.md is the topics overview page; choose another id"))
        rules = raw.get("rules", {})
        topic = Topic(raw["id"], raw["name"], raw["description"], raw.get("parent"),
                      Rules(tuple(rules.get("title", ())), tuple(rules.get("phrases", ())),
                            rules.get("min_hits", 2), tuple(rules.get("exclude", ()))))
        seen[topic.id] = ("topics", index, "id")
        topics.append(topic)
    for topic in topics:
        if topic.parent and topic.parent not in seen:
            line, col = doc.location(seen[topic.id])
            problems.append(Problem(name, line, col, "parent", f"unknown parent topic '{topic.parent}'"))
    fallback = doc.data["fallback"]
    if fallback not in seen:
        line, col = doc.location(("fallback",))
        problems.append(Problem(name, line, col, "fallback", f"unknown topic '{fallback}'"))
    if problems:
        raise CatalogError(problems)
    return Taxonomy(tuple(topics), fallback)
