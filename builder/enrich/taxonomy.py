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


def _nesting_problems(doc: yamlio.Located, name: str, topics: list[Topic], seen: dict) -> list[Problem]:
    """A parent must be an area (a topic without a parent): the pages show areas and their subtopics,
    one level deep, and drop whatever is nested deeper or in a cycle of parents."""
    by_id = {t.id: t for t in topics}
    problems, reported = [], set()
    for topic in topics:
        parent = by_id.get(topic.parent)  # None for an unknown parent too: reported already
        if parent is None or parent.parent is None or topic.id in reported:
            continue
        chain = [topic.id]  # up through the parents until an area, an unknown id or a repeat
        while (up := by_id[chain[-1]].parent) in by_id and up not in chain:
            chain.append(up)
        if up != topic.id and up in chain:
            continue  # it leads into a cycle it is not part of: the cycle is reported on its own
        if topic.parent == topic.id:
            message = f"topic '{topic.id}' is its own parent; remove this line, or name the area it belongs to"
        elif up == topic.id:
            reported.update(chain)  # once per cycle
            message = (f"parents go round in a cycle ({' → '.join(chain)} → {topic.id}); "
                       "remove the parent of one of them: an area has no parent")
        else:
            message = (f"'{parent.id}' is a subtopic itself (of '{parent.parent}'), and topics nest one level "
                       f"only (areas and their subtopics); name an area here, such as '{chain[-1]}', "
                       f"or remove the parent of '{parent.id}'")
        line, col = doc.location(seen[topic.id][:2] + ("parent",))
        problems.append(Problem(name, line, col, "parent", message))
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
    problems += _nesting_problems(doc, name, topics, seen)
    fallback = doc.data["fallback"]
    if fallback not in seen:
        line, col = doc.location(("fallback",))
        problems.append(Problem(name, line, col, "fallback", f"unknown topic '{fallback}'"))
    if problems:
        raise CatalogError(problems)
    return Taxonomy(tuple(topics), fallback)
