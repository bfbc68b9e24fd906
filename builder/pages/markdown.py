"""Make untrusted text literal in Markdown, and URLs safe in links.

Everything a template prints is escaped by default (see ``render.environment``): HTML-significant
characters become entities, Markdown-significant ones get a backslash, so a title like
``</title><script>`` or ``[x](javascript:…)`` reaches the reader as the same literal text.

Paper pages are raw HTML blocks instead (Python-Markdown passes them through unparsed, which is
most of a page's build time saved): there text is HTML-escaped only (``html_text``; a backslash
would show) and links are final URLs (``html_url``; MkDocs rewrites no link inside raw HTML).
The Markdown extension here (``makeExtension``, listed in mkdocs.yml) hands everything below the
line ``HTML_BELOW`` to the output untouched: MkDocs and Python-Markdown would each still run the
raw HTML through Python's HTMLParser, which cost four times what the rest of the page does.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache, partial
from urllib.parse import quote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

from ..fsio import CONTROL

# Python-Markdown's escapable characters with the extensions we enable (tables adds '|').
_MD_SPECIAL = "\\`*_{}[]()>#+-.!|"
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# HTML-significant characters become entities, the other Markdown-significant ones get a backslash.
# Backslash first and '&' first of the entities, so nothing added is escaped twice. One str.replace
# per character present is ten times faster than a regex substitution or a multi-character
# translate table (both per-character work in Python or on the slow path; 58 000 texts a build).
_ESCAPES = tuple((ch, "\\" + ch) for ch in _MD_SPECIAL if ch not in _HTML) + tuple(_HTML.items())
_HTML_ESCAPES = tuple(_HTML.items())  # '&' first; the entities Python-Markdown itself writes for text
# ``Markup(text)`` for a str: markupsafe's __new__ is Python code that first looks for an __html__
# method (1 µs; a paper page makes some 40 safe texts), this is the str constructor alone.
markup = partial(str.__new__, Markup)


def plain(value: object) -> str:
    """One line of printable text: whitespace runs become one space, control characters go.

    Records with control characters are refused when loaded; dropping them here as well keeps the
    renderer safe for any text (Python-Markdown uses STX/ETX internally as placeholder markers)."""
    text = str(value)
    if is_plain(text):  # most texts are: one C-speed scan instead of a regex pass and a split
        return text
    return " ".join(CONTROL.sub("", text).split())


def is_plain(text: str) -> bool:
    """Whether ``plain`` would leave the text as it is. Every control character and every whitespace
    character but the space is unprintable for ``str.isprintable``, so only spaces need a look."""
    return _is_printable(text) and "  " not in text and text[:1] != " " and text[-1:] != " "


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))  # what str.isprintable accepts of ASCII


def _is_printable(text: str) -> bool:
    """``str.isprintable``, cheaper on ASCII text (most of it): deleting the printable bytes is a table
    lookup per byte, isprintable a Unicode database lookup per character (4 times the cost on an abstract)."""
    if text.isascii():
        return not text.encode().translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def md_text(value: object) -> Markup:
    """Literal text in a Markdown paragraph, heading or list item."""
    if isinstance(value, Markup):
        return value
    if type(value) is str:  # titles, names and topic names recur on many pages
        return _escaped(value)
    return _escape(value)


@lru_cache(maxsize=8192)
def _escaped(text: str) -> Markup:
    return _escape(text)


def _escape(value: object) -> Markup:
    text = plain(value)
    for char, escaped in _ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return markup(text)


_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps makes an encoder per call
_URL_SAFE = ":/?#@!$&*+,;=%~-._"
# What quote() never changes: its always-safe ASCII letters, digits and "_.-~", and the characters above.
_URL_KEPT = bytes(c for c in range(128) if chr(c).isalnum() or chr(c) in "_.-~" + _URL_SAFE)


def link_url(url: str) -> Markup:
    """An http(s) URL for a Markdown link destination: anything else is refused, nothing can break out."""
    if not _HTTP.match(url):
        raise ValueError(f"refusing non-http(s) URL {url!r}")
    if url.isascii() and not url.encode().translate(None, _URL_KEPT):  # most URLs: quote would keep them
        return markup(url)
    return markup(quote(url, safe=_URL_SAFE))


def yaml_string(value: str) -> Markup:
    """A YAML scalar for front matter (JSON strings are valid YAML)."""
    return markup(_JSON_STRING(plain(value)))


def html_text(value: object) -> Markup:
    """Literal text in a raw HTML block: escaped as Python-Markdown escapes text, on one line (a
    blank line would end the raw block and hand the rest of the text to Markdown)."""
    if type(value) is str:
        return _html_escaped(value) if len(value) <= RECURRING_CHARS else _html_escape_text(value)
    if isinstance(value, Markup):
        return value
    return _html_escape(plain(value))


# Short texts recur: a paper's title is printed twice on each page that lists it as related and on
# the lists of its topics; topic names and snippets recur too. The cache holds every title of a large
# catalog (with 8 192 entries, a third of the titles were escaped again); abstracts, printed once and
# longer than this, stay out of it.
RECURRING_CHARS = 300


@lru_cache(maxsize=1 << 16)
def _html_escaped(text: str) -> Markup:
    return _html_escape_text(text)


def _html_escape_text(text: str) -> Markup:
    if _is_html_inert(text):  # most texts: one C-speed scan instead of plain's and four escapes'
        return markup(text)
    return _html_escape(plain(text))


# Printable ASCII that HTML text shows as it is: all but the characters _HTML_ESCAPES replaces.
_HTML_INERT_ASCII = bytes(c for c in _PRINTABLE_ASCII if chr(c) not in _HTML)


def _is_html_inert(text: str) -> bool:
    """Whether ``html_text`` would return the text as it is: plain ASCII without an HTML-significant
    character (deleting the inert bytes leaves nothing), single-spaced, no space at either end."""
    return (text.isascii() and not text.encode().translate(None, _HTML_INERT_ASCII)
            and "  " not in text and text[:1] != " " and text[-1:] != " ")


def _html_escape(text: str) -> Markup:
    for char, escaped in _HTML_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return markup(text)


def html_code(text: str) -> Markup:
    """Literal lines in a raw <pre> block, indents and line breaks kept: a fenced block's escaping.
    (Its lines hold no blank line: a BibTeX entry's fields are one line each.)"""
    text = str(text)
    if text.isascii() and not text.encode().translate(None, _CODE_INERT_ASCII):  # most: nothing to do
        return markup(text)
    return _html_escape(CONTROL.sub("", text))


_CODE_INERT_ASCII = _HTML_INERT_ASCII + b"\t\n\r"  # the ASCII that CONTROL leaves and no entity replaces


def html_url(url: str) -> Markup:
    """An http(s) URL (``link_url``) for an href attribute in raw HTML."""
    return markup(str(link_url(url)).replace("&", "&amp;"))


def section_id(slug: str, title: str) -> Markup:
    """The id Python-Markdown's toc gives a fixed section heading below the page's `# title`: the
    title's heading takes the slug first when they are equal, and the section then gets `_1`."""
    taken = _may_slug_to(title, slug) and _heading_slug(title) == slug
    return markup(f"{slug}_1" if taken else slug)


_NOT_WORD_ASCII = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))


