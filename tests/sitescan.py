"""Scan a whole built site for active content that did not come from the theme.

Usable by any test that builds a site::

    from sitescan import assert_clean_site
    assert_clean_site(root / "site")

Every file is scanned: HTML pages as documents; JSON and XML files (search indexes, feeds,
sitemaps, also inside ``.gz``) string by string, each string read as an HTML fragment, because
search results and feed readers insert such text as HTML; Pagefind fragments (``.pf_fragment``) by
their ``content``, which Pagefind cuts excerpts from and UIs insert as HTML. A finding is any of:

- a ``<script>`` that is not the site's own: a ``src`` that is not a same-site file under one of
  ``script_dirs`` (default ``assets/``: the theme's bundle and the catalog's own scripts, which no
  record can create), or an inline body that matches none of the inline scripts of mkdocs-material's
  templates;
- an ``on*=`` event-handler attribute;
- a ``javascript:``, ``vbscript:`` or non-image ``data:`` URL in a URL attribute, or a
  ``javascript:`` / ``vbscript:`` target anywhere in a ``style`` or ``srcdoc``;
- an ``<iframe>``, ``<frame>``, ``<object>``, ``<embed>``, ``<applet>``, ``<base>`` or ``<style>``
  element in record-derived text, or a ``<meta http-equiv="refresh">``.

Files whose strings are documented as plain-text data, never inserted as HTML (the JSON export),
are named in ``literal``; they are only checked to parse. Atom elements of type ``text`` are plain
text by the Atom spec and checked the same way.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import material

THEME_TEMPLATES = Path(material.__file__).parent / "templates"
# JSON whose strings are plain text by contract: the export (whole and per topic), and the explore
# page's data (explore.js puts it into the page with textContent only).
LITERAL_DATA = ("catalog.json", "topics/*.json", "explore.json")
SCRIPT_DIRS = ("assets",)  # where the site's own script files live

FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "lowsrc", "dynsrc", "cite", "ping", "codebase", "longdesc", "usemap", "manifest", "srcset"}
_ACTIVE_SCHEME = re.compile(r"^(?:javascript|vbscript):")
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|webp|avif)[;,]")
_SCRIPT_URL_ANYWHERE = re.compile(r"(?:javascript|vbscript)\s*:", re.IGNORECASE)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a scheme


@dataclass(frozen=True)
class Finding:
    path: str
    what: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}: {self.excerpt[:160]!r}"


def _theme_inline_scripts() -> list[re.Pattern]:
    """Each inline script of the theme's templates as a pattern; a Jinja expression in it may only
    become a value inside a JS string literal (no quote, backslash or angle bracket)."""
    patterns = set()
    for template in sorted(THEME_TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for body in re.findall(r"<script>(.*?)</script>", text, re.DOTALL):
            if "{%" in body:
                continue
            parts = re.split(r"\{\{.*?\}\}", body)
            patterns.add("".join(p if i == 0 else r"[^\"'\\<>]*" + p
                                 for i, p in enumerate(map(re.escape, parts))))
    return [re.compile(p, re.DOTALL) for p in sorted(patterns)]


_THEME_SCRIPTS = _theme_inline_scripts()


def _url_is_active(value: str) -> bool:
    url = _IGNORED_IN_URL.sub("", value).lower()
    if url in ("javascript:void(0)", "javascript:void(0);"):  # the theme's no-op idiom carries nothing
        return False
    return bool(_ACTIVE_SCHEME.match(url)) or (url.startswith("data:") and not _DATA_IMAGE.match(url))


class _Checker(HTMLParser):
    """Collects findings for one HTML document or fragment; ``page`` is set for site pages, whose
    theme scripts are allowed, and None for fragments (record text), where no script is."""

    def __init__(self, path: str, site: Path | None = None, page: Path | None = None,
                 script_dirs: tuple[str, ...] = SCRIPT_DIRS):
        super().__init__(convert_charrefs=True)
        self.path, self.site, self.page, self.script_dirs = path, site, page, script_dirs
        self.findings: list[Finding] = []
        self._script: tuple[dict, list[str]] | None = None

    def _add(self, what: str, excerpt: str) -> None:
        self.findings.append(Finding(self.path, what, excerpt))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        shown = self.get_starttag_text() or f"<{tag}>"
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self._add(f"event-handler attribute {name}=", shown)
            if name in URL_ATTRIBUTES and any(_url_is_active(v) for v in value.split(",")):
                self._add(f"active URL in {name}=", shown)
            if name in ("style", "srcdoc") and _SCRIPT_URL_ANYWHERE.search(value):
                self._add(f"script URL inside {name}=", shown)
        if tag in FORBIDDEN_TAGS:
            self._add(f"<{tag}> element", shown)
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self._add("<meta http-equiv=refresh>", shown)  # a redirect, to javascript: or elsewhere
        if tag == "style" and self.page is None:
            self._add("<style> element in text", shown)
        if tag == "script":
            self._script = (values, [])

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":  # <script/> still opens a script in HTML; judge it by its attributes
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script:
            self._script[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script:
            attrs, body = self._script
            self._script = None
            if not self._theme_script(attrs, "".join(body)):
                self._add("script that is not the theme's own", f"<script {attrs}>{''.join(body)}")

    def close(self) -> None:
        super().close()
        if self._script:  # unterminated: a browser would still run what follows
            self.handle_endtag("script")

    def _theme_script(self, attrs: dict, body: str) -> bool:
        if self.page is None or self.site is None:
            return False
        if "src" in attrs:
            return not body.strip() and self._site_script(attrs["src"])
        if attrs.get("type") == "application/json" and attrs.get("id") == "__config":
            try:
                json.loads(body)
            except ValueError:
                return False
            return True
        return set(attrs) <= {"id"} and any(p.fullmatch(body) for p in _THEME_SCRIPTS)


    def _site_script(self, src: str) -> bool:
        """A same-site path to a script file under ``script_dirs``; absolute paths (404.html uses
        them) may carry the site_url's path as a prefix."""
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.IGNORECASE) or "?" in src or "#" in src:
            return False
        dirs = [(self.site / d).resolve() for d in self.script_dirs]
        if not src.startswith("/"):
            candidates = [self.page.parent / src]
        else:
            parts = src.lstrip("/").split("/")
            candidates = [self.site.joinpath(*parts[i:]) for i in range(len(parts))]
        return any(c.is_file() and any(c.resolve().is_relative_to(d) for d in dirs) for c in candidates)


