"""The listing parser: chrome, date sections, line endings, titles without abstracts."""

import datetime as dt

from builder.sources.listing import parse

ABSTRACT = ("We study a problem that matters. " * 12).strip()
DAY = dt.date(2025, 3, 13)


def test_chrome_and_one_section():
    text = f"new\n\nSubscribe\n\nbyAK and the research community\n\nMar 13\n\nA Title\n\n{ABSTRACT}\n"
    listing = parse(text, DAY)
    assert [(e.title, e.listed, e.line) for e in listing.entries] == [("A Title", DAY, 9)]
    assert listing.entries[0].abstract == ABSTRACT


def test_two_date_sections_date_each_paper():
    text = f"Mar 13\n\nNewer\n\n{ABSTRACT}\n\nMar 12\n\nOlder\n\n{ABSTRACT}\n"
    listing = parse(text, DAY)
    assert [(e.title, e.listed.isoformat()) for e in listing.entries] == [
        ("Newer", "2025-03-13"), ("Older", "2025-03-12")]


def test_section_after_the_listing_date_belongs_to_the_previous_year():
    listing = parse(f"Dec 31\n\nOld Year\n\n{ABSTRACT}\n", dt.date(2025, 1, 2))
    assert listing.entries[0].listed == dt.date(2024, 12, 31)


def test_title_without_abstract_is_skipped_with_its_line():
    text = f"Mar 13\n\nLonely Title\n\nA Title\n\n{ABSTRACT}\n\nLast Title\n"
    listing = parse(text, DAY)
    assert [e.title for e in listing.entries] == ["A Title"]
    assert [(s.line, s.text, s.reason) for s in listing.skipped] == [
        (3, "Lonely Title", "title without abstract"), (9, "Last Title", "title without abstract")]


def test_wrapped_lines_are_joined():
    first, second = ABSTRACT.split(" We ", 1)
    second = "We " + second
    text = f"Mar 13\n\nA Title\nthat wraps\n\n{first}\n{second}\n"
    entry = parse(text, DAY).entries[0]
    assert entry.title == "A Title that wraps"
    assert entry.abstract == ABSTRACT
