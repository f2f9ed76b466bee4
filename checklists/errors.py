"""The one error type for bad checklist definitions.

Every problem names the file (or other source) and the path inside the definition
(``sections[2].items[5].code``), and says what is wrong in Chinese and English, so a department
can fix a file without reading code.
"""

from __future__ import annotations

import msgspec


class ChecklistProblem(msgspec.Struct, frozen=True, kw_only=True):
    """One thing wrong with a definition.

    ``path`` is empty when the problem concerns the whole file (unreadable, not a mapping).
    ``line`` is the 1-based line in the file when known (YAML, TOML and JSON syntax errors, and
    YAML structure errors).
    """

    file: str
    path: str
    message: str
    message_zh: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.path:
            where += f": {self.path}"
        return f"{where}: {self.message_zh} ({self.message})"


class ChecklistError(Exception):
    """A definition could not be accepted; ``problems`` lists every problem found.

    The first problem's ``file``, ``path``, ``message`` and ``message_zh`` are exposed directly for
    callers that show one line.
    """

    def __init__(self, problems: list[ChecklistProblem]) -> None:
        if not problems:
            raise ValueError("ChecklistError needs at least one problem")
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @property
    def file(self) -> str:
        return self.problems[0].file

    @property
    def path(self) -> str:
        return self.problems[0].path

    @property
    def message(self) -> str:
        return self.problems[0].message

    @property
    def message_zh(self) -> str:
        return self.problems[0].message_zh
