"""The GitHub workflows: linted by actionlint, and their shell steps run here as the runner would run them.

We cannot run GitHub, so `Runner` plays its part: each `run:` step goes through the runner's own
shell command line (bash -eo pipefail), with the step's `env:`, the GITHUB_* variables, and PATH
extended by what earlier steps wrote to $GITHUB_PATH. Steps that are actions (`uses:`) are GitHub's.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
VENV_BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True)
    return data


def all_workflows() -> list[str]:
    return sorted(p.name for p in WORKFLOWS.glob("*.yml"))


def run_steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job["steps"] if "run" in step]


def step_named(data: dict, name: str) -> dict:
    return next(step for step in run_steps(data) if step.get("name") == name)


@dataclass
class Runner:
    """A GitHub-hosted runner's view of one job, in a folder standing for the checked-out repository."""

    workspace: Path
    context: dict[str, str] = field(default_factory=dict)  # expression → value, for `env:` entries

    def __post_init__(self) -> None:
        self.temp = self.workspace.parent / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.path_file = self.temp / "github_path"
        self.output_file = self.temp / "github_output"
        for file in (self.path_file, self.output_file):
            file.write_text("")
        # The workflows install into .venv (make test / make check); the test suite's own venv stands in.
        if not (self.workspace / ".venv").exists():
            (self.workspace / ".venv").symlink_to(VENV_BIN.parent, target_is_directory=True)

    def env(self, step: dict) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
        env.update(CI="true", GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(self.workspace),
                   GITHUB_PATH=str(self.path_file), GITHUB_OUTPUT=str(self.output_file),
                   RUNNER_TEMP=str(self.temp), GITHUB_SHA=self.context.get("github.sha", "0" * 40),
                   GITHUB_SERVER_URL="https://github.com", GITHUB_REPOSITORY="paper-catalog/paper-catalog",
                   GITHUB_RUN_ID="1234")
        env.pop("VIRTUAL_ENV", None)
        added = [line for line in self.path_file.read_text().splitlines() if line]
        env["PATH"] = os.pathsep.join([*reversed(added), os.environ.get("PATH", "")])
        for key, value in step.get("env", {}).items():
            expression = EXPRESSION.fullmatch(str(value))
            assert expression, f"env {key}: expected one ${{{{ }}}} expression, got {value!r}"
            assert expression[1] in self.context, f"env {key}: no value for {expression[1]} in this test"
            env[key] = self.context[expression[1]]
        return env

    def run(self, step: dict) -> subprocess.CompletedProcess:
        script = self.temp / "step.sh"
        script.write_text(step["run"])
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=self.workspace, env=self.env(step), capture_output=True, text=True)

    def run_job(self, data: dict, skip: tuple[str, ...] = ()) -> list[tuple[dict, subprocess.CompletedProcess]]:
        """Every run step in order, stopping at the first failure as GitHub does."""
        done = []
        for step in run_steps(data):
            if step["run"].strip() in skip:
                continue
            result = self.run(step)
            done.append((step, result))
            if result.returncode:
                break
        return done

    def outputs(self) -> dict[str, str]:
        return dict(line.split("=", 1) for line in self.output_file.read_text().splitlines() if "=" in line)


# ── actionlint ────────────────────────────────────────────────────────────────────────────────────

