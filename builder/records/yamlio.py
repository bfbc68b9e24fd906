"""Safe YAML for records: line numbers for every field, duplicate keys and aliases refused.

PyYAML's safe loader already refuses language-specific tags. On top of it we keep the node marks
(so errors name the line), reject duplicate keys (PyYAML silently keeps the last one) and reject
anchors/aliases outright (records never need them, and refusing them makes "billion laughs" files
fail at once, in constant memory).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from ..errors import CatalogError, Problem
from ..fsio import CONTROL

Location = tuple[int, int]  # 1-based line, column


@dataclass
class Located:
    """A loaded YAML document and where each field (by path, e.g. ``("code", 1)``) starts."""

    data: object
    where: dict[tuple, Location] = field(default_factory=dict)

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
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        line, col = _mark(node)
        problems.append(Problem(name, line, col, _field(path), f"invalid value: {exc}"))
        return None


def _fast_loader(text: str) -> yaml.CSafeLoader | None:
    """libyaml's C parser (about 20x faster; 20 000 records load in seconds) for a record with nothing
    the checks above look for: no anchor, alias or tag character, no tab. Anything else, or any
    parse error, goes through the pure-Python loader, which words the message."""
    if not yaml.__with_libyaml__ or any(ch in text for ch in "&*!\t"):
        return None
    return yaml.CSafeLoader(text)


def load(text: str, name: str) -> Located:
    """Parse one YAML document; every problem becomes a ``Problem`` naming the file and line."""
    loader = _fast_loader(text)
    if loader is not None:
        try:
            node = loader.get_single_node()
        except (yaml.YAMLError, RecursionError):
            loader.dispose()
            loader = None
    if loader is None:
        loader = _NoAliasLoader(text)
    try:
        if isinstance(loader, _NoAliasLoader):
            node = loader.get_single_node()
        if node is None:
            return Located(None)
        where: dict = {}
        problems: list[Problem] = []
        data = _construct(node, loader, (), where, problems, name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = exc.problem or "invalid YAML"
        if "\t" in message or "found character '\\t'" in str(exc):
            message = "tab character in indentation; YAML indents with spaces"
        elif exc.context and "aliases" not in message:
            message = f"{message} ({exc.context})"
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
    return Located(data, where)


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
