"""Render every generated page from the enriched papers: one Jinja2 template per page kind."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from types import BuiltinMethodType, FunctionType, MethodType
from typing import NamedTuple

from jinja2 import Environment, Template
from jinja2.runtime import Context
from markupsafe import Markup

from ..enrich.catalog import Paper, papers_by_topic
from ..enrich.taxonomy import Taxonomy
from ..memo import Memo, table
from ..parallel import map_items
from ..records.ids import ID_PATTERN
from .citation import bibtex, citation_keys
from .explore import explore_json, explore_page
from .feeds import feed_files
from .jinja_env import package_environment
from .markdown import html_code, html_text, html_url, link_url, markup, md_text, section_id, yaml_string
from .paging import ListPage, paginate
from .stats import stats_page
from .urls import linker, page_url, sibling_url, to_root

CODE_STATUSES = {
    "available": ("Code available", "Papers whose code is public, with a link to it."),
    "announced": ("Code announced", "Papers whose authors say the code will be released."),
    "none": ("No code", "Papers that mention no code."),
}
SNIPPET_CHARS = 180


@dataclass(frozen=True)
class Settings:
    """What pages need from the site's configuration."""

    site_name: str = "Paper Catalog"
    edit_base: str = ""  # e.g. https://github.com/OWNER/REPO/edit/main/ ; empty: no edit links
    site_url: str = ""  # mkdocs.yml's site_url, ending in "/"; empty: no feeds (they need absolute URLs)
    directory_urls: bool = True  # mkdocs.yml's use_directory_urls: raw HTML links on paper pages are final URLs


@cache  # the templates are part of the package: compiled once per process (`mkdocs serve` builds many times)
def environment() -> Environment:
    # Output is Markdown, so HTML autoescape does not fit; instead every {{ value }} goes through
    # md_text unless a filter already made it safe (Markup): escaping is the default, not a habit.
    env = package_environment(finalize=md_text)
    env.filters.update(url=link_url, yaml=yaml_string, snippet=snippet, id=page_id, join=join)
    env.filters.update(decimal=decimal, anchors=anchors)
    env.filters.update(html=html_text, html_code=html_code, html_url=html_url, section_id=section_id, bibtex=bibtex)
    env.context_class = _Context
    return env


class _Context(Context):
    """Jinja's template context, with cheaper calls from templates (``paper.get(…)``, ``href(…)``).

    Jinja's ``Context.call`` first asks the callable whether it wants the context or the environment
    passed in (``pass_context`` & co.), by attribute lookups that fail for every plain function and
    method: ten times the cost of the call itself, some 15 times a paper page and on every link of a
    list page. A plain function or method without that mark is called directly; anything else goes
    the whole way."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature: a keyword may be named 'self')
        kind = type(__obj)
        # A built-in (``fields.get``) cannot carry the mark: the look for it is spared too.
        if kind is not BuiltinMethodType and (kind not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg")):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_loop_vars", None)  # what the compiled template passes for pass_context callables
        kwargs.pop("_block_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Context.call: a template cannot catch it
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


_PLAIN_CALLABLES = (FunctionType, MethodType)


def join(values: Iterable, separator: str = "") -> str:
    """Jinja's `join` for this environment (no autoescape, no async), without the layers that check for
    both on every call: a paper page joins up to ten lists, and those checks cost 8 times the join."""
    items = values if type(values) in (list, tuple) else list(values)
    try:
        return separator.join(items)  # lists of text (most): no str() of each item first
    except TypeError:  # a number among them (a year)
        return separator.join(map(str, items))


@lru_cache(maxsize=1 << 14)  # similarity scores have four decimals: most recur, and formatting is the cost
def decimal(number: float, places: int) -> Markup:
    """A number with that many decimal places: digits, a point and a sign only, so safe anywhere."""
    return markup(f"{float(number):.{places}f}")


def anchors(links: Iterable[PageLink], separator: str) -> Markup:
    """An HTML link to each page, with the separator between them: one filter where a loop would need
    Jinja's ``loop.last`` (a LoopContext, a fifth of a topic line's cost). PageLinks come escaped."""
    return markup(separator.join([f'<a href="{href}">{title}</a>' for href, title in links]))


@lru_cache(maxsize=1 << 16)  # a paper's id is printed on every page that links to it
def page_id(value: str) -> Markup:
    """An id used in a link path; ids are validated slugs, so this only guards against misuse."""
    if not ID_PATTERN.match(value):
        raise ValueError(f"not an id: {value!r}")
    return markup(value)


# Not cached: the lists of a paper's topics take its snippet from one row made for all of them
# (_ListRows), and its page is rendered by another process; hashing the abstract cost half the snippet.
def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The first sentence, cut at a word boundary: enough to recognise a paper in a list."""
    first = _first_sentence(text, limit).rstrip(".") + "."
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


