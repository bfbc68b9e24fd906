"""Property tests: any Unicode title and abstract round-trip through import → record → page as the
same literal text, and no generated string produces an active tag.

Text is compared after the normalisation the catalog applies anyway (NFC and single spaces for
titles, single spaces for abstracts): PyYAML's folded scalars may re-wrap whitespace, so the round
trip is defined on normalised text. Control characters are out of scope here: loading refuses them
(see test_security_yaml.py)."""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser

from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data
from sitescan import check_fragment

from builder.enrich.catalog import enrich
from builder.enrich.taxonomy import load_taxonomy
from builder.fsio import CONTROL
from builder.layout import Layout
from builder.pages.render import Settings, render_pages
from builder.records import schema, yamlio
from builder.records.ids import normalise_title
from builder.records.importer import record_text
from builder.records.store import Record

# Any character a UTF-8 file may hold except the control characters loading refuses; weighted
# towards the ones that mean something to Markdown, HTML, YAML or Jinja2.
SPECIAL = list("<>&\"'`\\/[](){}!#*_-+.|:;=~^%$@?\t\n ") + ["javascript:", "<script>", "&lt;", "&#60;", "{{", "{%",
                                                              "\u00a0", "\u2028", "\ufeff", "\u200b", "---"]
CHAR = st.characters(codec="utf-8").filter(lambda c: not CONTROL.match(c))
TEXT = st.lists(st.one_of(CHAR, st.sampled_from(SPECIAL)), min_size=1, max_size=60).map("".join)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


def normal_abstract(text: str) -> str:
    return " ".join(text.split())


@cache
def taxonomy():
    return load_taxonomy(Layout(REPO))


@cache
def markdown_config():
    config = load_config(str(REPO / "mkdocs.yml"))
    return config.markdown_extensions, config.mdx_configs


def imported(title: str, abstract: str, **extra) -> Record:
    """What `catalog import` writes for a paper, read back as `catalog check` reads it."""
    data = {"title": normalise_title(title), "listed": "2025-03-13", "abstract": normal_abstract(abstract), **extra}
    text = record_text(data)
    doc = yamlio.load(text, "data/papers/p.yaml")
    assert schema.validate(doc, "data/papers/p.yaml") == []
    return Record("p", "data/papers/p.yaml", doc.data)


def page_html(record: Record) -> tuple[str, dict]:
    (paper,) = enrich([record], taxonomy())
    source = render_pages([paper], taxonomy(), Settings())["papers/p.md"]
    body, meta = get_data(source)
    extensions, configs = markdown_config()
    return Markdown(extensions=extensions, extension_configs=configs).convert(body), meta


class Texts(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.by_tag: dict[str, list[str]] = {}
        self.tags: set[str] = set()
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._open.append(tag)
        self.by_tag.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data):
        for tag in self._open:
            self.by_tag[tag][-1] += data


usable = st.tuples(TEXT, TEXT).filter(lambda t: normalise_title(t[0]) and normal_abstract(t[1]))


@PROPERTY
@given(usable)
def test_any_title_and_abstract_round_trip_through_an_imported_record(pair):
    title, abstract = pair
    record = imported(title, abstract)
    assert record.title == normalise_title(title)
    assert record.abstract == normal_abstract(abstract)


@PROPERTY
@given(usable)
def test_any_title_and_abstract_appear_on_the_page_as_the_same_literal_text(pair):
    title, abstract = pair
    record = imported(title, abstract)
    html, meta = page_html(record)
    texts = Texts(html)
    assert texts.by_tag["h1"] == [normalise_title(title)]
    assert normal_abstract(abstract) in texts.by_tag["p"]
    assert normal_abstract(abstract).startswith(meta["description"].rstrip("…").rstrip("."))


BENIGN_TAGS = Texts(page_html(imported("A title", "An abstract.", authors=["A. Author"], venue="V"))[0]).tags


@PROPERTY
@given(TEXT, TEXT, st.lists(TEXT, max_size=3), TEXT)
def test_no_text_in_any_field_produces_an_active_or_extra_tag(title, abstract, authors, venue):
    if not (normalise_title(title) and normal_abstract(abstract)):
        return
    extra = {"authors": [a for a in authors if a.strip()] or ["x"], "venue": venue}
    html, _ = page_html(imported(title, abstract, **extra))
    assert check_fragment(html, "papers/p.md") == []
    assert Texts(html).tags <= BENIGN_TAGS | {"a"}
