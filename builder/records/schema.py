"""Validate a record against the JSON Schema (the single source of the format), with plain messages."""

from __future__ import annotations

import difflib
import json
import numbers
import re
from collections.abc import Callable
from functools import cache
from importlib import resources

from jsonschema import Draft202012Validator, ValidationError

from ..errors import Problem
from .yamlio import Located

SCHEMA_FILE = "paper.schema.json"


@cache
def schema() -> dict:
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


Check = Callable[[object], bool]
# Keywords that describe but never constrain.
_NOTES = {"$schema", "$id", "$defs", "title", "description"}


@cache
def _accepts() -> Check:
    """A quick test that passes only records the schema accepts: jsonschema walks a record in about
    0.1 ms, and 20 000 valid records need no message. Keywords it does not know make it pass nothing."""
    return _compile(schema(), schema()) or (lambda value: False)


def _compile(node: dict, root: dict) -> Check | None:
    """One schema node as a test that is True only where jsonschema finds no error (each keyword as
    jsonschema's Draft 2020-12 checks it; anything unsure is False); None for an unknown keyword."""
    checks: list[Check] = []
    for keyword, value in node.items():
        if keyword in _NOTES:
            continue
        check = _keyword(keyword, value, node, root)
        if check is None:
            return None
        checks.append(check)
    return _every(checks)


def _every(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def every(instance: object) -> bool:  # a loop, not all(…): this runs 200 000 times at 20 000 papers
        for check in checks:
            if not check(instance):
                return False
        return True
    return every


def _keyword(keyword: str, value, node: dict, root: dict) -> Check | None:
    if keyword == "type":
        kinds = [_TYPES.get(kind) for kind in ([value] if isinstance(value, str) else value)]
        if None in kinds:
            return None
        return kinds[0] if len(kinds) == 1 else lambda v: any(kind(v) for kind in kinds)
    if keyword == "$ref":
        target = _local_ref(value, root)
        return _compile(target, root) if target is not None else None
    if keyword == "enum":  # texts only: jsonschema compares other values its own way
        choices = set(value) if all(isinstance(v, str) for v in value) else None
        return None if choices is None else lambda v: isinstance(v, str) and v in choices
    if keyword == "format":
        conforms = _validator().format_checker.conforms
        return lambda v: conforms(v, value)
    if keyword == "pattern":
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if keyword in _SIZED:
        kind = _SIZED[keyword]
        if keyword.startswith("min"):
            return lambda v: not isinstance(v, kind) or len(v) >= value
        return lambda v: not isinstance(v, kind) or len(v) <= value
    if keyword == "minimum":
        return lambda v: not _TYPES["number"](v) or v >= value
    if keyword == "maximum":
        return lambda v: not _TYPES["number"](v) or v <= value
    if keyword == "uniqueItems":  # texts only, for the same reason as enum
        return lambda v: not value or not isinstance(v, list) or (
            all(isinstance(item, str) for item in v) and len(set(v)) == len(v))
    if keyword == "items" and isinstance(value, dict) and "prefixItems" not in node:
        each = _compile(value, root)
        return None if each is None else lambda v: not isinstance(v, list) or all(each(item) for item in v)
    if keyword == "required":
        return lambda v: not isinstance(v, dict) or all(key in v for key in value)
    if keyword == "properties":
        fields = {key: _compile(sub, root) for key, sub in value.items()}
        if None in fields.values():
            return None

        def each_field(v: object) -> bool:
            if isinstance(v, dict):
                for key, item in v.items():
                    if key in fields and not fields[key](item):
                        return False
            return True
        return each_field
    if keyword == "additionalProperties" and value is False and "patternProperties" not in node:
        known = set(node.get("properties", ()))
        return lambda v: not isinstance(v, dict) or known.issuperset(v)
    return None


def _local_ref(ref: str, root: dict) -> dict | None:
    """The schema a ``#/$defs/name`` reference names; None for any other reference."""
    prefix = "#/$defs/"
    if not ref.startswith(prefix):
        return None
    target = root.get("$defs", {}).get(ref[len(prefix):])
    return target if isinstance(target, dict) else None


_SIZED = {"minLength": str, "maxLength": str, "minItems": list, "maxItems": list}
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),  # (also 2.0 for jsonschema: unsure)
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),
}


def field_names() -> list[str]:
    return list(schema()["properties"])


_TYPE_NAMES = {"string": "text", "array": "a list", "integer": "a whole number", "object": "a mapping"}


def _type_name(value: object) -> str:
    return {str: "text", list: "a list", dict: "a mapping", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def _message(error: ValidationError) -> tuple[tuple, str]:
    """Turn a jsonschema error into (path of the field, message a contributor understands)."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return (missing,), f"missing required field '{missing}'"
    if kind == "additionalProperties":
        known = field_names()
        extras = sorted(set(error.instance) - set(known))
        key = extras[0]
        close = difflib.get_close_matches(key, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(known)})"
        return (key,), f"unknown field '{key}'{hint}"
    if kind == "type":
        wanted = error.validator_value
        wanted = _TYPE_NAMES.get(wanted, wanted) if isinstance(wanted, str) else wanted
        return path, f"must be {wanted}, not {_type_name(error.instance)}"
    if kind == "enum":
        return path, f"must be one of {', '.join(map(str, error.validator_value))} (got {error.instance!r})"
    if kind in ("pattern", "format"):
        field = next((p for p in reversed(path) if isinstance(p, str)), "")
        if field in ("url", "code"):
            return path, f"not an http(s) URL without credentials: {error.instance!r}"
        if field == "listed":
            return path, f"not a valid date (YYYY-MM-DD): {error.instance!r}"
        if field in ("title", "abstract"):
            return path, "must not be empty"
        if field == "arxiv":
            return path, f"not an arXiv id like 2403.01234 or 2403.01234v2: {error.instance!r}"
        if field == "topics":
            return path, f"not a topic id (lowercase words joined by '-'): {error.instance!r}"
        return path, f"invalid value {error.instance!r}"
    if kind == "minLength":
        return path, "must not be empty"
    if kind == "maxLength":
        return path, f"too long: {len(error.instance)} characters, at most {error.validator_value}"
    if kind in ("minimum", "maximum"):
        return path, f"{error.instance} is out of range ({error.schema.get('minimum')}–{error.schema.get('maximum')})"
    if kind == "minItems":
        return path, "must list at least one item (or leave the field out)"
    if kind == "maxItems":
        return path, f"too many items: at most {error.validator_value}"
    if kind == "uniqueItems":
        return path, "lists the same item twice"
    return path, error.message


def _sort_key(error: ValidationError) -> tuple:
    return tuple(str(p) for p in error.absolute_path), error.validator


def validate(doc: Located, name: str) -> list[Problem]:
    """Every schema problem of one record, each located on its line."""
    if not isinstance(doc.data, dict):
        return [Problem(name, 1, 1, "", "a record must be a mapping of fields (title: …, abstract: …)")]
    if _accepts()(doc.data):
        return []
    problems = []
    for error in sorted(_validator().iter_errors(doc.data), key=_sort_key):
        path, message = _message(error)
        line, col = doc.location(path)
        field = ".".join(str(p) for p in path[:1]) + "".join(f"[{p}]" for p in path[1:])
        problems.append(Problem(name, line, col, field, message))
    return problems
