"""Make untrusted text literal in Markdown, and URLs safe in links.

Everything a template prints is escaped by default (see ``render.environment``): HTML-significant
characters become entities, Markdown-significant ones get a backslash, so a title like
``</title><script>`` or ``[x](javascript:…)`` reaches the reader as the same literal text.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from markupsafe import Markup

from ..fsio import CONTROL

# Python-Markdown's escapable characters with the extensions we enable (tables adds '|').
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_HTML_TABLE = str.maketrans(_HTML)


def plain(value: object) -> str:
    """One line of printable text: whitespace runs become one space, control characters go.

    Records with control characters are refused when loaded; dropping them here as well keeps the
    renderer safe for any text (Python-Markdown uses STX/ETX internally as placeholder markers)."""
    return " ".join(CONTROL.sub("", str(value)).split())


def md_text(value: object) -> Markup:
    """Literal text in a Markdown paragraph, heading or list item."""
    if isinstance(value, Markup):
        return value
    text = plain(value)
    text = text.translate(_HTML_TABLE)  # one C pass: a per-character join cost seconds per 5 000 pages
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def link_url(url: str) -> Markup:
    """An http(s) URL for a Markdown link destination: anything else is refused, nothing can break out."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise ValueError(f"refusing non-http(s) URL {url!r}")
    return Markup(quote(url, safe=":/?#@!$&*+,;=%~-._"))


def yaml_string(value: str) -> Markup:
    """A YAML scalar for front matter (JSON strings are valid YAML)."""
    return Markup(json.dumps(plain(value), ensure_ascii=False))