# Words a full stop follows inside a sentence: abbreviations ("Ainsworth et al. showed", "Fig. 2"), a
# capital initial ("A. Turing") and dotted ones ("e.g.", "i.i.d.", "U.S."). "etc." is not one: it
# often ends a sentence, and where it does not a lower-case word follows, as after any other word.
_INSIDE_SENTENCE = re.compile(r"(?i:al|cf|vs|viz|resp|approx|figs?|eqs?|secs?|refs?)|[A-Z]|[A-Za-z](?:\.[A-Za-z])+")


def _first_sentence(text: str, limit: int) -> str:
    """The text up to the full stop that ends its first sentence if it is within ``limit``, else all
    of it. A full stop before a lower-case word, after an abbreviation or inside brackets ends none.
    Abstracts are single-spaced (store.py): a full stop ends a sentence with ". ". (enrich/code.py's
    split, for code evidence, ends one after "et al." or "e.g." before a capital or a bracket.)"""
    end = text.find(". ", 0, limit + 1)  # one at ``limit`` or later leaves a sentence to cut anyway
    while end >= 0:
        word = text[text.rfind(" ", 0, end) + 1:end].lstrip("([{\"'")
        if not (text[end + 2:end + 3].islower() or _INSIDE_SENTENCE.fullmatch(word)
                or text.rfind("(", 0, end) > text.rfind(")", 0, end)
                or text.rfind("[", 0, end) > text.rfind("]", 0, end)):
            return text[:end]
        end = text.find(". ", end + 2, limit + 1)
    return text


def _sorted(papers: list[Paper]) -> list[Paper]:
    """Newest listing first, then title, then id: a total order, so pages never reshuffle."""
    by_title = sorted(papers, key=lambda p: (p.title.casefold(), p.id))
    return sorted(by_title, key=lambda p: p.listed or "", reverse=True)


class PageLink(NamedTuple):
    """A link on paper pages: the target's final URL and its title, escaped for raw HTML."""

    href: Markup
    title: Markup


