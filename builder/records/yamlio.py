"""Safe YAML for records: line numbers for every field, duplicate keys and aliases refused.

PyYAML's safe loader already refuses language-specific tags. On top of it we keep the node marks
(so errors name the line), reject duplicate keys (PyYAML silently keeps the last one) and reject
anchors/aliases outright (records never need them, and refusing them makes "billion laughs" files
fail at once, in constant memory).

Almost every record has no problem at all, so a record is first read the quick way (its layout
as `dump` writes it, else libyaml; no marks kept); the careful way, which words each problem and
notes where every field is, runs only for a record the quick way is unsure of, and for a record a
later check finds fault with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import yaml

from ..errors import CatalogError, Problem
from ..fsio import CONTROL

Location = tuple[int, int]  # 1-based line, column


@dataclass
class Located:
    """A loaded YAML document and where each field (by path, e.g. ``("code", 1)``) starts."""

    data: object
    text: str | None = field(default=None, repr=False)  # the document, when it was read from YAML

    @cached_property
    def where(self) -> dict[tuple, Location]:
        """Found by reading the text again: only a record with a problem to report needs it."""
        return _careful_load(self.text, "")[1] if self.text is not None else {}

    def location(self, path: tuple) -> Location:
        while path and path not in self.where:
            path = path[:-1]
        return self.where.get(path, (1, 1))


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed in catalog files", event.start_mark
            )
        if self.check_event(yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent):
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise yaml.composer.ComposerError(
                    None, None, "anchors and aliases (&name) are not allowed in catalog files", event.start_mark
                )
        return super().compose_node(parent, index)


def _mark(node: yaml.Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


YAML_TAG = "tag:yaml.org,2002:"
PLAIN_TAGS = {YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_STR, _TIMESTAMP = YAML_TAG + "str", YAML_TAG + "timestamp"
_CONSTRUCTED = {YAML_TAG + t for t in ("int", "float", "bool", "null")}  # scalars that are not text


def _field(path: tuple) -> str:
    """``code[1]`` for the path ("code", 1): the way schema messages name a field."""
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def _construct(node: yaml.Node, loader: yaml.SafeLoader, path: tuple, where: dict, problems: list, name: str):
    where[path] = _mark(node)
    if node.tag not in PLAIN_TAGS:
        # !!python/object and friends: the safe loader would refuse them too, but with a traceback-like
        # message; tags on mappings (!!set, !!omap) it would turn into other types.
        line, col = _mark(node)
        problems.append(Problem(name, line, col, _field(path), f"YAML tag {node.tag.replace(YAML_TAG, '!!')} "
                                "is not allowed: records hold plain text, numbers, dates and lists"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                line, col = _mark(key_node)
                problems.append(Problem(name, line, col, "", "keys must be plain names"))
                continue
            if key in result:
                line, col = _mark(key_node)
                first = where[path + (key,)][0]
                problems.append(Problem(name, line, col, key, f"duplicate key (first defined on line {first})"))
                continue
            where[path + (key,)] = _mark(key_node)
            result[key] = _construct(value_node, loader, path + (key,), where, problems, name)
            where[path + (key,)] = _mark(value_node) if isinstance(value_node, yaml.ScalarNode) else where[
                path + (key,)
            ]
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, loader, path + (i,), where, problems, name) for i, item in enumerate(node.value)
        ]
    if isinstance(value := _scalar(node, loader, path, problems, name), str) and (bad := CONTROL.search(value)):
        # A double-quoted escape ("\\a", "\\ud800") can make characters the raw file may not hold.
        line, col = _mark(node)
        problems.append(Problem(name, line, col, _field(path),
                                f"control character U+{ord(bad[0]):04X} is not allowed in text"))
        return ""
    return value


def _scalar(node: yaml.Node, loader: yaml.SafeLoader, path: tuple, problems: list, name: str):
    if node.tag == "tag:yaml.org,2002:timestamp":
        # Dates stay text, validated as text (the schema names a bad date; PyYAML would crash on it).
        return node.value
    try:
        return loader.construct_object(node)
    except KeyError:  # PyYAML's !!bool looks the text up in its table of true and false words
        line, col = _mark(node)
        problems.append(Problem(name, line, col, _field(path), f"invalid value: not true or false: {node.value!r}"))
        return None
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        line, col = _mark(node)
        problems.append(Problem(name, line, col, _field(path), f"invalid value: {exc}"))
        return None


@lru_cache(maxsize=8192)
def _implicit_tag(kind: type, value: str | None, implicit: tuple[bool, bool] | bool) -> str:
    """The tag PyYAML's safe loader gives a node. Its resolver runs a regex per plain scalar (field
    names and dates alike) in Python; the safe loader has no path resolvers, so the tag depends on
    these arguments alone, and the fields every record repeats are resolved once."""
    return _RESOLVER.resolve(kind, value, implicit)


_RESOLVER = yaml.resolver.Resolver()


class _QuickLoader(yaml.CSafeLoader):
    """libyaml's safe loader, whose parser asks a C-level cache for each node's tag (no Python call
    when the answer is cached)."""

    if not _RESOLVER.yaml_path_resolvers:  # (else a tag would depend on where the node is too)
        resolve = staticmethod(_implicit_tag)


def _fast_loader(text: str) -> yaml.CSafeLoader | None:
    """libyaml's C parser (about 20x faster; 20 000 records load in seconds) for a record with nothing
    the checks above look for: no anchor, alias or tag. Anything else, or any parse error, goes through
    the pure-Python loader, which words the message. (The two parsers may place a mark differently, so
    the choice between them must never change.)"""
    if not yaml.__with_libyaml__ or (any(ch in text for ch in "&*!") and _marked(text)):
        return None
    return _QuickLoader(text)


def _marked(text: str) -> bool:
    """Whether libyaml finds an anchor, an alias or a tag in the document (or cannot read it). Their
    characters alone do not tell: '&', '*' and '!' are mostly prose ("R&D", "A* search", "meteorolog*")."""
    try:
        return any(isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None
                   or getattr(event, "tag", None) is not None
                   for event in yaml.parse(text, Loader=yaml.CSafeLoader))
    except (yaml.YAMLError, RecursionError):
        return True


class _Unsure(Exception):
    """The quick load met something the careful load may have to report."""


def _quick_value(node: yaml.Node, loader: yaml.CSafeLoader):
    """What `_construct` makes of a node in which it finds no problem; `_Unsure` for anything else."""
    tag = node.tag
    if isinstance(node, yaml.MappingNode) and tag in PLAIN_TAGS:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR or key_node.value in result:
                raise _Unsure
            result[key_node.value] = _quick_value(value_node, loader)
        return result
    if isinstance(node, yaml.SequenceNode) and tag in PLAIN_TAGS:
        return [_quick_value(item, loader) for item in node.value]
    if not isinstance(node, yaml.ScalarNode):
        raise _Unsure
    if tag == _STR or tag == _TIMESTAMP:  # dates stay text, as in _scalar
        # libyaml refuses every CONTROL character in the file itself ("control characters are not
        # allowed"), so only a double-quoted scalar's escapes ("\a") can make one.
        if node.style == '"' and CONTROL.search(node.value):
            raise _Unsure
        return node.value
    if tag in _CONSTRUCTED:
        # The constructor alone, not construct_object(): a failure must leave no state behind.
        return loader.yaml_constructors[tag](loader, node)
    raise _Unsure


def _quick_load(text: str) -> tuple[bool, object]:
    """(True, data) when libyaml reads the document and nothing in it is refused, else (False, None)."""
    loader = _fast_loader(text)
    if loader is None:
        return False, None
    try:
        node = loader.get_single_node()
        return True, None if node is None else _quick_value(node, loader)
    except (_Unsure, yaml.YAMLError, ValueError, OverflowError, KeyError, RecursionError):
        return False, None
    finally:
        loader.dispose()


# The layout `dump` writes, which every imported or new record has: comment lines, then fields at the
# start of a line, each a plain scalar after its key, a folded block (">-") of lines indented by two
# spaces, or a list of those, one "- " item a line; or a scalar in single quotes. A regular expression
# a field reads that for less than half of what libyaml costs. Anything else (double quotes, flow
# lists, blank lines, a tab...) and any doubt go to libyaml, which reads the same values from it.
# Left to libyaml: controls (tab too), line breaks but the line feed, byte-order marks, surrogates.
_UNREADABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_ASCII_READABLE = bytes(range(0x20, 0x7F)) + b"\n"
_INDICATORS = re.escape("-?:,[]{}#&*!|>'\"%@`")  # what a plain scalar may not start with
# A space, then a plain scalar, a single-quoted one, or a folded block whose lines start with no space
# (a line indented further would keep its line break). "." is any character _readable lets through.
_VALUE = f"(?: [^ \n{_INDICATORS}].*\n| '(?:[^'\n]|'')*'\n| >-\n(?:  [^ \n].*\n)+)"
_COMMENTS = re.compile("(?:#.*\n)*")
_FIELD = re.compile(f"([a-z_]+):({_VALUE}|\n(?:-{_VALUE})+){_COMMENTS.pattern}")
_ITEM = re.compile(f"-({_VALUE})")
_DECIMAL = re.compile("0|[1-9][0-9]*")


def _dumped_load(text: str) -> dict | None:
    """The fields of a document in `dump`'s layout, or None for any other (libyaml reads those)."""
    if not _readable(text):
        return None
    data: dict = {}
    at = _COMMENTS.match(text).end()
    try:
        while at < len(text):
            found = _FIELD.match(text, at)
            if found is None:
                return None
            key, value = found.groups()
            if key in data or _implicit_tag(yaml.ScalarNode, key, (True, False)) != _STR:  # "no:", "null:"
                return None
            data[key] = _dumped_value(value) if value[0] == " " else [
                _dumped_value(item) for item in _ITEM.findall(value)]
            at = found.end()
    except _Unsure:
        return None
    return data or None


