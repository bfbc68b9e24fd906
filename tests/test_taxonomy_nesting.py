"""Topics nest one level: areas and their subtopics, as the topics overview and topic pages show them.
A deeper or circular `parent` in data/topics.yaml fails `catalog check` and `catalog build` at its line,
instead of building pages that lose the topics involved."""

from __future__ import annotations

import pytest
from conftest import run_catalog

TOPICS = "data/topics.yaml"


def set_parents(catalog, **parents: str) -> dict[str, int]:
    """Give each topic (underscores for hyphens) the parent; returns the line of each new `parent:`."""
    path = catalog / TOPICS
    text = path.read_text()
    for topic, parent in parents.items():
        head = f"  - id: {topic.replace('_', '-')}\n"
        assert text.count(head) == 1
        text = text.replace(head, f"{head}    parent: {parent}\n")
    path.write_text(text)
    lines = text.splitlines()
    return {topic: lines.index(f"  - id: {topic.replace('_', '-')}") + 2 for topic in parents}


def failures(catalog) -> list[str]:
    """What `catalog check` reports, after checking that `catalog build` fails with the same problems."""
    check = run_catalog("check", "--root", str(catalog))
    build = run_catalog("build", "--root", str(catalog))
    assert check.returncode == 1 and build.returncode == 1
    assert "Traceback" not in check.stderr + build.stderr
    problems = check.stdout.splitlines()
    assert build.stderr.splitlines() == problems
    assert not (catalog / "docs" / "topics").exists()  # nothing built
    return problems


def test_a_topic_that_is_its_own_parent_is_an_error(catalog):
    line = set_parents(catalog, vision="vision")["vision"]
    assert failures(catalog) == [
        f"{TOPICS}:{line}:13: parent: topic 'vision' is its own parent; remove this line, or name the area it "
        "belongs to"]


@pytest.mark.parametrize("parents, cycle", [
    ({"vision": "language", "language": "vision"}, "vision → language → vision"),
    ({"optimization": "graphs", "graphs": "robotics", "robotics": "optimization"},
     "optimization → graphs → robotics → optimization"),
], ids=["two topics", "three topics"])
def test_a_cycle_of_parents_is_one_error_at_its_first_topic(catalog, parents, cycle):
    # bilevel-optimization, a subtopic of optimization, is not reported too: fixing the cycle fixes it.
    line = set_parents(catalog, **parents)[next(iter(parents))]
    assert failures(catalog) == [
        f"{TOPICS}:{line}:13: parent: parents go round in a cycle ({cycle}); remove the parent of one of "
        "them: an area has no parent"]


def test_a_subtopic_of_a_subtopic_is_an_error_naming_an_area(catalog):
    set_parents(catalog, deep_learning_theory="learning-theory")
    text = (catalog / TOPICS).read_text().splitlines()
    line = text.index("  - id: scaling-laws") + 3  # its own `parent: deep-learning-theory`, below its name
    assert text[line - 1] == "    parent: deep-learning-theory"
    assert failures(catalog) == [
        f"{TOPICS}:{line}:13: parent: 'deep-learning-theory' is a subtopic itself (of 'learning-theory'), and "
        "topics nest one level only (areas and their subtopics); name an area here, such as 'learning-theory', "
        "or remove the parent of 'deep-learning-theory'"]


def test_a_subtopic_under_an_area_still_builds(catalog):
    set_parents(catalog, robotics="machine-learning")
    result = run_catalog("build", "--root", str(catalog))
    assert result.returncode == 0, result.stderr
    overview = (catalog / "docs" / "topics" / "index.md").read_text()
    assert "    - [Robotics](robotics.md)" in overview
