"""Topics: phrase matching, rule semantics, and the tagger scored against hand labels.

`pytest -s tests/test_topics.py` prints precision, recall and micro-F1 against
tests/fixtures/sample_labels.yaml, labelled by reading each abstract before the rules were tuned.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import run_catalog

from builder.enrich.phrases import PhraseSet, find, find_all
from builder.enrich.taxonomy import Rules, Taxonomy, Topic, load_taxonomy
from builder.enrich.topics import assign
from builder.layout import Layout
from builder.records.store import load_records

REPO = Path(__file__).resolve().parent.parent
LABELS = yaml.safe_load((REPO / "tests" / "fixtures" / "sample_labels.yaml").read_text())


@pytest.fixture(scope="module")
def tagged() -> dict[str, list[str]]:
    layout = Layout(REPO)
    taxonomy = load_taxonomy(layout)
    records, _ = load_records(layout)
    return {r.id: [m.topic for m in assign(r.title, r.abstract, taxonomy)] for r in records}


def test_topics_match_the_hand_labels(tagged):
    assert set(tagged) == set(LABELS)
    tp = fp = fn = 0
    for paper_id, got in tagged.items():
        want = set(LABELS[paper_id]["topics"])
        tp += len(want & set(got))
        fp += len(set(got) - want)
        fn += len(want - set(got))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"\ntopics vs hand labels: precision {precision:.3f}, recall {recall:.3f}, micro-F1 {f1:.3f} "
          f"({tp} right, {fp} extra, {fn} missed, {len(tagged)} papers)")
    assert f1 >= 0.85


def test_topics_spread_over_the_sample(tagged):
    counts = Counter(t for topics in tagged.values() for t in topics)
    largest, share = counts.most_common(1)[0][0], counts.most_common(1)[0][1] / len(tagged)
    print(f"\n{len(counts)} distinct topics; largest {largest} on {share:.0%} of papers")
    assert all(1 <= len(topics) <= 4 for topics in tagged.values())
    assert share <= 0.30
    assert len(counts) >= 12


def test_the_hand_labels_use_known_topics():
    known = {t.id for t in load_taxonomy(Layout(REPO)).topics}
    assert {t for label in LABELS.values() for t in label["topics"]} <= known


@pytest.mark.parametrize(("phrase", "text"), [
    ("diffusion model", "Diffusion models are"),
    ("mixture of experts", "a sparse Mixture-of-Experts layer"),
    ("fine-tuning", "full-parameter finetuning"),
    ("fine-tuning", "fine tuning"),
    ("Gaussian process", "Neural Network Gaussian Processes"),
    ("LLM", "refactorizing LLMs as"),
    ("study", "empirical studies"),
    ("meteorolog*", "meteorological phenomena"),
])
def test_phrase_matches_inflections_and_spellings(phrase, text):
    assert find(phrase, text)


@pytest.mark.parametrize(("phrase", "text"), [
    ("CV", "accepted at CVPR"),
    ("convex", "a non-convex objective"),
    ("MoE", "the moe of a model"),  # acronyms match exactly
    ("graph", "a paragraph"),
    ("rank", "low-rank adapters"),
])
def test_phrase_never_matches_inside_other_words(phrase, text):
    assert not find(phrase, text)


def _taxonomy(*topics: Topic) -> Taxonomy:
    return Taxonomy((Topic("ml", "ML", "General."), *topics), "ml")


def test_a_title_phrase_assigns_the_topic_alone():
    taxonomy = _taxonomy(Topic("rl", "RL", "Reward.", rules=Rules(title=("bandit",), phrases=("regret",), min_hits=3)))
    assert [m.topic for m in assign("Contextual Bandits Revisited", "We study regret.", taxonomy)] == ["rl"]
    assert [m.topic for m in assign("A Study", "We study the regret of a bandit.", taxonomy)] == ["ml"]


def test_one_phrase_repeated_cannot_carry_a_topic():
    rules = Rules(phrases=("mixture of experts", "experts"), min_hits=3)
    taxonomy = _taxonomy(Topic("moe", "MoE", "Experts.", rules=rules))
    # "experts" inside "mixture of experts" is not a second mention, and a phrase counts twice at most.
    once = "We use a mixture of experts. A mixture of experts again. And a mixture of experts."
    assert [m.topic for m in assign("T", once, taxonomy)] == ["ml"]
    more = once + " The experts specialise."
    match = assign("T", more, taxonomy)[0]
    assert match.topic == "moe"
    assert match.evidence == ('text: “mixture of experts” ×2', 'text: “experts”')


def test_an_exclude_phrase_vetoes_the_topic():
    rules = Rules(title=("compression",), exclude=("image compression",))
    taxonomy = _taxonomy(Topic("eff", "Efficient", "Small.", rules=rules))
    assert assign("Model Compression", "", taxonomy)[0].topic == "eff"
    assert assign("Neural Image Compression", "", taxonomy)[0].topic == "ml"


def test_a_subtopic_stands_for_its_area():
    taxonomy = _taxonomy(
        Topic("gen", "Generative", "Gen.", rules=Rules(title=("generative",))),
        Topic("diff", "Diffusion", "Diff.", parent="gen", rules=Rules(title=("diffusion",))),
    )
    assert [m.topic for m in assign("Generative Diffusion Samplers", "", taxonomy)] == ["diff"]
    assert taxonomy.tag("diff") == "Generative/Diffusion"


def test_hand_set_topics_win():
    taxonomy = _taxonomy(Topic("rl", "RL", "Reward.", rules=Rules(title=("bandit",))))
    assert [m.topic for m in assign("Bandits", "", taxonomy, manual=["ml"])] == ["ml"]


def test_every_default_topic_is_described_and_has_rules():
    taxonomy = load_taxonomy(Layout(REPO))
    for topic in taxonomy.topics:
        assert topic.description.endswith("."), topic.id
        if topic.id != taxonomy.fallback:
            assert topic.rules.title or topic.rules.phrases, topic.id


# Phrases and texts where a fast path could go wrong: non-ASCII letters (the long s folds to "s",
# "İ" lowers to two characters), acronyms and their plurals, hyphens (also dropped or doubled),
# plurals of a "y", "*" endings, phrases that overlap or extend one another, separators that are runs
# or line breaks, a phrase whose first word is not ASCII.
TRICKY_PHRASES = [
    "p-value", "in-context learning", "fine-tuning", "mixture of experts", "experts", "MoE", "LLM", "GPT-4",
    "study", "policy", "optimi*", "self-*", "Gaussian process", "k-NN", "C++", "x-y-z-w", "state-space model",
    "large language model", "language model", "model", "mode", "naïve Bayes", "ſtate", "Δ-learning", "co-design",
]
TRICKY_TEXTS = [
    "P-Value, p value and pvalue; p-values. In-Context learning and incontext-learning in context.",
    "Fine-tuning, fine tuning, finetuning, fine--tuning, fine -  tuning; Fine-Tunings. fine\ntuning.",
    "A Mixture-of-Experts (MoE) layer: experts, MoEs, moe, MOE, the experts' mixture of experts's.",
    "LLMs and LLM's, llm, GPT-4, GPT4, GPT 4, gpt-4; policies, Policy, policy's; studies, Study.",
    "optimizer optimisation optimi Optimization; self-supervised, selfsupervised, self; k-NN kNN KNN.",
    "C++ code, c++; x-y-z-w and xyzw and x y z w; state-space models, statespace model, state space.",
    "large language models, language model, language-model, large-language-model; models, mode, modes.",
    "Naïve Bayes and naive bayes; ſtate, state, ſtudy, ſtudies; İn-context; Δ-learning; co-design, codesign.",
    "Gaussian Processes — Gaussian process’s, GAUSSIAN PROCESS; non-model, model-free, remodel, modeling.",
    "Mixture -  of--experts; large \n language  model, in - context learning, Gaussian\t\tprocesses.",
    # ASCII: searched by the automaton, not the regex (a run of separators as one space)
    "Fine-tuning, fine tuning, finetuning; Fine-Tunings.\nfine\ttuning, fine\x1ctuning (MoE) MoEs moe-x [LLMs]",
    "x-y-z-w x-y z-w xy-zw; self-supervised (self-attention) non-self; optimizers/optimi; k-NN's, C++ c++x.",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS + [t.encode("ascii", "ignore").decode() for t in TRICKY_TEXTS])
def test_a_phrase_set_finds_what_each_phrase_finds(text):
    phrases = [*TRICKY_PHRASES, *(p for t in load_taxonomy(Layout(REPO)).topics
                                  for p in (*t.rules.title, *t.rules.phrases, *t.rules.exclude))]
    found = PhraseSet(phrases).scan(text)
    for phrase in phrases:
        expected = [m.span() for m in find_all(phrase, text)]
        assert [m.span() for m in found.find_all(phrase)] == expected, phrase
        assert not expected or found.may_occur(phrase), phrase
        # "up to end" is the text cut there: a match may not run past it
        for end in (text.find(" ", 30), len(text) // 2):
            assert [m.span() for m in found.find_all_before(phrase, end)] == \
                [m.span() for m in find_all(phrase, text[:end])], (phrase, end)


def test_a_title_phrase_must_be_in_the_title_itself():
    rules = Rules(title=("mixture of experts",), phrases=("mixture of experts", "gating"), min_hits=2)
    taxonomy = _taxonomy(Topic("moe", "MoE", "Experts.", rules=rules))
    # the phrase runs from the title into the abstract: a mention, not a title phrase
    match = assign("Sparse mixture of", "experts with gating.", taxonomy)[0]
    assert (match.topic, match.evidence) == ("moe", ('text: “mixture of\nexperts”', 'text: “gating”'))


def test_a_title_phrase_is_matched_in_the_title_as_if_the_text_ended_there():
    rules = Rules(title=("self-*",), phrases=("self-*",), min_hits=9)
    taxonomy = _taxonomy(Topic("ssl", "SSL", "Self.", rules=rules))
    # in the text "self" runs on into the next line; the title alone ends it
    match = assign("Learning by self", "supervision at scale.", taxonomy)[0]
    assert (match.topic, match.evidence) == ("ssl", ("title: “self”", "text: “self\nsupervision”"))


def test_a_topic_needing_no_mentions_matches_unless_vetoed():
    rules = Rules(phrases=("graph",), min_hits=0, exclude=("knowledge graph",))
    taxonomy = _taxonomy(Topic("any", "Any", "All.", rules=rules))
    assert [(m.topic, m.evidence) for m in assign("A Study", "Nothing in common.", taxonomy)] == [("any", ())]
    assert assign("A Study", "A knowledge graph.", taxonomy)[0].topic == "ml"


def test_a_reserved_topic_id_is_an_error_at_its_line(catalog):
    topics = catalog / "data" / "topics.yaml"
    text = topics.read_text()
    topics.write_text(text.replace("  - id: vision\n", "  - id: index\n    name: Index\n    description: A reserved id."
                                   "\n\n  - id: vision\n    parent: index\n", 1))
    line = text[: text.index("  - id: vision\n")].count("\n") + 1
    result = run_catalog("check", "--root", str(catalog))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [  # once: neither its child nor the papers tagged with it are reported
        f"data/topics.yaml:{line}:9: id: topic id 'index' is reserved: docs/topics/index.md is the topics "
        "overview page; choose another id"]


def test_phrases_without_an_ascii_needle_are_looked_for_in_every_paper():
    # "Δ-learning" and "ſtate" start with no ASCII text the scan could find: each paper is searched for
    # them in full, and they count as title phrases and mentions like the others.
    rules = Rules(title=("Δ-learning",), phrases=("Δ-learning", "ſtate", "model"), min_hits=3)
    taxonomy = _taxonomy(Topic("delta", "Delta", "D.", rules=rules))
    assert [(m.topic, m.score, m.evidence) for m in assign("Δ-Learning at scale", "", taxonomy)] == [
        ("delta", 4, ("title: “Δ-Learning”", "text: “Δ-Learning”"))]
    assert [(m.topic, m.score, m.evidence) for m in assign("A Study", "Δ-learning and ſtate; Δ-learning; ſtates.",
                                                           taxonomy)] == [
        ("delta", 4, ("text: “Δ-learning” ×2", "text: “ſtate” ×2"))]
    assert assign("A Study", "Δ-learning and a model.", taxonomy)[0].topic == "ml"


def test_a_phrase_set_looks_up_a_phrase_it_was_not_given_in_full():
    found = PhraseSet(["mixture of experts"]).scan("A mixture of experts; experts.")
    assert [m.group(0) for m in found.find_all("experts")] == ["experts", "experts"]
    assert found.may_occur("experts")
    assert [m.group(0) for m in found.find_all_before("experts", 20)] == ["experts"]
