"""The GPU benchmark's packages as one folder of wheels, for a GPU machine without a network.

``scripts/gpu-check.sh gather`` runs :func:`gather` here, where PyPI is reachable; ``run`` installs
the folder there (``pip install --no-index --no-deps --target``) and runs :func:`verify` before
the benchmark. The folder holds what the benchmark needs and that machine lacks, for its Python
(3.12) on manylinux x86_64:

- the project's own wheel, built from this checkout;
- every package the project and lm-eval (with its ``ifeval`` and ``math`` extras) require, as
  pip resolves them for that Python, except:

  - what the machine has (:data:`MACHINE_HAS`: PyTorch with what it requires, Accelerate,
    numpy, and pyarrow and pandas, which ``datasets`` imports: 67 MB of wheels between them,
    more than the folder may hold, so the machine must have them);
  - what lm-eval requires but never imports on the ``leaderboard`` suite's path
    (:data:`NOT_IMPORTED`; a test runs the benchmark on the folder alone to prove it).

Transformers, Accelerate and the Hub client are in the folder although the machine has them:
the project pins newer versions than a GPU image may hold, and the folder's copies come first
on the path. The few packages that PyPI has only as source (all pure Python) are built into
wheels first.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The device machine's own limit on what travels with the repository (tracked files included).
LIMIT_BYTES = 64 * 1024 * 1024
#: The machine the folder is for (GPU_CHECK_PYTHON picks another, for the install test here).
PYTHON_VERSION = "3.12"
PLATFORMS = (
    "manylinux2014_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux_2_24_x86_64",
    "manylinux_2_27_x86_64",
    "manylinux_2_28_x86_64",
)
#: What the GPU machine has, with everything these require (Accelerate is not among what the
#: folder resolves: lm-eval's ``hf`` backend imports it, and the machine has it).
MACHINE_HAS = ("torch", "accelerate", "numpy", "pyarrow", "pandas")
#: What lm-eval requires (or its requirements do) but the benchmark never imports.
NOT_IMPORTED = (
    "scikit-learn",
    "evaluate",
    "pytablewriter",
)
#: What the benchmark imports when it is there and does without (inside ``try``): nltk's
#: classifiers and metrics import scikit-learn and scipy (and scikit-learn its own helpers);
#: requests tries chardet before its own charset detector; pandas takes pytz where it is.
OPTIONAL = ("scikit-learn", "scipy", "threadpoolctl", "narwhals", "chardet", "pytz")
#: What lm-eval imports without requiring it (``lm_eval/utils.py`` imports requests).
UNDECLARED = ("requests",)
#: Requirements that PyPI has only as source distributions (pure Python): built here first.
SOURCE_ONLY = ("langdetect", "rouge-score", "sqlitedict", "word2number")
MANIFEST = "manifest.json"


def python_version() -> str:
    from leaderboard.core.env import gpu_check_python

    return gpu_check_python() or PYTHON_VERSION


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def root_names(specs: Iterable[str]) -> set[str]:
    """The distribution names of requirement strings."""
    from packaging.requirements import Requirement

    return {canonical(Requirement(s).name) for s in specs}


def requirements(pyproject: Path) -> list[str]:
    """The project's own requirements and lm-eval's pin with its ``ifeval`` and ``math`` extras
    (not ``hf``, whose torch, accelerate and peft the machine has or the bench does not use)."""
    from packaging.requirements import Requirement

    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    out = list(project["dependencies"])
    for spec in project["optional-dependencies"]["eval"]:
        req = Requirement(spec)
        if canonical(req.name) == "lm-eval":
            extras = sorted(req.extras - {"hf"})
            out.append(f"{req.name}[{','.join(extras)}]{req.specifier}")
    return out


@dataclass(frozen=True)
class Resolved:
    """One distribution of pip's resolution, with what it requires on the target."""

    name: str
    version: str
    requires: tuple[str, ...]


def _target_env() -> dict[str, str]:
    return {
        "python_version": python_version(),
        "python_full_version": f"{python_version()}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "os_name": "posix",
    }


def _graph(
    dists: Iterable[tuple[str, str, Iterable[str]]],
    extras: Mapping[str, set[str]],
    env: Mapping[str, str] | None,
) -> dict[str, Resolved]:
    """``{name: Resolved}`` from ``(name, version, Requires-Dist)``, each requirement kept when
    its marker holds in ``env`` (None: this interpreter) for no extra or one that was asked
    for."""
    from packaging.requirements import Requirement

    out = {}
    for raw, version, specs in dists:
        name = canonical(raw)
        wanted = {"", *extras.get(name, ())}
        needs = set()
        for spec in specs:
            req = Requirement(spec)
            if not req.marker or any(
                req.marker.evaluate({**(env or {}), "extra": e}) for e in wanted
            ):
                needs.add(canonical(req.name))
        out[name] = Resolved(name, version, tuple(sorted(needs)))
    return out


