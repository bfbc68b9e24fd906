"""Related papers: papers on one subject find each other, boilerplate relates nothing, and it scales."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.build import load_catalog
from builder.enrich.related import STOP_WORDS, related_papers
from builder.layout import Layout

REPO = Path(__file__).resolve().parent.parent

# Papers in the sample that clearly share a subject (issue 3).
SAME_SUBJECT = {
    "weather forecasting": ["puyun-medium-range-global-weather-forecasting-using-large-kernel-attention",
                            "towards-an-end-to-end-artificial-intelligence-driven-global-weather-forecasting"],
    "mixture of experts": ["comet-learning-cardinality-constrained-mixture-of-experts-with-trees-and-local",
                           "is-temperature-sample-efficient-for-softmax-gaussian-mixture-of-experts",
                           "read-me-refactorizing-llms-as-router-decoupled-mixture-of-experts-with-system-co"],
    "low-rank / parameter-efficient fine-tuning": [
        "computational-limits-of-low-rank-adaptation-lora-for-transformer-based-models",
        "corda-context-oriented-decomposition-adaptation-of-large-language-models",
        "dsee-dually-sparsity-embedded-efficient-tuning-of-pre-trained-language-models",
        "winner-take-all-column-row-sampling-for-memory-efficient-adaptation-of-language"],
    "learning to rank": ["hard-negatives-or-false-negatives-correcting-pooling-bias-in-training-neural",
                         "unbiased-learning-to-rank-with-unbiased-propensity-estimation"],
    "bilevel optimisation": ["bilevel-optimization-under-unbounded-smoothness-a-new-algorithm-and-convergence",
                             "blockwise-stochastic-variance-reduced-methods-with-parallel-speedup-for-multi"],
    "diffusion sampling": ["dc-solver-improving-predictor-corrector-diffusion-sampler-via-dynamic",
                           "an-overview-of-diffusion-models-applications-guided-generation-statistical-rates"],
}
BOILERPLATE = ("We propose a novel framework. Extensive experiments demonstrate state-of-the-art performance "
               "and significant improvements over existing methods on several benchmarks.")


@pytest.fixture(scope="module")
def papers():
    return {p.id: p for p in load_catalog(Layout(REPO)).papers}


@pytest.mark.parametrize("subject", sorted(SAME_SUBJECT))
def test_papers_on_one_subject_are_related_or_share_a_topic(papers, subject):
    ids = SAME_SUBJECT[subject]
    for a in ids:
        for b in ids:
            if a != b:
                related = {r.id for r in papers[a].related}
                assert b in related or set(papers[a].topic_ids) & set(papers[b].topic_ids), (a, b)


def test_the_weather_papers_are_each_others_first_related_paper(papers):
    puyun, adas = SAME_SUBJECT["weather forecasting"]
    assert papers[puyun].related[0].id == adas and papers[adas].related[0].id == puyun
    assert "weather forecasting" in papers[puyun].related[0].shared


def test_shared_terms_are_never_boilerplate(papers):
    for paper in papers.values():
        for rel in paper.related:
            words = {w for term in rel.shared for w in term.split()}
            assert not words & STOP_WORDS, (paper.id, rel.id, rel.shared)


def test_boilerplate_alone_relates_nothing():
    subjects = ["graph neural networks for molecules", "speech recognition with transducers",
                "protein folding with attention", "robot grasping from pixels",
                "bandit regret under delays", "weather nowcasting from radar"]
    texts = [(f"{s.title()}", f"{BOILERPLATE} This paper is about {s}.") for s in subjects]
    result = related_papers([f"p{i}" for i in range(len(texts))], texts)
    assert all(found == [] for found in result.values()), result


def test_a_shared_subject_relates_despite_different_wording():
    texts = [("Sparse Mixture of Experts Routing", "Experts gating router load balancing. " + BOILERPLATE),
             ("Expert Routing at Scale", "A router sends tokens to experts with gating. " + BOILERPLATE),
             ("Weather Nowcasting", "Radar precipitation nowcasting. " + BOILERPLATE)]
    result = related_papers(["a", "b", "c"], texts)
    assert [r.id for r in result["a"]] == ["b"] and result["c"] == []


def test_related_papers_scale_without_a_python_loop_over_pairs(papers):
    # 4 000 papers recombined from the sample's sentences; 20 000 take about a tenth of the
    # minute allowed (python tests/bench_related.py 20000).
    from bench_related import synthetic_corpus

    ids, texts = synthetic_corpus(list(papers.values()), 4000)
    start = time.perf_counter()
    result = related_papers(ids, texts)
    seconds = time.perf_counter() - start
    print(f"\nrelated papers for {len(ids)} synthetic papers: {seconds:.1f} s")
    assert len(result) == 4000 and seconds < 15
