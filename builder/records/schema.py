"""Validate a record against the JSON Schema (the single source of the format), with plain messages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import fastjsonschema

from ..errors import Problem
from .yamlio import Located

if TYPE_CHECKING:  # jsonschema takes 0.15 s to import: only a record with a problem needs it
    from jsonschema import Draft202012Validator, ValidationError

SCHEMA_FILE = "paper.schema.json"


@cache
def schema() -> dict:
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def quick_check(json_schema: dict, formats: dict[str, Callable[[str], bool]] | None = None) -> Callable[[object], bool]:
    """A JSON Schema compiled to Python by fastjsonschema: whether a document is valid, in a tenth of
    the time jsonschema takes to walk it, and without importing jsonschema. It may refuse more than
    jsonschema (jsonschema then words every problem, or finds none), never less. The keywords our
    schemas use mean the same in draft 7, the newest fastjsonschema knows."""
    check = fastjsonschema.compile({**json_schema, "$schema": "http://json-schema.org/draft-07/schema#"},
                                   formats=formats or {}, use_default=False)

    def accepts(document: object) -> bool:
        try:
            check(document)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return accepts


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PCHAR = r"[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2}"  # RFC 3986: what a path segment may hold
# An http(s) URI of letters, digits, dots and hyphens for a host and only RFC 3986 characters after it:
# a URI by any reading (jsonschema checks "uri" only when rfc3987 is installed). The rest is left to it.
_PLAIN_URI = re.compile(rf"https?://[A-Za-z0-9.-]+(:[0-9]*)?(/({_PCHAR})*)*(\?({_PCHAR}|[/?])*)?(#({_PCHAR}|[/?])*)?")


def _is_date(value: str) -> bool:
    """jsonschema's "date" check, the same in every way."""
    try:
        return bool(_DATE.fullmatch(value) and date.fromisoformat(value))
    except ValueError:
        return False


def _is_plain_uri(value: str) -> bool:
    return _PLAIN_URI.fullmatch(value) is not None


@cache
def _quick_check() -> Callable[[object], bool]:
    """A valid record, the common case, needs no message: 20 000 of them are passed without jsonschema."""
    return quick_check(schema(), {"date": _is_date, "uri": _is_plain_uri})


def _accepts(data: dict) -> bool:
    return _quick_check()(data)


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
        import difflib  # for this message only: not imported by every build

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
    if _accepts(doc.data):
        return []
    problems = []
    for error in sorted(_validator().iter_errors(doc.data), key=_sort_key):
        path, message = _message(error)
        line, col = doc.location(path)
        field = ".".join(str(p) for p in path[:1]) + "".join(f"[{p}]" for p in path[1:])
        problem = Problem(name, line, col, field, message)
        if problem not in problems:  # `listed` breaks its pattern and its format: one mistake, one message
            problems.append(problem)
    return problems
