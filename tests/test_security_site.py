"""A site built from a catalog full of hostile records: no active content anywhere, and every
hostile text reaches the reader as the same literal text (page body, <title>, meta tags, search
index, topic listings, the JSON export)."""

from __future__ import annotations

import filecmp
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import copy_catalog as copy_repo_catalog
from sitescan import assert_clean_site, scan_site

from builder.records import yamlio
from builder.records.ids import normalise_title

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
EPOCH = "1741824000"  # 2025-03-13 00:00 UTC


def hostile_records() -> dict[str, dict]:
    return {p.stem: yamlio.load(p.read_text(encoding="utf-8"), p.name).data for p in sorted(HOSTILE.glob("*.yaml"))}


def copy_catalog(root: Path) -> Path:
    copy_repo_catalog(root)
    for record in HOSTILE.glob("*.yaml"):
        shutil.copy(record, root / "data" / "papers" / record.name)
    return root


def mkdocs_build(root: Path, site_dir: str = "site") -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site_dir], cwd=root,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root / site_dir


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return mkdocs_build(copy_catalog(tmp_path_factory.mktemp("hostile") / "catalog"))


class Visible(HTMLParser):
    """What a reader sees of a page: the <title>, meta contents, and the text of each element kind."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("name") or attrs.get("property") or ""] = attrs["content"]
        if tag in ("title", "h1", "p", "a", "li"):
            self._open.append(tag)
            self.texts.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        for tag in self._open:
            self.texts[tag][-1] += data


def test_the_scanner_finds_nothing_in_the_hostile_site(hostile_site):
    scanned = assert_clean_site(hostile_site)
    assert scanned > 100 and any((hostile_site / "pagefind" / "fragment").glob("*.pf_fragment"))


@pytest.mark.parametrize("paper_id", sorted(hostile_records()))
def test_hostile_title_is_the_same_literal_text_in_title_heading_and_meta(hostile_site, paper_id):
    title = normalise_title(hostile_records()[paper_id]["title"])
    page = Visible((hostile_site / "papers" / paper_id / "index.html").read_text(encoding="utf-8"))
    assert page.texts["title"][0] == f"{title} - Paper Catalog"
    assert page.texts["h1"][0] == title
    assert page.meta["og:title"] == title and page.meta["twitter:title"] == title
    assert page.meta["description"] == page.meta["og:description"]
    assert page.meta["description"].rstrip("…") in " ".join(hostile_records()[paper_id]["abstract"].split())


@pytest.mark.parametrize("paper_id", sorted(hostile_records()))
def test_hostile_abstract_and_authors_are_literal_paragraphs(hostile_site, paper_id):
    record = hostile_records()[paper_id]
    paragraphs = Visible((hostile_site / "papers" / paper_id / "index.html").read_text(encoding="utf-8")).texts["p"]
    assert " ".join(record["abstract"].split()) in paragraphs
    if "authors" in record:
        assert ", ".join(record["authors"]) in paragraphs


def test_template_syntax_in_records_is_never_evaluated(hostile_site):
    page = Visible((hostile_site / "papers" / "template-syntax" / "index.html").read_text(encoding="utf-8"))
    assert page.texts["h1"][0] == "{{ 7*7 }} {% raw %}{{ config }}{% endraw %} ${7*7} #{7*7}"
    assert any(p.startswith("Template syntax stays literal: {{ 7*7 }} {{ config.site_name }}") for p in page.texts["p"])
    assert "49" not in page.texts["h1"][0]


def search_titles(site: Path) -> dict[str, str]:
    """The title each search result shows, by page URL, for whichever index the site ships:
    Pagefind (meta.title, put into the page as text) or Material's lunr index (title, inserted as HTML)."""
    titles = {}
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        titles[data["url"]] = html.unescape(data["meta"]["title"])  # the search script shows it as text
    lunr = site / "search" / "search_index.json"
    if lunr.is_file():
        for doc in json.loads(lunr.read_text(encoding="utf-8"))["docs"]:
            titles.setdefault(doc["location"], html.unescape(doc["title"]))
    return titles


