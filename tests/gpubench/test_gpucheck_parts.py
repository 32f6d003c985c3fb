"""gpucheck's choices without PyPI: what the folder carries, and what ``verify`` reports."""

from __future__ import annotations

import json
from pathlib import Path

from leaderboard_bench import gpucheck
from leaderboard_bench.gpucheck import Resolved

ROOT = Path(__file__).resolve().parents[2]


def test_the_roots_are_the_projects_requirements_and_lm_eval_without_hf() -> None:
    roots = gpucheck.requirements(ROOT / "pyproject.toml")
    lm_eval = [r for r in roots if r.startswith("lm-eval")]
    assert lm_eval == ["lm-eval[ifeval,math]==0.4.13"]
    assert not any(r.startswith(("torch", "accelerate", "peft")) for r in roots)
    assert {"pydantic", "transformers", "huggingface-hub"} <= gpucheck.root_names(roots)


def _graph(**edges: tuple[str, ...]) -> dict[str, Resolved]:
    return {name: Resolved(name, "1.0", deps) for name, deps in edges.items()}


def test_select_stops_at_the_machines_packages_and_what_is_never_imported(monkeypatch) -> None:
    monkeypatch.setattr(gpucheck, "torch_requires", lambda: ["filelock"])
    graph = _graph(
        **{
            "lm-eval": ("datasets", "scikit-learn", "langdetect"),
            "datasets": ("pyarrow", "pandas", "filelock", "dill"),
            "pandas": ("python-dateutil",),
            "python-dateutil": ("six",),
            "langdetect": ("six",),
            "scikit-learn": ("scipy", "joblib"),
            "nltk": ("joblib",),
        },
        pyarrow=(),
        filelock=(),
        dill=(),
        six=(),
        scipy=(),
        joblib=(),
    )
    carried = {r.name for r in gpucheck.select(graph, ["lm-eval", "nltk"])}
    # The machine's pandas brings its own dateutil; six is carried for langdetect; joblib for
    # nltk, though scikit-learn (never imported) would want it too.
    assert carried == {"lm-eval", "datasets", "dill", "langdetect", "six", "nltk", "joblib"}


def test_a_report_keeps_the_requirements_of_the_extras_asked_for() -> None:
    report = {
        "install": [
            {
                "metadata": {
                    "name": "lm_eval",
                    "version": "0.4.13",
                    "requires_dist": [
                        "datasets>=2",
                        'langdetect; extra == "ifeval"',
                        'torch; extra == "hf"',
                        'old-thing; python_version < "3.9"',
                    ],
                },
                "requested_extras": ["ifeval"],
            }
        ]
    }
    (item,) = gpucheck.parse_report(report).values()
    assert (item.name, item.requires) == ("lm-eval", ("datasets", "langdetect"))


def test_verify_names_what_is_missing_and_warns_of_versions(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "site"
    info = site / "carried_pkg-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: carried-pkg\nVersion: 1.0\n"
        "Requires-Dist: no-such-package-here>=1\n"
        "Requires-Dist: packaging>=999\n"
        "Requires-Dist: scikit-learn\n"
        'Requires-Dist: other-missing; extra == "docs"\n'
    )
    monkeypatch.syspath_prepend(str(site))
    folder = tmp_path / "wheels"
    folder.mkdir()
    manifest = {"carried": {"carried-pkg": "1.0"}, "not_imported": ["scikit-learn"]}
    (folder / gpucheck.MANIFEST).write_text(json.dumps(manifest))
    missing, mismatched = gpucheck.problems(folder)
    assert missing == ["no-such-package-here (required by carried-pkg)"]
    assert len(mismatched) == 1 and mismatched[0].startswith("packaging ")
    assert mismatched[0].endswith("but carried-pkg requires >=999")
    assert gpucheck.verify(folder) == 1


def test_what_travels_is_what_git_does_not_ignore() -> None:
    files = {f.relative_to(ROOT).as_posix() for f in gpucheck.tracked(ROOT)}
    assert "scripts/gpu-check.sh" in files and "pyproject.toml" in files
    assert not any(f.startswith((".venv/", ".gpu-check/")) for f in files)
