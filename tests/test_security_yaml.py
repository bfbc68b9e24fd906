"""No code runs from data: YAML is loaded without tags, aliases or duplicate keys, bounded in time
and memory, and record text is never evaluated as a template."""

from __future__ import annotations

import pickle
import random
import time
import tracemalloc

import pytest

from builder.errors import CatalogError
from builder.records import yamlio


def problems(text: str) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        yamlio.load(text, "r.yaml")
    return [p.format() for p in caught.value.problems]


def billion_laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines + [f"title: *a{levels - 1}"]) + "\n"


def test_billion_laughs_fails_at_once_in_bounded_memory():
    text = billion_laughs(9)  # 10**9 strings if expanded
    tracemalloc.start()
    start = time.perf_counter()
    found = problems(text)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found == ["r.yaml:1:5: invalid YAML: anchors and aliases (&name) are not allowed in catalog files"]
    assert seconds < 0.5 and peak < 2_000_000


def test_an_alias_alone_is_refused_too():
    assert problems("title: *x\n") == [
        "r.yaml:1:8: invalid YAML: anchors and aliases (*name) are not allowed in catalog files"]


@pytest.mark.parametrize("tag, shown", [
    ("!!python/object/apply:os.system ['echo pwned']", "!!python/object/apply:os.system"),
    ("!!python/object:builtins.dict {}", "!!python/object:builtins.dict"),
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!local 1", "!local"),
])
def test_language_and_custom_tags_are_refused_with_a_clear_message(tag, shown):
    assert problems(f"title: {tag}\n") == [
        f"r.yaml:1:8: title: YAML tag {shown} is not allowed: records hold plain text, numbers, dates and lists"]


def test_duplicate_keys_are_errors_not_last_one_wins():
    assert problems("title: A\ntitle: B\nabstract: x\n") == ["r.yaml:2:1: title: duplicate key (first defined on line 1)"]


def test_deep_nesting_is_an_error_not_a_crash():
    assert problems("title: " + "[" * 5000 + "]" * 5000 + "\n") == ["r.yaml: invalid YAML: nested too deeply"]


@pytest.mark.parametrize("escape, code", [("\\a", "0007"), ("\\x7f", "007F"), ("\\ud800", "D800"), ("\\x9b", "009B")])
def test_control_characters_made_by_escapes_are_refused(escape, code):
    assert problems(f'title: ok\nauthors: ["fine", "bad {escape}"]\n') == [
        f"r.yaml:2:19: authors[1]: control character U+{code} is not allowed in text"]


def test_plain_values_load_as_text_numbers_and_lists():
    doc = yamlio.load("title: !!str 2024\nyear: 2024\nlisted: 2025-13-01\ncode: [a, b]\n", "r.yaml")
    assert doc.data == {"title": "2024", "year": 2024, "listed": "2025-13-01", "code": ["a", "b"]}


def test_where_a_field_is_comes_from_reading_the_text_again_and_survives_pickling():
    # Records are loaded without marks; a later check that needs a line reads the YAML again, in
    # whichever process asks (records travel back from the worker processes by pickle).
    text = "title: A\nabstract: >-\n  Long\n  text\ncode:\n  - https://a.example/x\n  - https://b.example/y\n"
    doc = pickle.loads(pickle.dumps(yamlio.load(text, "r.yaml")))
    assert doc.data["code"] == ["https://a.example/x", "https://b.example/y"]
    assert [doc.location(path) for path in [("abstract",), ("code", 1), ("code", 9)]] == [(2, 11), (7, 5), (6, 3)]


def test_stars_ampersands_and_exclamation_marks_in_prose_are_text():
    # Prose, not anchors, aliases or tags: libyaml reads the record the quick way, like any other.
    text = "title: R&D at A* speed!\nyear: 2024\nabstract: KL^* + K & more!\n"
    doc = yamlio.load(text, "r.yaml")
    assert doc.data == {"title": "R&D at A* speed!", "year": 2024, "abstract": "KL^* + K & more!"}
    assert doc.location(("abstract",)) == (3, 11)
    assert yamlio._quick_load(text) == (True, doc.data)


def test_records_as_dump_writes_them_are_read_without_libyaml():
    data = {"title": "Vision: a survey of 'things'", "listed": "2025-03-13", "year": 2024,
            "authors": ["A. Person", "B: Other", "yes", "~"], "code": ["https://github.com/" + "a" * 90],
            "abstract": "R&D at A* speed! - not a list: #1 " * 9 + "nor a comment \u00e9\u3000"}
    text = "# yaml-language-server: $schema=x\n" + yamlio.dump(data)
    assert yamlio._dumped_load(text) == data
    assert yamlio.load(text, "r.yaml").data == data


