"""The statistics page's charts, drawn at build time as inline SVG.

Inline (not <img>) so the charts take their colours from mkdocs-material's CSS variables and follow
light and dark mode (classes styled in builder/site/assets/catalog.css). Each chart is role="img"
with a <title> and a <desc> that states every number, and each bar carries data-count so tests
and scripts can read the figures back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from html import escape

from markupsafe import Markup

from ..enrich.catalog import Paper
from ..enrich.taxonomy import Taxonomy
from ..report import counted

WIDTH = 720
LABEL_WIDTH = 250
ROW = 24
MAX_LABEL = 34
TOP_PAIRS = 20
MAX_DAYS = 62  # a daily axis up to about two months, then months, then years
MAX_MONTHS = 60


@dataclass(frozen=True)
class Bar:
    key: str  # data-key: topic id, status, period or "a+b"
    label: str  # drawn next to the bar
    count: int
    full: str = ""  # the label in titles and text alternatives, when it differs

    @property
    def spoken(self) -> str:
        return self.full or self.label


# SVG text and attributes are escaped with the html module: xml.sax.saxutils, which does the same,
# imports urllib.request, http.client and ssl on the way (0.06 s of every build).
def _text(text: str) -> str:
    return escape(text, quote=False)


def _attribute(value: str) -> str:
    return f'"{escape(value)}"'


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _svg(name: str, title: str, desc: str, height: int, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{name}" class="catalog-chart__svg" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label={_attribute(title)} '
        f'aria-describedby="chart-{name}-desc">'
    )
    parts = [head, f"<title>{_text(title)}</title>", f'<desc id="chart-{name}-desc">{_text(desc)}</desc>']
    # No blank line anywhere: Python-Markdown must keep the whole figure as one raw HTML block.
    return Markup("\n".join(parts + body + ["</svg>"]))


def horizontal_bars(name: str, title: str, bars: list[Bar]) -> Markup:
    """One labelled bar per row, longest bar = full width, the count printed after the bar."""
    top = max((b.count for b in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    rows = []
    for i, bar in enumerate(bars):
        y = i * ROW + 4
        length = round(span * bar.count / top, 1)
        rows.append(
            f'<g class="catalog-chart__row" data-key={_attribute(bar.key)} data-count="{bar.count}">'
            f"<title>{_text(bar.spoken)}: {counted(bar.count, 'paper')}</title>"
            f'<text class="catalog-chart__label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">'
            f"{_text(_short(bar.label))}</text>"
            f'<rect class="catalog-chart__bar" x="{LABEL_WIDTH}" y="{y + 2}" width="{length}" height="{ROW - 6}"/>'
            f'<text class="catalog-chart__value" x="{LABEL_WIDTH + length + 6}" y="{y + 15}">{bar.count}</text>'
            "</g>"
        )
    desc = "; ".join(f"{b.spoken}: {b.count}" for b in bars) or "no data"
    return _svg(name, title, f"{title}. {desc}.", max(len(bars), 1) * ROW + 8, rows)


def share_bar(name: str, title: str, parts: list[Bar]) -> Markup:
    """One full-width bar split into segments, with a legend giving counts and percentages."""
    total = sum(p.count for p in parts)
    body, x, legend_x = [], 0.0, 0
    for part in parts:
        width = round(WIDTH * part.count / total, 1) if total else 0
        share = f"{100 * part.count / total:.0f}%" if total else "0%"
        body.append(
            f'<g class="catalog-chart__row" data-key={_attribute(part.key)} data-count="{part.count}">'
            f"<title>{_text(part.label)}: {counted(part.count, 'paper')} ({share})</title>"
            f'<rect class="catalog-chart__segment catalog-chart__segment--{_text(part.key)}" '
            f'x="{round(x, 1)}" y="0" width="{width}" height="32"/>'
            f'<rect class="catalog-chart__segment catalog-chart__segment--{_text(part.key)}" '
            f'x="{legend_x}" y="46" width="14" height="14"/>'
            f'<text class="catalog-chart__label" x="{legend_x + 20}" y="58">'
            f"{_text(part.label)}: {part.count} ({share})</text>"
            "</g>"
        )
        x += width
        legend_x += WIDTH // len(parts)
    desc = "; ".join(f"{p.label}: {p.count}" for p in parts)
    return _svg(name, title, f"{title}, {counted(total, 'paper')}. {desc}.", 70, body)


def column_bars(name: str, title: str, bars: list[Bar], note: str) -> Markup:
    """Vertical bars along a time axis; about six period labels, always the first and the last."""
    height, base, left = 240, 200, 40
    top = max((b.count for b in bars), default=0) or 1
    step = (WIDTH - left) / max(len(bars), 1)
    every = max(1, round(len(bars) / 6))
    body = [
        f'<line class="catalog-chart__axis" x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}"/>',
        f'<text class="catalog-chart__value" x="{left - 6}" y="14" text-anchor="end">{top}</text>',
    ]
    for i, bar in enumerate(bars):
        h = round((base - 20) * bar.count / top, 1)
        x = round(left + i * step + step * 0.1, 1)
        body.append(
            f'<g class="catalog-chart__row" data-key={_attribute(bar.key)} data-count="{bar.count}">'
            f"<title>{_text(bar.label)}: {counted(bar.count, 'paper')}</title>"
            f'<rect class="catalog-chart__bar" x="{x}" y="{round(base - h, 1)}" '
            f'width="{round(step * 0.8, 1)}" height="{h}"/></g>'
        )
        if i % every == 0 or i == len(bars) - 1:
            body.append(
                f'<text class="catalog-chart__label" x="{round(x + step * 0.4, 1)}" y="{base + 18}" '
                f'text-anchor="middle">{_text(bar.label)}</text>'
            )
    counts = "; ".join(f"{b.label}: {b.count}" for b in bars if b.count) or "no dated papers"
    return _svg(name, title, f"{title}. {counts}. {note}".strip(), height, body)


def _periods(dates: list[str]) -> tuple[str, list[str], Callable[[str], str]]:
    """Every day, month or year from the first listing to the last (empty ones too, for a true axis)."""
    first, last = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
    if (last - first).days < MAX_DAYS:
        days = [(first + timedelta(n)).isoformat() for n in range((last - first).days + 1)]
        return "day", days, lambda d: d
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MAX_MONTHS:
        keys = [f"{first.year + (first.month - 1 + n) // 12}-{(first.month - 1 + n) % 12 + 1:02d}" for n in range(months)]
        return "month", keys, lambda d: d[:7]
    return "year", [str(y) for y in range(first.year, last.year + 1)], lambda d: d[:4]


def stats_page(papers: list[Paper], taxonomy: Taxonomy, statuses: dict[str, tuple[str, str]]) -> dict:
    """Every chart of the statistics page, and the figures its text quotes."""
    per_topic = Counter(t for p in papers for t in p.topic_ids)
    topics = [  # taxonomy order, so a subtopic (marked ↳) follows its topic
        Bar(t.id, f"↳ {t.name}", per_topic[t.id], f"{t.name} (in {taxonomy.by_id[t.parent].name})")
        if t.parent
        else Bar(t.id, t.name, per_topic[t.id])
        for t in taxonomy.topics
    ]
    per_status = Counter(p.code.status for p in papers)
    status_bars = [Bar(s, label, per_status[s]) for s, (label, _) in statuses.items()]

    dates = sorted(p.listed for p in papers if p.listed)
    undated = len(papers) - len(dates)
    note = f"{counted(undated, 'paper')} {'has' if undated == 1 else 'have'} no listing date." if undated else ""
    if dates:
        unit, keys, period_of = _periods(dates)
        per_period = Counter(period_of(d) for d in dates)
        timeline = column_bars("listed", f"Papers per listing {unit}", [Bar(k, k, per_period[k]) for k in keys], note)
    else:
        unit, timeline = "day", None

    names = {t.id: t.name for t in taxonomy.topics}
    order = {t.id: i for i, t in enumerate(taxonomy.topics)}
    pairs = Counter(
        pair for p in papers for pair in combinations(sorted(p.topic_ids, key=order.__getitem__), 2)
    )
    top_pairs = sorted(pairs.items(), key=lambda kv: (-kv[1], order[kv[0][0]], order[kv[0][1]]))[:TOP_PAIRS]
    pair_bars = [Bar(f"{a}+{b}", f"{names[a]} + {names[b]}", n) for (a, b), n in top_pairs]

    return {
        "total": len(papers),
        "dated": len(dates),
        "undated": undated,
        "pairs": len(pairs),
        "topics_chart": horizontal_bars("topics", "Papers per topic", topics),
        "code_chart": share_bar("code", "Share of papers by code status", status_bars),
        "listed_chart": timeline,
        "pairs_chart": horizontal_bars("pairs", "Topics that occur together", pair_bars) if pair_bars else None,
    }
