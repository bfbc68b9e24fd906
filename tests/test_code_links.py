"""Code links and code status: the phrasings real abstracts use, and the sample scored against hand labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.enrich import code
from builder.enrich.code import detect
from builder.layout import Layout
from builder.records.store import load_records

REPO = Path(__file__).resolve().parent.parent
LABELS = yaml.safe_load((REPO / "tests" / "fixtures" / "sample_labels.yaml").read_text())


def test_code_status_and_links_match_the_hand_labels():
    records, _ = load_records(Layout(REPO))
    found = {r.id: detect(r.abstract) for r in records}
    status_right = sum(found[i].status == LABELS[i]["code_status"] for i in found)
    links_right = sum([link.url for link in found[i].links] == LABELS[i]["code"] for i in found)
    print(f"\ncode status {status_right}/{len(found)} right; code links {links_right}/{len(found)} exact")
    wrong = {i: (f.status, [link.url for link in f.links]) for i, f in found.items()
             if (f.status, [link.url for link in f.links]) != (LABELS[i]["code_status"], LABELS[i]["code"])}
    assert wrong == {}


@pytest.mark.parametrize(("abstract", "status", "links"), [
    # URL without a scheme
    ("Code is at github.com/owner/repo", "available", [("https://github.com/owner/repo", "github")]),
    # trailing punctuation: full stop, parenthesis, comma, and a full stop after a space
    ("Code: https://github.com/a/b.", "available", [("https://github.com/a/b", "github")]),
    ("Our tool (https://github.com/a/b) helps.", "available", [("https://github.com/a/b", "github")]),
    ("See https://github.com/a/b, which has it.", "available", [("https://github.com/a/b", "github")]),
    ("The code is made available at https://github.com/a/MT3 .", "available", [("https://github.com/a/MT3", "github")]),
    # deep links are kept as given and still recognised as a repository
    ("Code at https://github.com/g/research/tree/main/x.", "available",
     [("https://github.com/g/research/tree/main/x", "github")]),
    ("Code at https://github.com/g/research/blob/master/dir.", "available",
     [("https://github.com/g/research/blob/master/dir", "github")]),
    # GitLab, also self-hosted
    ("Code: https://gitlab.com/grp/proj.", "available", [("https://gitlab.com/grp/proj", "gitlab")]),
    ("Code: https://gitlab.inria.fr/team/proj.", "available", [("https://gitlab.inria.fr/team/proj", "gitlab")]),
    # anonymous review mirrors
    ("Code: https://anonymous.4open.science/r/xyz-123.", "available",
     [("https://anonymous.4open.science/r/xyz-123", "anonymous")]),
    # Hugging Face models, datasets and spaces, and project pages, are links but not code
    ("Weights are at https://huggingface.co/org/model-7b.", "none", [("https://huggingface.co/org/model-7b", "model")]),
    ("The data is at https://huggingface.co/datasets/org/set.", "none",
     [("https://huggingface.co/datasets/org/set", "dataset")]),
    ("Try the demo at https://huggingface.co/spaces/org/app.", "none",
     [("https://huggingface.co/spaces/org/app", "demo")]),
    ("Project page: https://step-law.github.io/", "none", [("https://step-law.github.io/", "project-page")]),
    # arXiv's stand-in for a link: code available, link unknown
    ("Our code is available at this https URL.", "available", []),
    ("Project page: this https URL.", "none", []),
    # availability said in words, no link
    ("Code and data are available.", "available", []),
    ("The implementation is publicly available.", "available", []),
    # promises
    ("Our code will be released.", "announced", []),
    ("The code will be made public soon.", "announced", []),
    ("Our training code and model will be open-sourced.", "announced", []),
    ("Code will be available upon acceptance.", "announced", []),
    ("We will release the code upon publication.", "announced", []),
    ("Code will be released at this https URL.", "announced", []),
    ("We will release model checkpoints through our repository https://x.github.io/", "announced",
     [("https://x.github.io/", "project-page")]),
    # a promise next to a repository link: the link is where the code is, readers can follow it
    ("The code will be made available at https://github.com/a/b.", "available", [("https://github.com/a/b", "github")]),
    # "code" as a subject is not a mention of the paper's code
    ("We study code generation, which is available in many IDEs.", "none", []),
    ("Codebooks are extended to multi-codebooks.", "none", []),
    ("Our codesign will be released to industry.", "none", []),
    ("We evaluate on Math, Code, and Instruction Following tasks.", "none", []),
    # a link in a code sentence on another host is the code's home
    ("Code: https://lab.example.org/tool.", "available", [("https://lab.example.org/tool", "code")]),
])
def test_code_cases(abstract, status, links):
    found = detect(abstract)
    assert (found.status, [(link.url, link.kind) for link in found.links]) == (status, links)


def test_the_deciding_sentence_is_the_evidence():
    found = detect("We propose X. It works well. Code is available at https://github.com/a/b. More text.")
    assert found.evidence == "Code is available at https://github.com/a/b."
    assert detect("We propose X.").evidence == "the abstract mentions no code"


@pytest.mark.parametrize("abstract", [
    "We propose X. It works well.",
    "Code: HTTPS://GitHub.COM/A/B. More.",
    "See WWW.Lab.Example.org/tool for our Toolkit.",
    "Mirror at Anonymous.4Open.Science/r/x; weights on HuggingFace.co/org/m.",
    "Pages at team.GitHub.IO/x. Our SOFTWARE will be released.",
    "The LIBRARY is available. A Toolkit is provided. Our Repo is public. An Implementation is available.",
    "Our ſoftware is available. This HTTPS URL has it.",  # the long s matches "s" case-insensitively
    "Our Kode is at lab.example.org.",  # the Kelvin sign matches "k"
    "Our code. Generation follows. Source\ncode is on Bitbucket.org/a/b.",
    "İmplementation: this   https\tURL.",
    # sentences found around their hints: at a capital after a break, at a break's full stop, in the first
    # or last sentence, several in one sentence, breaks of tabs, newlines and runs of spaces
    "Code is here. Repo: github.com/a/b.\tSoftware at www. The toolkit.\n\nSee x.github.io/p !",
    "  e.g. the code. It is at HTTPS://gitlab.com/a/b?! \"Our implementation is available at this https URL.\" ",
    "We propose X.  (Our library will be released.) A.B. Code: lab.example.org/tool",
    # hints inside, after and around each other, all found in one pass
    "Our codecode repository at x.github.io.github.com/a. Or httphttps://www.github.com/b.",
])
def test_the_quick_tests_never_change_what_is_detected(abstract, monkeypatch):
    found = detect(abstract)
    every_sentence = [(sentence.strip(), code._CODE | code._LINK | code._HIDDEN)
                      for sentence in code._SENTENCE.split(abstract)]
    monkeypatch.setattr(code, "_sentences", lambda text: every_sentence)
    assert detect(abstract) == found