def _asked_extras(specs: Iterable[str]) -> dict[str, set[str]]:
    from packaging.requirements import Requirement

    asked: dict[str, set[str]] = {}
    for spec in specs:
        req = Requirement(spec)
        asked.setdefault(canonical(req.name), set()).update(req.extras)
    return asked


def parse_report(report: Mapping[str, Any]) -> dict[str, Resolved]:
    """pip's ``--report`` as ``{canonical name: Resolved}``, requirements evaluated for the
    target machine, with the extras each distribution was asked for."""
    items = report["install"]
    extras = {canonical(i["metadata"]["name"]): set(i.get("requested_extras") or ()) for i in items}
    return _graph(
        (
            (
                i["metadata"]["name"],
                i["metadata"]["version"],
                i["metadata"].get("requires_dist") or (),
            )
            for i in items
        ),
        extras,
        _target_env(),
    )


def installed_graph(roots: Iterable[str]) -> dict[str, Resolved]:
    """The same graph from the distributions installed here (for checking the selection
    offline, against what an evaluation here imports). An extra counts where a distribution
    reachable from ``roots`` asks for it, as pip's resolution would have it."""
    from importlib.metadata import distributions

    from packaging.requirements import Requirement

    dists = [(d.metadata["Name"], d.version, d.requires or []) for d in distributions()]
    specs = {canonical(name): reqs for name, _, reqs in dists}
    extras = _asked_extras(roots)
    while True:
        graph = _graph(dists, extras, None)
        reached = closure(graph, root_names(roots))
        asked = _asked_extras(
            spec
            for name in reached
            for spec in specs.get(name, ())
            if canonical(Requirement(spec).name) in graph.get(name, Resolved(name, "", ())).requires
        )
        grown = {n: extras.get(n, set()) | asked.get(n, set()) for n in {*extras, *asked}}
        if grown == extras:
            return graph
        extras = grown


