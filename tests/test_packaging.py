"""What the wheel holds: the product, and not the benchmarks.

CI's validator and the GPU runner install the project's wheel; the benchmarks
(``scripts/leaderboard_bench``) are development code and must not ride along, while the demo and
the devhub (``leaderboard.devtools``) are the product's main job and must. The wheel is built as
``scripts/gpu-check.sh`` builds the one it carries to a GPU machine.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from leaderboard_bench.gpucheck import project_wheel

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = project_wheel(ROOT, tmp, tmp / "out")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_leaves_the_benchmarks_out(wheel_files: set[str]) -> None:
    tops = {name.split("/")[0] for name in wheel_files}
    assert "leaderboard_bench" not in tops
    assert {n for n in wheel_files if "bench" in n.split("/")[-1] and n.endswith(".py")} == {
        "leaderboard/cli/commands/bench.py",  # says the benchmarks need a development install
        "leaderboard/core/models/bench.py",  # the figures' model, which the site reads
    }


def test_the_wheel_holds_the_product_with_the_demo_and_the_devhub(wheel_files: set[str]) -> None:
    for name in (
        "leaderboard/cli/main.py",
        "leaderboard/devtools/devhub/server.py",
        "leaderboard/devtools/demo/run.py",
        "leaderboard/site/templates/queue.html.j2",
    ):
        assert name in wheel_files, name
    package = ROOT / "scripts" / "leaderboard"
    modules = {f"leaderboard/{p.relative_to(package).as_posix()}" for p in package.rglob("*.py")}
    assert modules <= wheel_files