def actionlint(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    binary = shutil.which("actionlint", path=str(VENV_BIN))
    if binary is None and sys.platform == "darwin" and platform.machine() == "x86_64":
        pytest.skip("actionlint has no wheel for Intel Macs (see pyproject.toml)")
    assert binary, "actionlint is missing: make test installs it (pyproject.toml, extra 'test')"
    # shellcheck (also from the test extra) on PATH: actionlint then checks the shell of every run: step.
    env = {**os.environ, "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")])}
    return subprocess.run([binary, "-no-color", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_actionlint_passes_on_every_workflow():
    assert all_workflows() == ["ci.yml", "deploy.yml", "ingest.yml"]
    result = actionlint(*(f".github/workflows/{name}" for name in all_workflows()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_script_injection_and_unquoted_shell(tmp_path):
    (tmp_path / "bad.yml").write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
        "      - run: echo $HOME\n"
    )
    result = actionlint("bad.yml", cwd=tmp_path)
    assert result.returncode == 1
    assert '"github.event.pull_request.title" is potentially untrusted' in result.stdout
    assert "SC2086" in result.stdout


# ── what the workflows promise ────────────────────────────────────────────────────────────────────

def test_no_workflow_pastes_an_expression_into_a_shell_script():
    for name in all_workflows():
        for step in run_steps(workflow(name)):
            assert "${{" not in step["run"], f"{name}: pass values through env:, not into the script"


def test_ci_is_read_only_runs_on_pull_requests_and_caches_pip():
    ci = workflow("ci.yml")
    text = (WORKFLOWS / "ci.yml").read_text()
    assert set(ci["on"]) == {"pull_request", "push"}
    assert "pull_request_target" not in text and "secrets." not in text
    assert ci["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in ci["jobs"].values())
    steps = ci["jobs"]["ci"]["steps"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["cache"] == "pip" and python["with"]["cache-dependency-path"] == "pyproject.toml"
    assert [s["run"] for s in run_steps(ci)] == [
        "make test", 'echo "$PWD/.venv/bin" >> "$GITHUB_PATH"', "catalog check", "mkdocs build --strict"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_deploy_publishes_main_to_pages_with_minimal_permissions_and_weekly():
    deploy = workflow("deploy.yml")
    assert deploy["on"]["push"] == {"branches": ["main"]}
    assert deploy["on"]["schedule"] and "workflow_dispatch" in deploy["on"]
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}  # a private repo too
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [s["uses"].split("@")[0] for job in deploy["jobs"].values() for s in job["steps"] if "uses" in s]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses


def test_make_targets_the_workflows_call_exist():
    targets = {s["run"].split()[1] for name in all_workflows() for s in run_steps(workflow(name))
               if s["run"].startswith("make ")}
    assert targets == {"test", "check", "site"}
    for target in targets:
        result = subprocess.run(["make", "-n", target], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_dependabot_watches_pip_npm_and_the_actions():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in config["updates"]} == {"pip", "npm", "github-actions"}  # npm: Pagefind


def test_make_clean_removes_everything_the_build_writes_into_docs():
    from builder.pages.writer import OWNED_DIRS, OWNED_FILES

    result = subprocess.run(["make", "-n", "clean"], cwd=REPO, capture_output=True, text=True)
    removed = set(result.stdout.split())  # the recipe as make would run it
    assert {f"docs/{name}" for name in (*OWNED_DIRS, *OWNED_FILES)} <= removed
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert all(f"/docs/{name}" in ignored or f"/docs/{name}/" in ignored for name in (*OWNED_DIRS, *OWNED_FILES))


# ── the CI job, step by step, on a copy of the catalog ────────────────────────────────────────────

def ci_job(catalog: Path) -> list[tuple[dict, subprocess.CompletedProcess]]:
    # `make test` is this very test suite; every other step runs as written.
    return Runner(catalog).run_job(workflow("ci.yml"), skip=("make test",))


def test_ci_annotates_a_broken_record_on_its_file_and_line(catalog):
    (catalog / "data/papers/a-broken-record.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/paper.schema.json\n"
        "title: A Broken Record\nlisted: 2025-13-01\nabstract: Fine.\n")
    steps = ci_job(catalog)
    step, result = steps[-1]
    assert step["run"] == "catalog check" and result.returncode == 1
    assert result.stdout == ("::error file=data/papers/a-broken-record.yaml,line=3,col=9,title=listed::"
                             "listed: not a valid date (YYYY-MM-DD): '2025-13-01'\n")
    assert not (catalog / "site").exists()  # the build step never ran


def test_ci_annotates_a_duplicate_paper_on_both_files(catalog):
    existing = "data/papers/colide-concomitant-linear-dag-estimation.yaml"
    (catalog / "data/papers/colide.yaml").write_text(
        "title: 'CoLiDE - concomitant linear DAG estimation'\nabstract: The same paper again.\n")
    step, result = ci_job(catalog)[-1]
    assert step["run"] == "catalog check" and result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file={existing},line=2,col=8,title=title::title: same title as data/papers/colide.yaml: "
        "one paper, one record",
        f"::error file=data/papers/colide.yaml,line=1,col=8,title=title::title: same title as {existing}: "
        "one paper, one record",
    ]


def test_a_paper_added_with_catalog_new_passes_ci_and_is_in_the_preview(catalog, tmp_path):
    (tmp_path / "abstract.txt").write_text("We add a paper by hand and look at the preview.")
    subprocess.run([sys.executable, "-m", "builder", "new", "Previewed by Hand", "--abstract-file",
                    str(tmp_path / "abstract.txt")], cwd=catalog, check=True, capture_output=True)
    steps = ci_job(catalog)
    assert [(s["run"], r.returncode) for s, r in steps] == [
        ('echo "$PWD/.venv/bin" >> "$GITHUB_PATH"', 0), ("catalog check", 0), ("mkdocs build --strict", 0)]
    assert steps[1][1].stdout == ""
    assert "Previewed by Hand" in (catalog / "site/papers/previewed-by-hand/index.html").read_text()


# ── the ingest job ────────────────────────────────────────────────────────────────────────────────

NEW_LISTING = """Mar 14

Learning to Ingest Listings Without a Maintainer

We describe how a listing pushed to a repository becomes a pull request with new records, which a curator
reviews before anything is published, and measure how little a maintainer has to type along the way.

Towards Exact Computation of Inductive Bias

Much research in machine learning involves finding appropriate inductive biases (e.g. convolutional neural
networks, momentum-based optimizers, transformers) to promote generalization on tasks. However, quantification of
the amount of inductive bias associated with these architectures and hyperparameters has been limited.
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout.strip()


def ingest(catalog: Path, **context: str) -> tuple[Runner, list]:
    runner = Runner(catalog, context)
    return runner, runner.run_job(workflow("ingest.yml"), skip=("make check",))


def test_ingest_by_hand_imports_the_listing_and_prepares_the_pull_request(catalog):
    (catalog / "data/sources/2025-03-14-trending.txt").write_text(NEW_LISTING)
    runner, steps = ingest(catalog, **{"github.event_name": "workflow_dispatch",
                                       "inputs.listing": "data/sources/2025-03-14-trending.txt",
                                       "inputs.date": "", "github.event.before": ""})
    assert [(s["name"], r.returncode) for s, r in steps][1:] == [
        ("Import the new listings", 0), ("Check the new records", 0)]
    assert (catalog / "data/papers/learning-to-ingest-listings-without-a-maintainer.yaml").is_file()
    body = Path(runner.outputs()["summary"]).read_text()  # the pull request's description
    assert "added 1, already present 1, skipped 0\n  added: data/papers/learning-to-ingest-listings" in body


def test_ingest_on_push_imports_only_the_listings_the_push_added(catalog):
    git(catalog, "init", "-q", "-b", "main")
    git(catalog, "add", "data")
    git(catalog, "commit", "-q", "-m", "the catalog")
    before = git(catalog, "rev-parse", "HEAD")
    deleted = catalog / "data/papers/colide-concomitant-linear-dag-estimation.yaml"  # a curator's choice
    deleted.unlink()
    (catalog / "data/sources/2025-03-14-trending.txt").write_text(NEW_LISTING)
    git(catalog, "add", "-A", "data")
    git(catalog, "commit", "-q", "-m", "a new listing")
    context = {"github.event_name": "push", "inputs.listing": "", "inputs.date": "",
               "github.event.before": before, "github.sha": git(catalog, "rev-parse", "HEAD")}
    assert workflow("ingest.yml")["on"]["push"]["paths"] == ["data/sources/**"]
    _, steps = ingest(catalog, **context)
    assert [r.returncode for _, r in steps] == [0, 0, 0]
    assert git(catalog, "status", "--porcelain", "data/papers") == (
        "?? data/papers/learning-to-ingest-listings-without-a-maintainer.yaml")
    assert not deleted.exists()

    # Pushed again with nothing new: no file changes, so create-pull-request opens nothing.
    git(catalog, "add", "-A", "data")
    git(catalog, "commit", "-q", "-m", "imported")
    (catalog / "data/sources/2025-03-15-again.txt").write_text(NEW_LISTING.replace("Mar 14", "Mar 15"))
    git(catalog, "add", "-A", "data")
    git(catalog, "commit", "-q", "-m", "the same papers again")
    context.update({"github.event.before": git(catalog, "rev-parse", "HEAD~1"),
                    "github.sha": git(catalog, "rev-parse", "HEAD")})
    _, steps = ingest(catalog, **context)
    assert "added 0, already present 2, skipped 0" in steps[1][1].stdout
    assert git(catalog, "status", "--porcelain", "data/papers") == ""


def test_ingest_refuses_a_listing_that_is_not_there(catalog):
    _, steps = ingest(catalog, **{"github.event_name": "workflow_dispatch", "inputs.listing": "data/sources/nope.txt",
                                  "inputs.date": "", "github.event.before": ""})
    step, result = steps[-1]
    assert step["name"] == "Import the new listings" and result.returncode == 1
    assert f"{catalog}/data/sources/nope.txt: no such file" in result.stderr

