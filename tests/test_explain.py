"""`catalog explain ID` and the evidence note on paper pages: why each topic, code status, related paper."""

from __future__ import annotations

from conftest import run_catalog

PUYUN = "puyun-medium-range-global-weather-forecasting-using-large-kernel-attention"
ADAS = "towards-an-end-to-end-artificial-intelligence-driven-global-weather-forecasting"


def test_explain_shows_the_evidence_for_every_decision(catalog):
    result = run_catalog("explain", PUYUN, "--root", str(catalog))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("PuYun: Medium-Range Global Weather Forecasting Using Large Kernel Attention Convolutional "
                          f"Networks\ndata/papers/{PUYUN}.yaml\n\nTopics:\n")
    assert '  Science and health/Weather and climate (score 6)\n    title: “Weather”\n' in out
    assert "Code: announced\n  because: Our training code and model will be open-sourced.\n" in out
    assert f"Related papers:\n  0.51  Towards an end-to-end artificial intelligence driven global weather " \
           f"forecasting system ({ADAS})\n    shared terms: weather forecasting, global weather" in out


def test_explain_names_the_kind_of_each_link(catalog):
    paper = "predictable-scale-part-i-optimal-hyperparameter-scaling-law-in-large-language"
    out = run_catalog("explain", paper, "--root", str(catalog)).stdout
    assert "Code: announced\n  because: To facilitate reproducibility" in out
    assert "  link: https://step-law.github.io/ (project page)\n" in out


def test_explain_says_when_topics_were_set_by_hand(catalog):
    record = catalog / "data" / "papers" / f"{PUYUN}.yaml"
    record.write_text(record.read_text() + "topics: [time-series]\n")
    out = run_catalog("explain", PUYUN, "--root", str(catalog)).stdout
    assert "Topics:\n  Time series and tracking\n    set by hand in the record\n\nCode:" in out


def test_explain_an_unknown_id_suggests_the_closest(catalog):
    result = run_catalog("explain", "puyun-medium", "--root", str(catalog))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"no paper with id 'puyun-medium'; did you mean '{PUYUN}'?\n"
    result = run_catalog("explain", "zzz", "--root", str(catalog))
    assert result.stderr == "no paper with id 'zzz' (ids are the file names in data/papers/)\n"


def test_the_paper_page_shows_the_evidence_in_a_collapsed_note(catalog):
    assert run_catalog("build", "--root", str(catalog)).returncode == 0
    page = (catalog / "docs" / "papers" / f"{PUYUN}.md").read_text()
    note = page[page.index('<details class="note">\n<summary>Why these topics'):]  # collapsed, as `??? note` renders
    assert "<li><strong>Weather and climate</strong>: title: “Weather”" in note
    assert "<li><strong>Code announced</strong>: Our training code and model will be open-sourced." in note
    assert "similarity 0.51, shared terms weather forecasting, global weather" in note
