"""Problems found in user data, reported all at once instead of raising at the first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, located as precisely as we can."""

    path: str
    line: int = 0  # 1-based; 0 when the whole file is meant
    col: int = 0  # 1-based; 0 when unknown
    field: str = ""
    message: str = ""
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        """``path:line:col: field: message``, the form editors and terminals link to."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        prefix = "warning: " if self.severity == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {prefix}{field}{self.message}"


class CatalogError(Exception):
    """A user-facing failure: the CLI prints the problems and exits non-zero, never a traceback."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(path="", message=problems)]
        self.problems = problems
        super().__init__("\n".join(p.format() if p.path else p.message for p in problems))
