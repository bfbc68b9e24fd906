"""Code links and code status read from an abstract, the way real abstracts phrase them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![\w@./-])(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org|anonymous\.4open\.science)/[^\s<>\"']+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"»”’"
_ANNOUNCED = re.compile(
    r"\b(?:will|to)\s+be\s+(?:\w+\s+){0,2}?(?:released|available|public|published|open[\s-]?sourced|shared)"
    r"|\bupon\s+(?:the\s+)?(?:acceptance|publication)\b|\bcoming\s+soon\b|\bwill\s+(?:\w+\s+)?(?:release|open[\s-]?source|make)\b",
    re.IGNORECASE,
)
_AVAILABLE = re.compile(
    r"\b(?:code|codes|implementation|source|repository)\b[^.]{0,60}?\b(?:is|are)\s+(?:publicly\s+|freely\s+)?"
    r"(?:available|released|provided|at)\b|\bthis\s+https?\s+URL\b",
    re.IGNORECASE,
)
_CODE_WORD = re.compile(r"\b(?:code|codes|implementation|repository|software|source)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # github, gitlab, huggingface, project-page, anonymous, other

    @property
    def is_code(self) -> bool:
        return self.kind in ("github", "gitlab", "anonymous", "bitbucket")


@dataclass(frozen=True)
class CodeInfo:
    status: str  # available | announced | none
    links: tuple[Link, ...]
    evidence: str  # the sentence (or reason) the status was decided by


def _clean(url: str) -> str:
    url = url.rstrip(_TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(_TRAILING)
    while url.endswith("]") and url.count("]") > url.count("["):
        url = url[:-1].rstrip(_TRAILING)
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    return url


def classify(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host == "github.com":
        return "github"
    if host.endswith(".github.io"):
        return "project-page"
    if host == "gitlab.com" or host.startswith("gitlab."):
        return "gitlab"
    if host == "huggingface.co":
        return "huggingface"
    if host == "anonymous.4open.science":
        return "anonymous"
    if host == "bitbucket.org":
        return "bitbucket"
    return "other"


def find_links(text: str) -> list[Link]:
    links, seen = [], set()
    for match in _URL.finditer(text):
        url = _clean(match.group(0))
        if url not in seen:
            seen.add(url)
            links.append(Link(url, classify(url)))
    return links


def detect(abstract: str) -> CodeInfo:
    """Status and links from the abstract alone; the first deciding sentence is the evidence."""
    links = tuple(find_links(abstract))
    for sentence in _SENTENCE.split(abstract):
        has_link = bool(_URL.search(sentence))
        mentions_code = has_link or _CODE_WORD.search(sentence)
        if mentions_code and _ANNOUNCED.search(sentence):
            return CodeInfo("announced", links, sentence.strip())
        if (has_link and any(link.is_code for link in find_links(sentence))) or _AVAILABLE.search(sentence):
            return CodeInfo("available", links, sentence.strip())
    if any(link.is_code for link in links):
        return CodeInfo("available", links, "the abstract links to a code repository")
    return CodeInfo("none", links, "the abstract mentions no code")


def resolve(abstract: str, urls: list[str] | None, status: str | None) -> CodeInfo:
    """Hand-set ``code`` and ``code_status`` win over what the abstract says."""
    found = detect(abstract)
    links = tuple(Link(u, classify(u)) for u in urls) if urls else found.links
    if status:
        return CodeInfo(status, links, "set by hand in the record")
    if urls:
        return CodeInfo("available", links, "code links set by hand in the record")
    return CodeInfo(found.status, links, found.evidence)