@dataclass(frozen=True)
class PaperPageParts:
    """What paper pages print of other papers, topics and code lists, made once for all the pages
    that show it (a paper is on five others' related lists, a topic on hundreds of pages)."""

    papers: dict[str, PageLink]
    topics: dict[str, PageLink]
    codes: dict[str, PageLink]  # by code status
    tags: dict[str, Markup]  # a topic's name as a YAML string, for the front matter
    cite_keys: dict[str, str]  # each paper's BibTeX key, by id: other papers decide it too

    @classmethod
    def make(cls, papers: list[Paper], taxonomy: Taxonomy, settings: Settings,
             cite_keys: dict[str, str] | None = None) -> PaperPageParts:
        directory_urls = settings.directory_urls
        from_paper = linker("papers/paper.md", directory_urls)  # all paper pages share a folder
        return cls(
            {p.id: PageLink(sibling_url(page_id(p.id), directory_urls), html_text(p.title)) for p in papers},
            {t.id: PageLink(from_paper(f"topics/{page_id(t.id)}.md"), html_text(t.name)) for t in taxonomy.topics},
            {s: PageLink(from_paper(f"code/{page_id(s)}.md"), html_text(label))
             for s, (label, _) in CODE_STATUSES.items()},
            {t.id: yaml_string(t.name) for t in taxonomy.topics},
            citation_keys(papers) if cite_keys is None else cite_keys,
        )

    def context(self, paper: Paper) -> dict:
        """paper.md.j2's own variables: the paper and its record's fields, and links paired with what
        they stand for."""
        return {"paper": paper, "fields": paper.record.data, "code": self.codes[paper.code.status],
                "tags": [self.tags[t] for t in paper.topic_ids],
                "topic_links": [self.topics[t] for t in paper.topic_ids],
                "topics": [(self.topics[m.topic], m) for m in paper.topics],
                "related": [(self.papers[r.id], r) for r in paper.related],
                "cite_key": self.cite_keys[paper.id]}


def paper_inputs(paper: Paper, by_id: dict[str, Paper], cite_key: str) -> tuple:
    """Everything a paper's page shows, besides the taxonomy and settings: equal inputs, equal page.
    Its topics and code are left out: they follow from the record's bytes and the taxonomy."""
    return (paper.record.path, paper.record.digest, tuple(paper.related),
            tuple(by_id[r.id].title for r in paper.related), cite_key)


class _ListRows:
    """Each paper as the lists print it, escaped for raw HTML and made once for all the lists that show
    it (its topics' and its code status's): a list page's template then only places a hundred ready
    rows, where looking up, filtering and escaping each paper's fields was most of a list page's cost.
    A paper's link is relative to the site's root: each list page puts its own way up in front."""

    def __init__(self, directory_urls: bool):
        self.directory_urls = directory_urls
        self.statuses = {status: html_text(label) for status, (label, _) in CODE_STATUSES.items()}
        self.topic_rows: dict[str, tuple[Markup, Markup, Markup, Markup]] = {}

    def topic_row(self, paper: Paper) -> tuple[Markup, Markup, Markup, Markup]:
        """(link, title, code status, snippet) on the lists of its topics (topic.md.j2)."""
        row = self.topic_rows.get(paper.id)
        if row is None:
            row = self.topic_rows[paper.id] = (*self._link(paper), self.statuses[paper.code.status],
                                               html_text(snippet(paper.abstract)))
        return row

    def code_row(self, paper: Paper) -> tuple[Markup, Markup, tuple[tuple[Markup, Markup], ...]]:
        """(link, title, (URL, kind) of each link to code) on the list of its code status (code.md.j2)."""
        topic_row = self.topic_rows.get(paper.id)  # made already if the paper has a topic
        links = paper.code.links
        return (*(topic_row[:2] if topic_row else self._link(paper)),
                tuple((html_url(link.url), html_text(link.kind)) for link in links if link.is_code) if links else ())

    def _link(self, paper: Paper) -> tuple[Markup, Markup]:
        return markup(page_url(f"papers/{page_id(paper.id)}.md", self.directory_urls)), html_text(paper.title)


def _pager(pages: tuple[tuple[int, str], ...], directory_urls: bool) -> tuple[tuple[int, Markup, Markup], ...]:
    """Each page of a list as its pager links to it (pager.html.j2): number, number as printed, URL from
    the site's root. Made once per list: its pages all show them (a list of 40 pages, 1 600 links)."""
    return tuple((number, markup(str(number)), markup(page_url(path, directory_urls))) for number, path in pages)