def random_document(rnd: random.Random) -> str:
    """Mostly the layout `dump` writes, with what may look like it but is not: indicators, quotes,
    odd indents, block headers, words YAML reads as true or null, breaks other than a line feed."""
    chars = "abcdefgh ij  ABC012" * 12 + ":#'\"->|?~.,[]{}&*!%@`=<+_yYnNoO\t\r\x85\u2028\ufeff\xa0\u3000\u00e9"

    def word() -> str:
        text = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 8)))
        return rnd.choice("abcAB0") + text if rnd.random() < 0.7 else text

    def scalar() -> str:
        kind = rnd.random()
        if kind < 0.35:
            return " " + word()
        if kind < 0.5:
            return " '" + word().replace("'", rnd.choice(["''", "'"])) + "'"
        if kind < 0.6:
            return " " + rnd.choice(["2024", "0", "007", "1_0", "0x1f", "1.5", "true", "~", "2025-01-02", "12:30", "-3",
                                     "+3", ".inf", "=", "<<", "-", "- a", "? a", ": a"])
        indents = ["  "] * 8 + ["   ", " ", ""]
        lines = "\n".join(rnd.choice(indents) + word() for _ in range(rnd.randint(1, 4)))
        return " " + rnd.choice([">-"] * 8 + [">", "|", ">+", ">- ", ">2-"]) + "\n" + lines

    lines = ["# " + word()] if rnd.random() < 0.5 else []
    for _ in range(rnd.randint(1, 5)):
        key = rnd.choice(["title", "abstract", "code", "a_b"] * 3 + ["no", "on", "null", "y", "<<", "Title"])
        if rnd.random() < 0.25:
            dashes = ["-"] * 6 + ["- ", " -", "  -"]
            lines += [key + ":"] + [rnd.choice(dashes) + scalar() for _ in range(rnd.randint(1, 3))]
        else:
            lines.append(key + ":" + scalar())
        if rnd.random() < 0.1:
            lines.append(rnd.choice(["#" + word(), "", " # x", "  ", "---", "..."]))
    text = "\n".join(lines) + rnd.choice(["\n"] * 8 + ["", "\n\n"])
    for _ in range(rnd.choice([0] * 6 + [1, 2])):  # a character inserted or replaced anywhere
        at = rnd.randrange(len(text) + 1)
        text = text[:at] + rnd.choice(chars) + text[at + rnd.randint(0, 1):]
    return text


def typed(value: object) -> object:
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return type(value), value


@pytest.mark.parametrize("seed", range(2))
def test_what_the_reader_of_dumps_takes_libyaml_and_the_careful_loader_read_alike(seed):
    rnd, taken = random.Random(seed), 0
    for _ in range(4000):
        text = random_document(rnd)
        data = yamlio._dumped_load(text)
        if data is not None:
            taken += 1
            assert yamlio._quick_load(text) == (True, data) and typed(yamlio._quick_load(text)[1]) == typed(data), text
            assert typed(yamlio._careful_load(text, "r.yaml")[0]) == typed(data), text
    assert taken > 100  # not a vacuous test


@pytest.mark.parametrize("text", ["title: a\n  b\n", "title: a \n", "title: a # note\n", "title: >-\n  a\n\n  b\n",
                                  "title: >-\n  a\n   b\n", "title: true\n", "title: 1.5\n", "title: \"a\"\n",
                                  "title: [a]\n", "title: a\ntitle: b\n", "no: a\n", "title: a", "title: a\r\n"])
def test_anything_else_is_left_to_libyaml(text):
    assert yamlio._dumped_load(text) is None


@pytest.mark.parametrize("text", ["a: &x 1\n", "a: [*x]\n", "a: !!str 1\n", "a: !\n", "a: !x y\n", "a: [R&D\n"])
def test_anchors_aliases_tags_and_parse_errors_go_to_the_careful_parser(text):
    assert yamlio._fast_loader(text) is None


@pytest.mark.parametrize("text, shown", [
    ("title: A\nabstract: B\n<<: {x: 1}\n", "r.yaml:3:1: invalid YAML: could not determine a constructor for the "
                                            "tag 'tag:yaml.org,2002:merge'"),
    ("title: A\nabstract: =\n", "r.yaml:2:11: abstract: YAML tag !!value is not allowed: records hold plain text, "
                                "numbers, dates and lists"),
    ("title: A\n2024: B\n", "r.yaml:2:1: keys must be plain names"),
    ("title: A\nabstract: !!bool maybe\n", "r.yaml:2:11: abstract: invalid value: not true or false: 'maybe'"),
    ("title: A\nabstract: B\nyear: 1\nyear: 2\n", "r.yaml:4:1: year: duplicate key (first defined on line 3)"),
])
def test_what_the_quick_load_cannot_vouch_for_is_worded_by_the_careful_one(text, shown):
    assert problems(text) == [shown]


@pytest.mark.parametrize("text, data", [
    ("title: A\tB\n", {"title": "A\tB"}),
    ("title:\tA\n", {"title": "A"}),
    ("title: A\t# note\n", {"title": "A"}),
    ("title: 'A\tB'\n", {"title": "A\tB"}),
    ("title: >-\n  A\tB\n  C\n", {"title": "A\tB C"}),
])
def test_a_tab_in_a_value_is_text(text, data):
    assert yamlio.load(text, "r.yaml").data == data
    assert yamlio._fast_loader(text) is not None  # read by libyaml, as records without tabs are


@pytest.mark.parametrize("text, shown", [
    ("title: &a A\tB\n", "r.yaml:1:8: invalid YAML: anchors and aliases (&name) are not allowed in catalog files"),
    ("title: A\tB\nauthors: [x, *y]\n", "r.yaml:2:14: invalid YAML: anchors and aliases (*name) are not allowed in "
                                       "catalog files"),
    ("title: A\tB\nabstract: !!python/object:os.system x\n", "r.yaml:2:11: abstract: YAML tag "
     "!!python/object:os.system is not allowed: records hold plain text, numbers, dates and lists"),
    ("title: A\tB\nabstract: [C\n", "r.yaml:3:1: invalid YAML: expected ',' or ']', but got '<stream end>' "
                                    "(while parsing a flow sequence)"),
    ("title: A\tB\nauthors:\n  - x\n\t- y\n", "r.yaml:4:1: invalid YAML: tab character in indentation; "
                                             "YAML indents with spaces"),
])
def test_a_tab_in_a_value_neither_hides_nor_takes_the_blame_for_another_problem(text, shown):
    assert problems(text) == [shown]