def closure(
    resolved: Mapping[str, Resolved], roots: Iterable[str], stop: Iterable[str] = ()
) -> set:
    """``roots`` and everything they require, transitively, not going through ``stop``."""
    seen: set[str] = set()
    blocked = set(stop)
    todo = [canonical(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen or name in blocked:
            continue
        seen.add(name)
        if name in resolved:
            todo += resolved[name].requires
    return seen


def torch_requires() -> list[str]:
    """What torch requires (read from the torch installed here, whose list the CUDA builds
    share except for their own CUDA libraries)."""
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement

    try:
        specs = requires("torch") or []
    except PackageNotFoundError:
        return []
    return [canonical(Requirement(s).name) for s in specs if "extra ==" not in s]


def select(resolved: Mapping[str, Resolved], roots: Iterable[str]) -> list[Resolved]:
    """What the folder carries: the closure of ``roots``, not going through the machine's
    packages (:data:`MACHINE_HAS` and what torch requires) nor the packages the benchmark never
    imports. What those require is carried where a carried package requires it too: the
    machine's pandas may be a version that needs less than the one resolved here."""
    machine = {canonical(n) for n in (*MACHINE_HAS, *torch_requires())}
    wanted = closure(resolved, roots, stop={*machine, *map(canonical, NOT_IMPORTED)})
    return [resolved[n] for n in sorted(wanted) if n in resolved]


def _pip(*args: str, cwd: Path | None = None) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.splitlines()[-15:])
        hint = ""
        if "No matching distribution" in proc.stderr:
            hint = (
                "\n(a requirement PyPI has only as source? add it to SOURCE_ONLY in "
                "leaderboard_bench/gpucheck.py)"
            )
        raise SystemExit(f"pip {args[0]} failed:\n{tail}{hint}")


def _target_args() -> list[str]:
    args = ["--only-binary=:all:", "--python-version", python_version(), "--implementation", "cp"]
    for platform in PLATFORMS:
        args += ["--platform", platform]
    return args


def tracked(root: Path) -> list[Path]:
    """The checkout's files that git tracks or does not ignore: what travels to the machine
    with the folder, and what the wheel is built from."""
    from leaderboard.store.git import git

    listed = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return [root / f for f in sorted(set(listed.split("\0"))) if f and (root / f).is_file()]


def tracked_bytes(root: Path) -> int:
    return sum(f.stat().st_size for f in tracked(root))


def project_wheel(root: Path, tmp: Path, out: Path) -> Path:
    """The project's wheel, built from a copy of those files into ``out``: nothing git ignores
    gets in, and two builds at once do not share a ``build/`` folder."""
    src = tmp / "src"
    for file in tracked(root):
        dest = src / file.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, dest)
    before = set(out.glob("*.whl"))
    _pip("wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(src))
    (wheel,) = set(out.glob("*.whl")) - before
    return wheel


def gather(out: Path, root: Path, log=print) -> dict[str, Any]:
    """Fill ``out`` with the wheels (see the module's docstring); returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.whl"):
        old.unlink()
    roots = [*requirements(root / "pyproject.toml"), *UNDECLARED]
    with tempfile.TemporaryDirectory(prefix="lb-gpu-check-") as tmp_name:
        tmp = Path(tmp_name)
        built = tmp / "built"
        log(f"building {', '.join(SOURCE_ONLY)} (source only on PyPI) and the project")
        _pip("wheel", "-q", "--no-deps", "-w", str(built), *SOURCE_ONLY)
        project_wheel(root, tmp, out)
        log(f"resolving {len(roots)} requirements for Python {python_version()} on manylinux")
        report = tmp / "report.json"
        _pip(
            "install",
            "-q",
            "--dry-run",
            "--ignore-installed",
            "--report",
            str(report),
            "--target",
            str(tmp / "target"),
            "--find-links",
            str(built),
            *_target_args(),
            *roots,
        )
        resolved = parse_report(json.loads(report.read_text(encoding="utf-8")))
        carried = select(resolved, root_names(roots))
        log(f"downloading {len(carried)} wheels")
        _pip(
            "download",
            "-q",
            "--no-deps",
            "-d",
            str(out),
            "--find-links",
            str(built),
            *_target_args(),
            *(f"{r.name}=={r.version}" for r in carried),
        )
    wheels = sorted(out.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels)
    tracked = tracked_bytes(root)
    manifest = {
        "python": python_version(),
        "platforms": list(PLATFORMS),
        "machine_has": list(MACHINE_HAS),
        "not_imported": list(NOT_IMPORTED),
        "carried": {r.name: r.version for r in carried},
        "wheels": {w.name: w.stat().st_size for w in wheels},
        "bytes": size,
        "tracked_bytes": tracked,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    log(
        f"{out}: {len(wheels)} wheels, {size / 2**20:.1f} MiB; with the repository's tracked "
        f"files {(size + tracked) / 2**20:.1f} MiB of {LIMIT_BYTES / 2**20:.0f}"
    )
    if size + tracked > LIMIT_BYTES:
        biggest = sorted(wheels, key=lambda w: -w.stat().st_size)[:5]
        raise SystemExit(
            f"{out} and the tracked files come to {(size + tracked) / 2**20:.1f} MiB, over the "
            f"{LIMIT_BYTES / 2**20:.0f} MiB that travel to the GPU machine; the largest wheels: "
            + ", ".join(f"{w.name} ({w.stat().st_size / 2**20:.1f} MiB)" for w in biggest)
        )
    return manifest


def problems(folder: Path) -> tuple[list[str], list[str]]:
    """``(missing, mismatched)``: requirements of the folder's distributions that nothing on
    this interpreter's path provides, and those it provides at a version they exclude.
    Requirements of the packages the benchmark never imports are left out."""
    from importlib.metadata import PackageNotFoundError, distribution, version

    from packaging.requirements import Requirement

    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    skip = {canonical(n) for n in manifest["not_imported"]}
    env = {"extra": ""}
    missing, mismatched = [], []
    for name in manifest["carried"]:
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            missing.append(f"{name} (in the folder, but not installed)")
            continue
        for spec in dist.requires or []:
            req = Requirement(spec)
            if canonical(req.name) in skip or (req.marker and not req.marker.evaluate(env)):
                continue
            try:
                have = version(req.name)
            except PackageNotFoundError:
                missing.append(f"{req.name} (required by {name})")
                continue
            if req.specifier and not req.specifier.contains(have, prereleases=True):
                mismatched.append(f"{req.name} {have}, but {name} requires {req.specifier}")
    return sorted(set(missing)), sorted(set(mismatched))


def verify(folder: Path) -> int:
    """Say what the installed folder and this machine lack; 1 when something is missing."""
    missing, mismatched = problems(folder)
    for line in mismatched:
        print(f"gpu-check: warning: {line}", file=sys.stderr)
    if missing:
        print(
            "gpu-check: this machine lacks what the benchmark imports:\n  "
            + "\n  ".join(missing)
            + f"\n(the folder expects the machine to have {', '.join(MACHINE_HAS)})",
            file=sys.stderr,
        )
        return 1
    carried = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["carried"]
    print(f"gpu-check: the {len(carried)} packages of {folder} and their requirements are here")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    g = sub.add_parser("gather", help="fill a folder with the wheels (needs PyPI)")
    g.add_argument("folder", type=Path)
    g.add_argument("--root", type=Path, default=Path.cwd(), help="the project's checkout")
    v = sub.add_parser("verify", help="check the installed folder against this machine")
    v.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.action == "gather":
        gather(args.folder, args.root.resolve())
        return 0
    return verify(args.folder)


if __name__ == "__main__":
    raise SystemExit(main())