def test_search_index_and_topic_listing_show_titles_as_literal_text(hostile_site):
    titles = search_titles(hostile_site)
    exported = {p["id"]: p for p in json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))}
    for paper_id, record in hostile_records().items():
        title = normalise_title(record["title"])
        assert titles[f"papers/{paper_id}/"] == title
        for topic in exported[paper_id]["topics"]:
            listing = Visible((hostile_site / "topics" / topic / "index.html").read_text(encoding="utf-8"))
            assert title in listing.texts["a"], topic


def test_json_export_keeps_hostile_text_exactly(hostile_site):
    exported = {p["id"]: p for p in json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))}
    for paper_id, record in hostile_records().items():
        assert exported[paper_id]["title"] == normalise_title(record["title"])
        assert exported[paper_id]["abstract"] == " ".join(record["abstract"].split())


def test_two_builds_give_byte_identical_sites_dated_by_source_date_epoch(hostile_site):
    again = mkdocs_build(hostile_site.parent, "site-again")
    compared = filecmp.dircmp(hostile_site, again)

    def differences(cmp: filecmp.dircmp) -> list[str]:
        found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    # Pagefind (1.5.2) writes its filter index in hash-map order, so the filter files, the metadata
    # file naming them and the entry file naming that differ run to run (upstream Pagefind#638); their
    # content is the same. Everything else, fragments and word index included, is byte-identical.
    unstable = re.compile(r"^(en_[0-9a-f]+\.pf_filter|pagefind\.en_[0-9a-f]+\.pf_meta|pagefind-entry\.json)$")
    assert [name for name in differences(compared) if not unstable.match(name)] == []
    filters = [sorted(sorted(gzip.decompress(f.read_bytes())) for f in (site / "pagefind" / "filter").iterdir())
               for site in (hostile_site, again)]
    assert filters[0] == filters[1]
    # filecmp's shallow check trusts equal sizes and mtimes; compare the bytes of the dated file.
    assert (hostile_site / "sitemap.xml.gz").read_bytes() == (again / "sitemap.xml.gz").read_bytes()
    dates = set(re.findall(r"<lastmod>([^<]*)</lastmod>", (hostile_site / "sitemap.xml").read_text()))
    assert dates == {"2025-03-13"}


# The scanner itself: each rule must catch what it is for, or the tests above prove nothing.
@pytest.mark.parametrize("markup", [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<script src="assets/javascripts/../../evil.js"></script>',
    "<img src=x OnError=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<iframe src="https://example.com"></iframe>',
    "<object data=x></object>",
    "<embed src=x>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="Refresh" content="0;url=https://evil.example/">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
])
def test_the_scanner_catches_each_kind_of_active_content(tmp_path, markup):
    site = tmp_path / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts" / "bundle.js").write_text("")
    (site / "page.html").write_text(f"<!doctype html><html><body><p>ok</p>{markup}</body></html>")
    assert len(scan_site(site)) >= 1
    (site / "page.html").unlink()
    (site / "search.json").write_text(json.dumps({"docs": [{"text": f"<p>{markup}</p>"}]}))
    assert len(scan_site(site)) >= 1
    (site / "search.json").unlink()
    (site / "feed.xml").write_text(f"<rss><channel><item><description>{html.escape(markup)}</description>"
                                   "</item></channel></rss>")
    assert len(scan_site(site)) >= 1


def test_the_scanner_accepts_the_theme_and_literal_text(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts" / "bundle.js").write_text("")
    (site / "page.html").write_text(
        '<html><head><script>__md_scope=new URL("..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+'
        '_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
        '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
        '</script></head><body><h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>'
        '<a href="https://example.com/?q=javascript:">x</a><script src="assets/javascripts/bundle.js"></script>'
        '</body></html>')
    (site / "feed.xml").write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">'
                                   "&lt;script&gt;alert(1)&lt;/script&gt;</title></feed>")
    (site / "catalog.json").write_text(json.dumps([{"title": "<script>alert(1)</script>"}]))
    assert scan_site(site) == []
