"""The one exception the dataset code raises for bad input, with every problem it found.

Each problem names the field by its JSON path (``places[3].stays[0].end``) so a person editing
the file by hand can go straight to it; ``str()`` gives the ``FILE: path: message`` lines that the
command line and the app's dialogs show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset: where (a JSON path, empty for the whole file) and what."""

    path: str
    message: str

    def format(self, file: Path | str) -> str:
        """``FILE: path: message`` (or ``FILE: message`` for a whole-file problem)."""
        if self.path:
            return f"{file}: {self.path}: {self.message}"
        return f"{file}: {self.message}"


class DatasetError(Exception):
    """A dataset could not be loaded; ``problems`` lists every reason found."""

    def __init__(self, file: Path | str, problems: list[Problem]) -> None:
        self.file = Path(file)
        self.problems = tuple(problems)
        super().__init__(self.report())

    def report(self, limit: int = 50) -> str:
        """The problems as lines, at most ``limit`` of them and a count of the rest."""
        lines = [problem.format(self.file) for problem in self.problems[:limit]]
        hidden = len(self.problems) - limit
        if hidden > 0:
            lines.append(f"{self.file}: … and {hidden} more problems")
        return "\n".join(lines)