@dataclass(frozen=True)
class _ListPage:
    """One page of a topic or code list, and what it shows besides its papers."""

    page: ListPage[Paper]
    template: Template
    row: Callable[[Paper], tuple]  # what the template prints of each paper (_ListRows)
    total: int  # papers in the whole list
    counts: tuple[int, ...]  # of the other lists it links to (subtopics, other code statuses)
    context: dict

    @property
    def path(self) -> str:
        return self.page.path

    def render(self, common: dict) -> str:
        directory_urls = common["settings"].directory_urls
        return self.template.render(page=self.page, rows=[self.row(p) for p in self.page.items],
                                    total=self.total, **self.context, **common,
                                    root=to_root(self.page.path, directory_urls),
                                    href=linker(self.page.path, directory_urls))

    def inputs(self) -> tuple:
        """Equal inputs, equal page: what keeps a rendered list page between serve builds (memo.py)."""
        return (self.page.path, self.page.count, self.total, self.counts,
                tuple((p.id, p.record.digest, p.code.status) for p in self.page.items))


@dataclass(frozen=True)
class _CatalogPage:
    """A page drawn from the whole catalog (home, topics index, explore, statistics): rendered in the
    list pages' map, its figures computed there too, so that neither process waits for the other
    while they are made."""

    path: str
    template: str  # compiled by the process that renders the page, the only one that needs it
    context: Callable[[], dict]

    def render(self, common: dict) -> str:
        return environment().get_template(self.template).render(**self.context(), **common)

    def inputs(self) -> object:
        """Such a page reads every paper, so it is made again on every build: its key equals no other."""
        return object()


def render_pages(papers: list[Paper], taxonomy: Taxonomy, settings: Settings, memo: Memo | None = None
                 ) -> dict[str, str]:
    """Every generated page and file, by path relative to docs/."""
    return {**paper_pages(papers, taxonomy, settings, memo), **site_pages(papers, taxonomy, settings, memo)}


def paper_pages(papers: list[Paper], taxonomy: Taxonomy, settings: Settings, memo: Memo | None = None,
                made: PaperPageParts | None = None) -> Mapping[str, str]:
    """One page per paper, by path relative to docs/; without a memo, each is rendered when read.
    ``made``: the pages' shared parts, when the caller had them made (by a worker with time for it)."""
    by_id = {p.id: p for p in papers}
    common = {"taxonomy": taxonomy, "settings": settings, "statuses": CODE_STATUSES}
    paper_template = environment().get_template("paper.md.j2")
    cite_keys = None  # made with the other parts, unless a memo needs them first:
    if memo is not None:  # a page's key is one of its inputs, and other papers decide it (when they share it)
        cite_keys = made.cite_keys if made else citation_keys(papers)

    # Else made by the process that renders the first page, when it does: a writing process forked
    # at once starts on them while this one goes on with other work (the exports) instead of making
    # them first with the other core idle; and a `mkdocs serve` build that renders none makes none.
    @cache
    def parts() -> PaperPageParts:
        return made or PaperPageParts.make(papers, taxonomy, settings, cite_keys)

    def render(paper: Paper) -> str:
        context = parts().context(paper)
        context.update(common)
        return _render(paper_template, context)

    if memo is None:
        return _RenderedWhenRead({f"papers/{paper.id}.md": paper for paper in papers}, render)
    rendered = map_items(render, papers, reuse=table(memo, "paper pages", taxonomy, settings),
                         key=lambda paper: paper_inputs(paper, by_id, cite_keys[paper.id]))
    return {f"papers/{paper.id}.md": page for paper, page in zip(papers, rendered)}


def _render(template: Template, context: dict) -> str:
    """``template.render(context)`` without copying the context (made for this one page) into a new
    dict with Jinja's globals (jinja_env.py leaves none): a tenth of a short page's cost."""
    try:
        return "".join(template.root_render_func(template.new_context(context, shared=True)))
    except Exception:
        return template.environment.handle_exception()  # raises, with the template's line in the traceback


