"""How problems are printed: for a terminal and editors, or as GitHub Actions workflow commands.

Under GitHub Actions a line ``::error file=…,line=…,col=…::message`` on stdout becomes an
annotation on that line of the pull request's diff, so a contributor sees the problem where it is.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Problem

FORMATS = ("text", "github")


def counted(count: int, noun: str) -> str:
    """"1 paper", "2 papers": a count as a reader says it (nouns with a plain -s plural)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def default_format(environ: dict[str, str] | None = None) -> str:
    """``github`` inside a GitHub Actions job (the runner sets GITHUB_ACTIONS=true), else ``text``."""
    environ = os.environ if environ is None else environ
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def escape_data(text: str) -> str:
    """The message of a workflow command: '%', CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file=…, title=…): ':' and ',' also separate properties, so escape them too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem, path: str | None = None) -> str:
    """``::error file=F,line=L,col=C::field: message`` (``::warning`` for warnings).

    ``path`` overrides ``problem.path``: annotations need paths relative to the repository root.
    """
    path = problem.path if path is None else path
    properties = []
    if path:
        properties.append(f"file={escape_property(path)}")
        if problem.line:
            properties.append(f"line={problem.line}")
            if problem.col:
                properties.append(f"col={problem.col}")
    if problem.field:
        properties.append(f"title={escape_property(problem.field)}")
    field = f"{problem.field}: " if problem.field else ""
    command = "warning" if problem.severity == "warning" else "error"
    head = f"::{command} {','.join(properties)}" if properties else f"::{command}"
    return f"{head}::{escape_data(field + problem.message)}"


def repo_relative(problem: Problem, root: Path, workspace: Path) -> str:
    """The problem's path relative to the repository (workspace), when the catalog is a subfolder."""
    if not problem.path:
        return ""
    full = Path(os.path.abspath(root / problem.path))
    try:
        return full.relative_to(os.path.abspath(workspace)).as_posix()
    except ValueError:
        return problem.path


def format_problems(problems: list[Problem], fmt: str, root: Path, workspace: Path | None = None) -> list[str]:
    """One line per problem, in the given order."""
    if fmt == "github":
        workspace = workspace or Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
        return [github_annotation(p, repo_relative(p, root, workspace)) for p in problems]
    return [p.format() for p in problems]
