"""Problems (what every check returns) and the changes of a pull request they judge."""

from __future__ import annotations

from enum import StrEnum

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from ..printable import printable
from ..rules import Rule

# --------------------------------------------------------------------------------------------
# Problems: what every check returns
# --------------------------------------------------------------------------------------------


class Problem(BaseModel):
    """One thing wrong with one file, located as precisely as we can."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int | None = None
    field: str | None = None
    rule: Rule
    message: str

    def render(self) -> str:
        """One log line, whatever the path and message hold: a line break in a stranger's
        path could otherwise start a line of its own, such as a forged ``::error`` command."""
        where = f"{printable(self.path)}:{self.line}" if self.line else printable(self.path)
        field = f" {printable(self.field)}:" if self.field else ""
        return f"{where}: [{self.rule}]{field} {printable(self.message)}"


def problem(
    path: str, rule: Rule, message: str, line: int | None = None, field: str | None = None
) -> Problem:
    """A problem, positionally: the rules build hundreds of them."""
    return Problem(path=path, line=line, field=field, rule=rule, message=message)


# --------------------------------------------------------------------------------------------
# Changes in a pull request
# --------------------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    added = "added"
    modified = "modified"
    deleted = "deleted"
    renamed = "renamed"


class Change(BaseModel):
    """One file changed by a pull request, relative to its base (``git diff --name-status``)."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    path: str
    old_path: str | None = Field(default=None, description="The path before, for renames.")