def _may_slug_to(title: str, slug: str) -> bool:
    """False when the title's heading slug cannot be ``slug`` (letters and hyphens): a look at C speed
    that spares almost every page slugify's Unicode normalisation and regex passes (a tenth of the
    cost). An ASCII title's slug is its word characters, lower-cased, with hyphens between runs."""
    if not title.isascii():
        return True
    return title.encode().translate(None, _NOT_WORD_ASCII).lower() == slug.replace("-", "").encode()


@lru_cache(maxsize=16)  # a page asks for each of its sections with the same title
def _heading_slug(title: str) -> str:
    return slugify(plain(title), "-")


HTML_BELOW = "<!-- catalog: HTML below -->"


class _HtmlBelow(Preprocessor):
    """Everything after the first HTML_BELOW line becomes one stashed raw HTML block, which
    Python-Markdown puts back as it is once the rest is converted. Without this extension the same
    lines are raw HTML blocks that Markdown passes through: equal pages, only slower (and the
    marker comment stays in the HTML). Generated text before the marker escapes '<', so it can
    never spell the marker itself."""

    def run(self, lines: list[str]) -> list[str]:
        if HTML_BELOW not in lines:
            return lines
        at = lines.index(HTML_BELOW)
        html = "\n".join(lines[at + 1:]).strip()
        # A block of its own (blank lines around it), so it is put back without a <p> around it.
        return [*lines[:at], "", self.md.htmlStash.store(html), "", ""] if html else lines[:at]


class HtmlBelowExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before MkDocs' raw HTML scan (21) and Markdown's (20).
        md.preprocessors.register(_HtmlBelow(md), "catalog_html_below", 25)


def makeExtension(**kwargs) -> HtmlBelowExtension:  # noqa: N802 (the name Python-Markdown looks up)
    return HtmlBelowExtension(**kwargs)
