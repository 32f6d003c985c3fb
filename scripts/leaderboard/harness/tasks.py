"""Where lm-eval finds a suite's tasks: its bundled templates and the built-in folders it names."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import LeaderboardError
from ..core.models import Suite
from ..suites.loader import SUITE_DIR_PLACEHOLDER, suite_dir

# -- suites → task folders -------------------------------------------------------------------


def builtin_tasks_root() -> Path:
    """The installed lm-eval's own task folder (``lm_eval/tasks``)."""
    import lm_eval

    return Path(lm_eval.__file__).parent / "tasks"


def task_include_paths(suite: Suite, workdir: Path) -> list[str]:
    """Folders for ``TaskManager(include_path=…, include_defaults=False)``.

    Built-in folders come from the installed lm_eval; bundled templates are rendered into
    ``workdir`` with their data paths made absolute (lm-eval resolves relative ``data_files``
    against the current directory, not the YAML's folder).
    """
    paths: list[str] = []
    if suite.builtin_task_dirs:
        import lm_eval

        tasks_root = builtin_tasks_root()
        for rel in suite.builtin_task_dirs:
            folder = tasks_root / rel
            if not folder.is_dir():
                raise LeaderboardError(
                    f"suite {suite.name!r} needs lm-eval's task folder {rel!r}, which the "
                    f"installed lm-eval ({lm_eval.__version__}) lacks; it was written for "
                    f"{suite.lm_eval_version}"
                )
            paths.append(str(folder))
    if suite.bundled_task_dir:
        paths.append(str(render_bundled_tasks(suite, workdir / f"tasks-{suite.name}")))
    return paths


def render_bundled_tasks(suite: Suite, out: Path) -> Path:
    """Copy a suite's task templates to ``out`` with ``@SUITE_DIR@`` made absolute."""
    source = suite.folder or suite_dir(suite.name)
    out.mkdir(parents=True, exist_ok=True)
    for template in sorted((source / (suite.bundled_task_dir or "")).glob("*.yaml")):
        text = template.read_text(encoding="utf-8").replace(SUITE_DIR_PLACEHOLDER, str(source))
        (out / template.name).write_text(text, encoding="utf-8")
    return out
