"""Paper pages are HTML below their `# title` (builder/pages/markdown.py): MkDocs neither rewrites
nor checks links there, even with --strict, so the pages must hold the final URLs themselves. Every
link of every built paper page leads to a built file, with use_directory_urls on (papers/x/) and
off (papers/x.html); and a catalog whose mkdocs.yml lacks the extension gets the same pages."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import copy_catalog
from markdown.extensions.toc import slugify
from reader_outputs import write_record

from builder.fsio import CONTROL
from builder.pages.markdown import HTML_BELOW, plain, section_id

EXTENSION_LINE = "  - builder.pages.markdown"
_sites: dict[tuple[bool, bool], Path] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """built(directory_urls, extension) -> the site folder, each kind built once for the module."""

    def site(directory_urls: bool = True, extension: bool = True) -> Path:
        if (directory_urls, extension) not in _sites:
            root = copy_catalog(tmp_path_factory.mktemp("paper-html") / "catalog")
            # A title equal to a section's name: Markdown's toc gives the title that id first.
            write_record(root, "cite", {"title": "Cite", "abstract": "A paper named like a section.",
                                        "listed": "2025-03-14", "authors": ["Ada O'Hara & \"Bob\""],
                                        "url": "https://example.org/a?b=1&c=2"})
            config = root / "mkdocs.yml"
            text = config.read_text(encoding="utf-8")
            assert EXTENSION_LINE in text
            if not extension:
                text = "\n".join(line for line in text.splitlines() if not line.startswith(EXTENSION_LINE))
            config.write_text(text + ("" if directory_urls else "\nuse_directory_urls: false\n"), encoding="utf-8")
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                                    capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            _sites[directory_urls, extension] = root / "site"
        return _sites[directory_urls, extension]

    return site


class Links(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.urls: list[str] = []
        self.ids: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)
            elif name == "id":
                self.ids.append(value)


def paper_pages(site: Path) -> dict[str, str]:
    """Built paper pages by path in the site."""
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in (site / "papers").rglob("*.html")}
    assert len(pages) > 50
    return pages


def target(site: Path, page: str, url: str) -> str | None:
    """The site file a relative link of `page` leads to (a folder's index.html, as a web server
    serves it); None for links to other sites or within the page."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    return posixpath.join(path, "index.html") if (site / path).is_dir() else path


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "flat-urls"])
def test_every_link_of_a_paper_page_leads_to_a_built_file(built, directory_urls):
    site = built(directory_urls)
    broken = []
    for page, text in paper_pages(site).items():
        files = [target(site, page, url) for url in Links(text).urls]
        files = [f for f in files if f is not None]
        broken += [(page, f) for f in files if f.startswith("..") or not (site / f).is_file()]
        # The links the page body writes itself: code status, topics, related papers.
        assert any(f.startswith("code/") for f in files), page
        assert any(f.startswith("topics/") for f in files), page
    assert broken == []
    dsee = "papers/dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models"
    page = f"{dsee}/index.html" if directory_urls else f"{dsee}.html"
    links = Links(paper_pages(site)[page]).urls
    assert ("../../topics/language/" if directory_urls else "../topics/language.html") in links
    assert ("../../code/available/" if directory_urls else "../code/available.html") in links


def test_the_html_below_the_title_reaches_the_page_unparsed(built):
    site = built()
    source = (site.parent / "docs" / "papers" / "cite.md").read_text(encoding="utf-8")
    assert HTML_BELOW in source.splitlines()
    page = paper_pages(site)["papers/cite/index.html"]
    assert HTML_BELOW not in page
    assert "<p>Ada O'Hara &amp; &quot;Bob&quot;</p>" in page
    assert '<a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a>' in page
    ids = Links(page).ids
    assert "cite" in ids and "cite_1" in ids
    assert len(ids) == len(set(ids))


def article(page: str) -> str:
    return re.search(r"<article.*?</article>", page, re.S).group(0)


def test_a_catalog_whose_mkdocs_yml_lacks_the_extension_gets_it_from_the_plugin(built):
    listed, added = paper_pages(built()), paper_pages(built(extension=False))  # e.g. made by an older `init`
    assert listed.keys() == added.keys()
    for name, page in added.items():
        assert HTML_BELOW not in page, name
        assert article(page) == article(listed[name]), name


@pytest.mark.parametrize("text", ["plain words", " leading", "trailing ", "two  spaces", "tab\there", "line\nbreak",
                                  "nbsp\u00a0here", "ideographic\u3000space", "nel\u0085x", "bell\x07x", "\ud800x",
                                  "\ufffe", "", " ", "caf\u00e9 \u2028 x"])
def test_text_that_looks_plain_is_left_as_it_is_and_other_text_is_made_plain(text):
    # plain() skips its regex and split for text it can tell is already plain; the result must not change.
    assert plain(text) == " ".join(CONTROL.sub("", text).split())


@pytest.mark.parametrize("title", ["Abstract", "abstract!", "  ABSTRACT  ", "Abs-tract", "Ab_stract", "Abstracts",
                                   "An abstract", "Cite", "(Cite)", "Related papers", "Related  Papers?", "related_papers",
                                   "Related-papers!", "\u00c1bstract", "\uff41bstract", "Cit\u00e9", "x\x07Cite", ""])
def test_a_section_id_is_the_one_python_markdowns_toc_gives_after_the_title(title):
    # section_id skips slugify for titles whose word characters already tell the slug differs.
    for slug in ("abstract", "cite", "related-papers"):
        expected = f"{slug}_1" if slugify(plain(title), "-") == slug else slug
        assert section_id(slug, title) == expected, (title, slug)