class _RenderedWhenRead(Mapping):
    """Pages by path, each rendered when it is read: the process that writes a page (writer.py) then
    renders it too, and its text never travels between processes (5 000 paper pages: 27 MB).
    Without a memo only: `mkdocs serve` keeps rendered pages between builds."""

    def __init__(self, by_path: dict[str, Paper], render: Callable[[Paper], str]):
        self.by_path, self.render = by_path, render

    def __getitem__(self, path: str) -> str:
        return self.render(self.by_path[path])

    def __contains__(self, path: object) -> bool:  # Mapping's own would render the page to find out
        return path in self.by_path

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_path)

    def __len__(self) -> int:
        return len(self.by_path)


def site_pages(papers: list[Paper], taxonomy: Taxonomy, settings: Settings, memo: Memo | None = None
               ) -> dict[str, str]:
    """Every generated file but the paper pages: topic and code lists, the home, explore and statistics
    pages, explore.json and the feeds."""
    env = environment()
    listed_order = _sorted(papers)  # sorted once: every list below keeps this order
    by_topic = papers_by_topic(listed_order, taxonomy)
    by_status: dict[str, list[Paper]] = defaultdict(list)
    for paper in listed_order:
        by_status[paper.code.status].append(paper)
    common = {"taxonomy": taxonomy, "settings": settings, "statuses": CODE_STATUSES}

    def home() -> dict:
        newest = max((p.listed for p in papers if p.listed), default=None)
        return {"papers": papers, "counts": {topic: members for topic, members in by_topic.items() if members},
                "code_counts": by_status, "newest": newest,
                "newest_papers": [p for p in listed_order if newest and p.listed == newest]}

    jobs: list[_CatalogPage | _ListPage] = [  # the costliest first, so that no process is left with one at the end
        _CatalogPage("stats.md", "stats.md.j2", lambda: stats_page(papers, taxonomy, CODE_STATUSES)),
        _CatalogPage("index.md", "home.md.j2", home),
        _CatalogPage("explore.md", "explore.md.j2", lambda: explore_page(papers, taxonomy)),
        _CatalogPage("topics/index.md", "topics.md.j2", lambda: {"counts": by_topic}),
    ]
    # Topic and code lists, a page of 100 papers at a time (paging.py).
    counted = {name: len(members) for name, members in (*by_topic.items(), *by_status.items())}
    rows = _ListRows(settings.directory_urls)
    for topic in taxonomy.topics:
        children = [t for t in taxonomy.topics if t.parent == topic.id]
        members = by_topic.get(topic.id, [])
        pages = paginate("topics", topic.id, members)
        pager = _pager(pages[0].pages, settings.directory_urls)
        jobs += [_ListPage(page, env.get_template("topic.md.j2"), rows.topic_row, len(members),
                           tuple(counted.get(c.id, 0) for c in children),
                           {"topic": topic, "children": children, "counts": by_topic, "pager": pager})
                 for page in pages]
    for status in CODE_STATUSES:
        members = by_status.get(status, [])
        pages = paginate("code", status, members)
        pager = _pager(pages[0].pages, settings.directory_urls)
        jobs += [_ListPage(page, env.get_template("code.md.j2"), rows.code_row, len(members),
                           tuple(counted.get(s, 0) for s in CODE_STATUSES),
                           {"status": status, "counts": by_status, "pager": pager})
                 for page in pages]
    rendered = map_items(lambda job: job.render(common), jobs, per_worker=50,
                         reuse=table(memo, "list pages", taxonomy, settings), key=lambda job: job.inputs())
    pages = dict(zip((job.path for job in jobs), rendered))

    # For readers: the explore page's data and Atom feeds.
    pages["explore.json"] = explore_json(listed_order, taxonomy, list(CODE_STATUSES), table(memo, "explore", taxonomy))
    pages.update(feed_files(listed_order, taxonomy, settings.site_name, settings.site_url,
                            table(memo, "feed entries", taxonomy, settings), by_topic))
    return pages