def _readable(text: str) -> bool:
    """Whether the text holds only printable characters and line feeds (a bytes translate on ASCII
    text: a regular expression looks at each character five times slower)."""
    if text.isascii():
        return not text.encode().translate(None, _ASCII_READABLE)
    return _UNREADABLE.search(text) is None


def _dumped_value(value: str) -> str | int:
    """A scalar as `_VALUE` matched it, after a space: plain, in single quotes, or a folded block."""
    if value.startswith(" >-\n"):
        return value[6:-1].replace("\n  ", " ")  # lines not indented further fold into one
    if value.startswith(" '"):
        return value[2:-2].replace("''", "'")  # quoted: text, whatever it looks like
    text = value[1:-1]
    if ": " in text or " #" in text or text.endswith((":", " ")):  # a mapping, a comment, a space YAML drops
        raise _Unsure
    tag = _implicit_tag(yaml.ScalarNode, text, (True, False))
    if tag == _STR or tag == _TIMESTAMP:  # dates stay text, as in _scalar
        return text
    if tag == YAML_TAG + "int" and _DECIMAL.fullmatch(text):
        return int(text)
    raise _Unsure  # true, null, 0x1f, 1.5...: what the constructors make of them is theirs to say


def load(text: str, name: str) -> Located:
    """Parse one YAML document; every problem becomes a ``Problem`` naming the file and line."""
    data = _dumped_load(text)
    if data is None:
        quick, data = _quick_load(text)
        if not quick:
            data = _careful_load(text, name)[0]
    return Located(data, text)


