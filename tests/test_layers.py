"""The package follows the data: a stage imports only the stages before it.

The order is the one a request travels (``docs/architecture.md``). No production stage imports
``devtools``; only the CLI commands that drive dev tools import them, and only inside their
functions, so that installing the leaderboard never loads the demo or the devhub. The
benchmarks (``leaderboard_bench``) are not in the wheel: only ``leaderboard bench`` imports them,
inside its function. Only the harness imports lm-eval, and only ``store.git`` starts git (the
benchmarks included).
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "leaderboard"
#: The benchmarks: a development install's package beside the product, left out of the wheel.
BENCH = PACKAGE.parent / "leaderboard_bench"

#: The stages, in the order data flows through them.
STAGES = [
    "core",
    "store",
    "hub",
    "suites",
    "checks",
    "harness",
    "queue",
    "curation",
    "table",
    "site",
    "cli",
    "devtools",
]
#: The commands that drive dev tools; they may import ``devtools`` inside their functions.
DEV_COMMANDS = {"cli/commands/demo.py", "cli/commands/devhub.py", "cli/commands/bench.py"}
#: The one command that runs the benchmarks, which only a development install has.
BENCH_COMMAND = "cli/commands/bench.py"


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name
    line: int
    lazy: bool  # inside a function


def imports_of(file: Path, package_root: Path) -> list[Import]:
    rel = file.relative_to(package_root.parent).with_suffix("")
    parts = list(rel.parts)  # a package's __init__ counts as a module inside it
    tree = ast.parse(file.read_text(encoding="utf-8"))
    lazy_nodes = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
    }
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: -node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [f"{module}.{a.name}" for a in node.names] if not node.module else [module]
            for name in names:
                out.append(Import(name, node.lineno, id(node) in lazy_nodes))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out.append(Import(alias.name, node.lineno, id(node) in lazy_nodes))
    return out


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "leaderboard" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in STAGES else None


def violations(package_root: Path) -> list[str]:
    """Every import that breaks the layer rule, as ``path:line: message``."""
    found = []
    for file in sorted(package_root.rglob("*.py")):
        rel = file.relative_to(package_root).as_posix()
        own = rel.split("/")[0] if "/" in rel else None
        if own not in STAGES:
            continue  # __init__.py and __main__.py of the package itself
        for imp in imports_of(file, package_root):
            where = f"{rel}:{imp.line}"
            if imp.module.split(".")[0] == BENCH.name:
                if not (imp.lazy and rel == BENCH_COMMAND):
                    found.append(f"{where}: the package imports the benchmarks ({imp.module})")
                continue
            target = stage_of(imp.module)
            if target is None or target == own:
                continue
            if target == "devtools":
                if not (imp.lazy and rel in DEV_COMMANDS):
                    found.append(f"{where}: a production stage imports devtools ({imp.module})")
            elif STAGES.index(target) > STAGES.index(own):
                found.append(f"{where}: {own} imports the later stage {target} ({imp.module})")
    return found


def test_every_stage_imports_only_earlier_stages() -> None:
    assert violations(PACKAGE) == []


def test_every_module_belongs_to_a_stage() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert loose == []
    assert folders == sorted(STAGES)


def test_only_the_harness_imports_lm_eval() -> None:
    users = {
        file.relative_to(PACKAGE).as_posix().split("/")[0]
        for file in PACKAGE.rglob("*.py")
        for imp in imports_of(file, PACKAGE)
        if imp.module.split(".")[0] == "lm_eval"
    }
    assert users <= {"harness"}


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "leaderboard"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"core/ids.py": "from ..store.repo import Repo\n"},
            "core/ids.py:1: core imports the later stage store (leaderboard.store.repo)",
        ),
        (
            {"checks/rules.py": "from leaderboard.queue import claims\n"},
            "checks/rules.py:1: checks imports the later stage queue (leaderboard.queue)",
        ),
        (
            {"table/rows.py": "def f():\n    from ..site.data import SiteData\n"},
            "table/rows.py:2: table imports the later stage site (leaderboard.site.data)",
        ),
        (
            {"hub/facts.py": "from .. import devtools\n"},
            "hub/facts.py:1: a production stage imports devtools (leaderboard.devtools)",
        ),
        (
            {"cli/commands/demo.py": "from ...devtools.demo.run import run_demo\n"},
            "cli/commands/demo.py:1: a production stage imports devtools "
            "(leaderboard.devtools.demo.run)",
        ),
        (
            {"cli/commands/queue.py": "def run():\n    from ...devtools import devhub\n"},
            "cli/commands/queue.py:2: a production stage imports devtools (leaderboard.devtools)",
        ),
        (
            {"devtools/demo.py": "from leaderboard_bench import suite\n"},
            "devtools/demo.py:1: the package imports the benchmarks (leaderboard_bench)",
        ),
        (
            {"cli/commands/bench.py": "from leaderboard_bench.suite import run_areas\n"},
            "cli/commands/bench.py:1: the package imports the benchmarks (leaderboard_bench.suite)",
        ),
    ],
)
def test_the_check_finds_each_kind_of_violation(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    assert violations(_tree(tmp_path, files)) == [expected]


def test_the_check_allows_what_the_rule_allows(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "store/repo.py": "from ..core.models import Request\nfrom . import git\n",
            "site/data.py": "from ..table import rows\nfrom ..core import errors\n",
            "cli/commands/demo.py": "def run():\n    from ...devtools.demo.run import run_demo\n",
            "cli/commands/bench.py": "def run():\n    from leaderboard_bench import suite\n",
            "devtools/demo.py": "from ..cli.main import main\nfrom ..queue import claims\n",
        },
    )
    assert violations(root) == []


#: The module allowed to start git: every other one goes through it.
GIT_RUNNER = "store/git.py"


def git_commands(source: str) -> list[int]:
    """Lines where a call is given a list or tuple literal that starts with ``"git"``.

    That is how a git process is started (``subprocess.run(["git", ...])``, ``Popen``,
    ``check_output``), whatever the module calls its subprocess import.
    """
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if (
                isinstance(arg, ast.List | ast.Tuple)
                and arg.elts
                and isinstance(arg.elts[0], ast.Constant)
                and arg.elts[0].value == "git"
            ):
                lines.append(arg.lineno)
    return sorted(lines)


def git_starters(package_root: Path) -> list[str]:
    """Every place outside ``store/git.py`` that starts git itself, as ``path:line``."""
    found = []
    for file in sorted(package_root.rglob("*.py")):
        rel = file.relative_to(package_root).as_posix()
        if rel != GIT_RUNNER:
            found += [f"{rel}:{n}" for n in git_commands(file.read_text(encoding="utf-8"))]
    return found


def test_only_store_git_starts_git() -> None:
    assert git_starters(PACKAGE) == []
    assert git_starters(BENCH) == []


@pytest.mark.parametrize(
    "source",
    [
        'import subprocess\nsubprocess.run(["git", "status"])\n',
        'from subprocess import Popen\nPopen(("git", "-C", "x", "log"), text=True)\n',
        'import subprocess as sp\nsp.check_output(args=["git", "rev-parse", "HEAD"])\n',
    ],
)
def test_the_git_check_finds_a_git_process(source: str) -> None:
    assert git_commands(source) == [2]


def test_the_git_check_allows_what_the_rule_allows(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            GIT_RUNNER: 'import subprocess\nsubprocess.run(["git", "-C", "."])\n',
            "store/commits.py": 'from .git import git\ngit(".", "status")\n',
            "site/hooks.py": 'import subprocess, sys\nsubprocess.run([sys.executable, "git"])\n',
            "queue/claims.py": 'import subprocess\nsubprocess.run(["git", "push"])\n',
        },
    )
    assert git_starters(root) == ["queue/claims.py:2"]


def environment_reads(source: str) -> list[int]:
    """Lines that read one environment variable: ``os.environ.get``, ``os.getenv`` or
    ``os.environ[...]``. Copying the whole environment for a child process is not a read."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = ast.unparse(node.func)
            if target in ("os.environ.get", "os.getenv", "environ.get"):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and ast.unparse(node.value) in ("os.environ", "environ")
        ):
            lines.append(node.lineno)
    return lines


def test_only_core_env_reads_the_environment() -> None:
    found = [
        f"{file.relative_to(PACKAGE.parent).as_posix()}:{line}"
        for file in sorted([*PACKAGE.rglob("*.py"), *BENCH.rglob("*.py")])
        if file != PACKAGE / "core" / "env.py"
        for line in environment_reads(file.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_environment_check_finds_each_kind_of_read() -> None:
    source = textwrap.dedent(
        """
        import os
        a = os.environ.get("A")
        b = os.getenv("B")
        c = os.environ["C"]
        os.environ["D"] = "set, not read"
        child = {**os.environ, "E": "1"}
        """
    )
    assert environment_reads(source) == [3, 4, 5]
