"""scripts/gpu-check.sh: the folder a GPU machine without a network needs, gathered from PyPI.

``gather`` runs here for the real target (Python 3.12 on manylinux x86_64): the folder must fit
what travels to the machine and hold what the benchmark imports, not what the machine has.
Its ``run`` half cannot meet a GPU here, so it runs on the closest machine this one can make:
a fresh Python 3.11 with only PyTorch, Accelerate, numpy, pyarrow and pandas, given a folder
gathered the same way for 3.11; the benchmark then runs on the CPU, on a tiny model, from the
folder alone. Both need PyPI, and are skipped where it cannot be reached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from leaderboard_bench import gpucheck

pytestmark = [pytest.mark.slow, pytest.mark.pypi]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def pypi() -> None:
    try:
        urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=10).close()
    except OSError as exc:
        pytest.skip(f"PyPI cannot be reached ({exc})")


def _gather(folder: Path, python: str) -> dict:
    proc = subprocess.run(
        ["bash", "scripts/gpu-check.sh", "gather", str(folder)],
        cwd=ROOT,
        env={**os.environ, "GPU_CHECK_PYTHON": python, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads((folder / gpucheck.MANIFEST).read_text())


def test_gather_fills_a_folder_that_fits_and_leaves_the_machines_packages(tmp_path: Path):
    manifest = _gather(tmp_path / "wheels", "3.12")
    wheels = manifest["wheels"]
    assert manifest["bytes"] + manifest["tracked_bytes"] <= gpucheck.LIMIT_BYTES
    assert sum(wheels.values()) == manifest["bytes"]
    names = {gpucheck.canonical(w.split("-")[0]) for w in wheels}
    for needed in ("lm-eval", "datasets", "pydantic", "transformers", "requests", "nltk"):
        assert needed in names, needed
    assert "gitops-leaderboard" in names
    for absent in ("torch", "numpy", "pyarrow", "pandas", "scikit-learn", "scipy", "evaluate"):
        assert absent not in names, absent
    # Binary wheels are for CPython 3.12 on manylinux x86_64; the rest are pure Python.
    for wheel in wheels:
        tags = wheel.removesuffix(".whl").split("-")[-3:]
        assert tags[0] in ("cp312", "py3", "py2.py3", "cp38", "cp310", "py312"), wheel
        assert tags[2] == "any" or ("manylinux" in tags[2] and "x86_64" in tags[2]), wheel


def test_run_installs_the_folder_and_runs_the_bench_on_a_bare_python(tmp_path: Path):
    folder = tmp_path / "wheels"
    _gather(folder, f"{sys.version_info.major}.{sys.version_info.minor}")
    machine = tmp_path / "machine"
    subprocess.run([sys.executable, "-m", "venv", str(machine)], check=True, timeout=300)
    python = machine / "bin" / "python"
    torch = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.__version__.split('+')[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The CPU build of the torch installed here (dev.sh's TORCH_INDEX_URL, where it set one).
    index = (
        ["--extra-index-url", os.environ["TORCH_INDEX_URL"]]
        if "TORCH_INDEX_URL" in os.environ
        else []
    )
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            *index,
            f"torch=={torch}",
            *gpucheck.MACHINE_HAS[1:],
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    out = tmp_path / "out"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("HF_", "PYTHON", "VIRTUAL_ENV"))
    }
    env |= {
        "PYTHON": str(python),
        "OUT": str(out),
        "TMPDIR": str(tmp_path),
        "GPU_BENCH_DEVICE": "cpu",
        "GPU_BENCH_MODELS": "tiny",
        "GPU_BENCH_FRACTION": "0.001",
        "OMP_NUM_THREADS": "1",
    }
    proc = subprocess.run(
        ["bash", "scripts/gpu-check.sh", "run", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert "and their requirements are here" in proc.stdout
    figures = json.loads((out / "gpu-bench.json").read_text())
    names = [f["name"] for f in figures]
    assert "tiny Llama (CPU test): projected GPU-hours, full suite" in names
    assert (out / "gpu-bench-tiny.json").is_file()