def _careful_load(text: str, name: str) -> tuple[object, dict[tuple, Location]]:
    """The document and where each field starts; every problem raised as a ``CatalogError``."""
    loader = _fast_loader(text)
    if loader is not None:
        try:
            node = loader.get_single_node()
        except (yaml.YAMLError, RecursionError):
            loader.dispose()
            loader = None
    if loader is None:
        loader = _NoAliasLoader(_tabs_as_spaces(text, name))
    try:
        if isinstance(loader, _NoAliasLoader):
            node = loader.get_single_node()
        if node is None:
            return None, {}
        where: dict = {}
        problems: list[Problem] = []
        data = _construct(node, loader, (), where, problems, name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = exc.problem or "invalid YAML"
        if "\t" in message or "found character '\\t'" in str(exc):  # (no libyaml to vet the tabs)
            message = _TAB_MESSAGE
        elif exc.context and "aliases" not in message:
            message = f"{message} ({exc.context})"
        elif message == "mapping values are not allowed here":  # `title: Foo: Bar`, the usual cause
            message += "; a value with ': ' in it needs quotes, e.g. title: 'Attention: A Survey'"
        raise CatalogError([Problem(name, line, col, "", f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([Problem(name, message=f"invalid YAML: {exc}")]) from None
    except RecursionError:
        # PyYAML composes nested lists recursively; records are at most two levels deep.
        raise CatalogError([Problem(name, message="invalid YAML: nested too deeply")]) from None
    finally:
        loader.dispose()
    if problems:
        raise CatalogError(problems)
    return data, where


_TAB_MESSAGE = "tab character in indentation; YAML indents with spaces"


def _tabs_as_spaces(text: str, name: str) -> str:
    """The text for PyYAML's pure-Python scanner, which takes every tab for indentation, even one in a
    value ("a method.<tab>It works."). libyaml's scanner knows where YAML allows a tab: a tab it refuses
    is the problem reported; the others become spaces, which keeps every mark in place and changes
    values only in whitespace (titles and abstracts are shown with their whitespace collapsed)."""
    if "\t" not in text or not yaml.__with_libyaml__:
        return text
    try:
        for _ in yaml.scan(text, Loader=yaml.CSafeLoader):
            pass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and text[mark.index:mark.index + 1] == "\t":  # libyaml's index counts characters
            raise CatalogError([Problem(name, mark.line + 1, mark.column + 1, "", f"invalid YAML: {_TAB_MESSAGE}")]
                               ) from None
    return text.replace("\t", " ")


class _RecordDumper(yaml.SafeDumper):
    """Block style, no line wrapping surprises, long prose as a folded block scalar."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if len(value) > 80 or "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else ">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_RecordDumper.add_representer(str, _str_representer)


def dump(data: dict) -> str:
    """YAML that is pleasant to diff: keys in the given order, abstracts folded at 100 columns."""
    return yaml.dump(data, Dumper=_RecordDumper, sort_keys=False, allow_unicode=True, width=100)
