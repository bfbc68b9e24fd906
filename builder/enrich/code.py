"""Code links and code status read from an abstract, the way real abstracts phrase them.

The status is decided in this order, and the deciding sentence is kept as evidence:

1. ``available``: the abstract links to a code repository (GitHub, GitLab, Bitbucket, an anonymous
   review mirror), even in a sentence promising a later release, since the link is where the code
   is or will be and readers can follow it; or a sentence says the code is available, including
   arXiv's "this https URL", which replaces a link the listing dropped.
2. ``announced``: a sentence about code promises it (will be released, made public, open-sourced,
   upon acceptance), with no link to a repository.
3. ``none``: otherwise. Links to datasets, model weights, demos and project pages are kept and shown
   as what they are, but they are not code.

"Code" as a subject (code generation, codebooks, codesign) is not a mention of the paper's code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import ahocorasick_rs

_HOST_NAMES = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "anonymous.4open.science")
_HOSTS = "|".join(map(re.escape, _HOST_NAMES)) + r"|[\w-]+\.github\.io"
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'\]]+"
    rf"|(?<![\w@./-])(?:{_HOSTS})/[^\s<>\"'\]]*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"»”’"
_SCHEME = re.compile(r"https?://", re.IGNORECASE)
# arXiv replaces every link in an abstract with this text.
_HIDDEN_URL = re.compile(r"\bthis\s+https?\s+URL\b", re.IGNORECASE)
_CODE_WORD = re.compile(
    r"\b(?:code|codes|source\s+code|implementation|implementations|repository|repo|software|toolkit|library)\b"
    r"(?!\s+(?:generation|completion|synthesis|summari[sz]ation|search|review|repair|translation|LLMs?|"
    r"language\s+models?|tasks?|benchmarks?|snippets?))",
    re.IGNORECASE,
)
_NOT_CODE_WORD = re.compile(
    r"\b(?:dataset|datasets|data\s+set|benchmark|model\s+weights|weights|checkpoints?|project\s+page|demo|"
    r"website|videos?|leaderboard)\b",
    re.IGNORECASE,
)
_ANNOUNCED = re.compile(
    r"\b(?:will|to)\s+be\s+(?:\w+\s+){0,2}?(?:released|available|public|published|open[\s-]?sourced|shared)"
    r"|\bwill\s+(?:\w+\s+){0,2}?(?:release|open[\s-]?source|publish|make\s+\w+\s+(?:public|available))\b"
    r"|\b(?:upon|after)\s+(?:the\s+)?(?:paper'?s?\s+)?(?:acceptance|publication)\b"
    r"|\b(?:upon|on)\s+request\b|\bcoming\s+soon\b",
    re.IGNORECASE,
)
_AVAILABLE = re.compile(
    r"\b(?:is|are)\s+(?:now\s+|publicly\s+|freely\s+|openly\s+)?"
    r"(?:available|released|provided|accessible|open[\s-]?sourced)\b"
    r"|\b(?:released|available|provided|hosted)\s+(?:at|on|in|from|via)\b"
    r"|\b(?:we\s+)?(?:release|open[\s-]?source|publish)\s+(?:our|the)\b"
    r"|^\s*(?:code|codes|source\s+code|implementation)\b[^.]{0,20}?(?::|\bat\b)",
    re.IGNORECASE,
)
# Text every match of a pattern contains, in lower case: only a sentence holding one of them is
# looked at. Exact on ASCII text only, where re.IGNORECASE equals str.lower.
_URL_HINTS = ("http", "www.", *_HOST_NAMES, ".github.io")
_HIDDEN_URL_HINTS = ("http",)
_CODE_WORD_HINTS = ("code", "implementation", "repo", "software", "toolkit", "library")
# What a sentence holding a hint may hold: a code word, a link, arXiv's hidden link (bits of a kind).
_CODE, _LINK, _HIDDEN = 1, 2, 4
_HINT_KINDS = tuple({**{hint: _CODE for hint in _CODE_WORD_HINTS}, **{hint: _LINK for hint in _URL_HINTS},
                     **{hint: _LINK | _HIDDEN for hint in _HIDDEN_URL_HINTS}}.items())
# Every hint in an abstract in one pass, where one search per hint would find it (overlaps included).
_HINT_FINDER = ahocorasick_rs.BytesAhoCorasick([hint.encode() for hint, _ in _HINT_KINDS])
_KIND_OF_HINT = tuple(kind for _, kind in _HINT_KINDS)
# A full stop followed by a space ends a sentence, except inside a URL ("github.com/a/b ." is one).
# The pattern starts with the space, not with the look behind, so the regex engine skips to spaces.
_SENTENCE = re.compile(r"\s(?<=[.!?]\s)\s*(?=[A-Z(\"'])")
# The same breaks, found from a position: the first after it (group 1 is the space ``_SENTENCE``
# removes), and the last before it (matching up to it). A break is its punctuation, the whole run
# of spaces after it and a capital (or an opening) next: found alone, it is found the same way.
_NEXT_BREAK = re.compile(r"[.!?](\s+)(?=[A-Z(\"'])")
_LAST_BREAK = re.compile(r".*[.!?]\s+(?=[A-Z(\"'])", re.DOTALL)


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # github, gitlab, bitbucket, anonymous, code, model, dataset, demo, project-page, other

    @property
    def is_code(self) -> bool:
        return self.kind in CODE_KINDS


CODE_KINDS = ("github", "gitlab", "bitbucket", "anonymous", "code")
KIND_NAMES = {
    "github": "GitHub", "gitlab": "GitLab", "bitbucket": "Bitbucket", "anonymous": "anonymous review mirror",
    "code": "code", "model": "model weights", "dataset": "dataset", "demo": "demo",
    "project-page": "project page", "other": "link",
}


_NO_CODE = "the abstract mentions no code"


@dataclass(frozen=True)
class CodeInfo:
    status: str  # available | announced | none
    links: tuple[Link, ...]
    evidence: str  # the sentence (or reason) the status was decided by


def clean_url(url: str) -> str:
    """Strip the punctuation a sentence wraps around a link; add the scheme a bare host lacks."""
    while True:
        stripped = url.rstrip(_TRAILING)
        for close, open_ in ((")", "("), ("]", "["), ("}", "{")):
            if stripped.endswith(close) and stripped.count(close) > stripped.count(open_):
                stripped = stripped[:-1]
        if stripped == url:
            break
        url = stripped
    if not _SCHEME.match(url):
        url = "https://" + url
    return url


def classify(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    first = parts.path.strip("/").split("/")[0].lower()
    if host == "github.com":
        return "github"
    if host.endswith(".github.io"):
        return "project-page"
    if host == "gitlab.com" or host.startswith("gitlab.") or ".gitlab." in f".{host}":
        return "gitlab"
    if host == "bitbucket.org":
        return "bitbucket"
    if host == "anonymous.4open.science":
        return "anonymous"
    if host in ("huggingface.co", "hf.co"):
        return {"datasets": "dataset", "spaces": "demo"}.get(first, "model")
    return "other"


def _links(text: str, code_sentence: bool = False) -> list[Link]:
    links = []
    for match in _URL.finditer(text):
        url = clean_url(match.group(0))
        kind = classify(url)
        if kind == "other" and code_sentence:
            kind = "code"  # "Code: https://lab.example.org/tool": the sentence says what it is
        links.append(Link(url, kind))
    return links


def _is_code_sentence(sentence: str) -> bool:
    return bool(_CODE_WORD.search(sentence))


def _sentences(abstract: str) -> list[tuple[str, int]]:
    """The sentences (as ``_SENTENCE`` cuts the abstract, stripped) that may speak of code or hold a
    link, in order, each with the kinds of match it may hold. The others can decide nothing."""
    if not abstract.isascii():  # where case folding is not str.lower: each sentence is tested alone
        return [(sentence.strip(), _kinds_in(sentence)) for sentence in _SENTENCE.split(abstract)]
    # A hint has no space, so it never runs across a break: each hint found in the whole abstract
    # once is in the sentence around it. Most abstracts hold one or two, in one sentence.
    found = sorted((at, _KIND_OF_HINT[hint]) for hint, at, _ in
                   _HINT_FINDER.find_matches_as_indexes(abstract.encode().lower(), overlapping=True))
    kinds: dict[tuple[int, int], int] = {}  # (start, end) of each sentence: the kinds it may hold
    span = (0, 0)
    for at, kind in found:
        if at >= span[1]:  # past the sentence of the last hint
            span = _sentence_around(abstract, at)
        kinds[span] = kinds.get(span, 0) | kind
    return [(abstract[start:end].strip(), kind) for (start, end), kind in kinds.items()]


def _sentence_around(abstract: str, at: int) -> tuple[int, int]:
    """Where the sentence that holds position ``at`` (not a space) starts and ends."""
    last_break = _LAST_BREAK.match(abstract, 0, at + 1)  # up to ``at`` and its letter, which may be the capital
    next_break = _NEXT_BREAK.search(abstract, at)
    return (last_break.end() if last_break else 0), (next_break.start(1) if next_break else len(abstract))


def _kinds_in(sentence: str) -> int:
    """The kinds of match a sentence may hold, from its hints (every kind unless it is ASCII)."""
    if not sentence.isascii():
        return _CODE | _LINK | _HIDDEN
    folded = sentence.lower()
    kinds = 0
    for hint, kind in _HINT_KINDS:
        if hint in folded:
            kinds |= kind
    return kinds


def _unique(links: list[Link]) -> list[Link]:
    """Every link of the abstract in order, once each (by URL), classified by host and sentence."""
    seen: set[str] = set()
    return [link for link in links if not (link.url in seen or seen.add(link.url))]


def detect(abstract: str) -> CodeInfo:
    """Status and links from the abstract alone; the deciding sentence is the evidence."""
    # Each sentence's code words and links, found once for both passes (stripping changes neither).
    sentences = []
    for sentence, kinds in _sentences(abstract):
        if kinds:
            about_code = bool(kinds & _CODE) and _is_code_sentence(sentence)
            links = _links(sentence, about_code) if kinds & _LINK else []
            sentences.append((sentence, about_code, links, kinds & _HIDDEN))
    links = tuple(_unique([link for _, _, found, _ in sentences for link in found]))
    for sentence, _, found, _ in sentences:
        if any(link.is_code for link in found):
            return CodeInfo("available", links, sentence)
    for sentence, about_code, _, may_hide in sentences:
        hidden = may_hide and _HIDDEN_URL.search(sentence)
        # "Project page: this https URL" names something other than code; a bare one counts as code.
        if hidden and not about_code and _NOT_CODE_WORD.search(sentence):
            continue
        if (about_code or hidden) and _ANNOUNCED.search(sentence):
            return CodeInfo("announced", links, sentence)
        if hidden or (about_code and _AVAILABLE.search(sentence)):
            return CodeInfo("available", links, sentence)
    return CodeInfo("none", links, _NO_CODE)


def resolve(abstract: str, urls: list[str] | None, status: str | None) -> CodeInfo:
    """Hand-set ``code`` and ``code_status`` win over what the abstract says."""
    found = detect(abstract)
    links = tuple(Link(u, k if (k := classify(u)) != "other" else "code") for u in urls) if urls else found.links
    if status:
        return CodeInfo(status, links, "set by hand in the record")
    if urls:
        code = any(link.is_code for link in links)
        return CodeInfo("available" if code else found.status, links, "links set by hand in the record")
    return CodeInfo(found.status, links, found.evidence)