def check_fragment(text: str, path: str) -> list[Finding]:
    """Findings for text that some consumer may insert as HTML (search results, feed readers)."""
    if "<" not in text and ":" not in text:
        return []
    checker = _Checker(path)
    checker.feed(text)
    checker.close()
    return checker.findings


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


_ATOM = "{http://www.w3.org/2005/Atom}"


def _scan_xml(data: bytes, path: str) -> list[Finding]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return [Finding(path, "XML does not parse", str(exc))]
    findings = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        if local in FORBIDDEN_TAGS | {"script"}:
            findings.append(Finding(path, f"<{local}> element in XML", ElementTree.tostring(element, "unicode")))
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on") or (name in URL_ATTRIBUTES and _url_is_active(value)):
                findings.append(Finding(path, f"active attribute {name}= in XML", value))
        plain = element.tag.startswith(_ATOM) and element.get("type", "text") == "text"
        for text in (element.text, element.tail):
            if text and not plain:
                findings += check_fragment(text, path)
    return findings


def scan_file(path: Path, site: Path, literal: tuple[str, ...] = LITERAL_DATA,
              script_dirs: tuple[str, ...] = SCRIPT_DIRS) -> list[Finding]:
    shown = path.relative_to(site).as_posix()
    name = shown[:-3] if shown.endswith(".gz") else shown
    if name.rsplit(".", 1)[-1] not in ("html", "htm", "json", "xml", "pf_fragment"):
        return []
    data = path.read_bytes()
    if shown.endswith((".gz", ".pf_fragment")):
        data = gzip.decompress(data)
    if name.endswith(".pf_fragment"):
        fragment = json.loads(data.removeprefix(b"pagefind_dcd"))
        return check_fragment(fragment.get("content", ""), shown)
    if name.endswith(".xml"):
        return _scan_xml(data, shown)
    text = data.decode("utf-8")
    if name.endswith(".json"):
        try:
            value = json.loads(text)
        except ValueError as exc:
            return [Finding(shown, "JSON does not parse", str(exc))]
        if any(fnmatch.fnmatch(name, pattern) for pattern in literal):
            return []
        return [f for s in _strings(value) for f in check_fragment(s, shown)]
    checker = _Checker(shown, site.resolve(), path.resolve(), script_dirs)
    checker.feed(text)
    checker.close()
    return checker.findings


def scan_site(site: Path, literal: tuple[str, ...] = LITERAL_DATA,
              script_dirs: tuple[str, ...] = SCRIPT_DIRS) -> list[Finding]:
    """Every finding in every file under ``site``, in path order."""
    findings = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            findings += scan_file(path, site, literal, script_dirs)
    return findings


def assert_clean_site(site: Path, literal: tuple[str, ...] = LITERAL_DATA,
                      script_dirs: tuple[str, ...] = SCRIPT_DIRS) -> int:
    """Fail with every finding listed; returns the number of files scanned, so callers can check
    the scan saw the site at all."""
    assert site.is_dir(), f"no built site at {site}"
    findings = scan_site(site, literal, script_dirs)
    assert not findings, f"{len(findings)} active-content findings:\n" + "\n".join(map(str, findings[:50]))
    return sum(1 for p in site.rglob("*") if p.is_file())
