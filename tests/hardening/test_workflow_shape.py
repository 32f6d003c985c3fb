"""The security-relevant shape of every workflow, asserted so that it cannot regress.

Linters know GitHub Actions in general; these checks know this project's rules (the README's
"Security" section):

- ``unpinned``: every action and reusable workflow is pinned to a full 40-hex commit sha (tags
  can be moved by whoever controls the action's repository; a sha cannot);
- ``permissions``: every workflow sets top-level ``permissions`` (least privilege by default);
- ``self-hosted-pr``: no job that runs on our self-hosted (GPU) runner can be started by a pull
  request, or by anything else an outsider does. Such jobs may only run for events that need
  write access to the repository (an allowlist: ``push``, ``workflow_dispatch``, ``schedule``,
  ``repository_dispatch``, ``workflow_call``), so ``pull_request``, ``pull_request_target``,
  ``workflow_run`` (which a pull request's run sets off), ``issue_comment`` and the like are
  all refused, in the workflow itself and in any reusable workflow it calls;
- ``injection``: no ``${{ github.event.* }}`` or ``${{ github.head_ref }}`` text inside a
  ``run:`` script or a github-script ``script:`` (pass it through ``env:`` instead);
- ``prt-checkout``: a ``pull_request_target`` workflow never checks out the pull request's code.

The checks run over every file in ``.github/workflows/``, whoever added it, and over negative
fixtures that prove each check fails when it should.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_DIR = ROOT / ".github" / "workflows"
FIXTURES = Path(__file__).parent / "fixtures" / "workflows"

#: Triggers only people with write access can fire. Anything else (pull_request,
#: pull_request_target, workflow_run, issue_comment, issues, discussion, merge_group, ...) can
#: be set off by a stranger, or runs a pull request's code.
TRUSTED_TRIGGERS = {"push", "workflow_dispatch", "schedule", "repository_dispatch", "workflow_call"}
SHA_PIN = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
DOCKER_PIN = re.compile(r"^docker://[^@\s]+@sha256:[0-9a-f]{64}$")
UNTRUSTED = re.compile(r"\$\{\{[^}]*\bgithub\.(event\.|head_ref\b)")
PR_CODE = re.compile(r"pull_request\.head|github\.head_ref|refs/pull/|\bhead\.(sha|ref)\b")
PR_CODE_RUN = re.compile(r"gh\s+pr\s+checkout|refs/pull/|\bpull/\$\{\{")


def _custom_labels() -> set[str]:
    """Labels of our self-hosted runners, as declared for actionlint."""
    config = yaml.safe_load((ROOT / ".github" / "actionlint.yaml").read_text()) or {}
    return set(config.get("self-hosted-runner", {}).get("labels", [])) | {"self-hosted"}


def _load(file: Path) -> dict[str, Any]:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{file}: not a YAML mapping"
    return data


def _triggers(workflow: dict[str, Any]) -> set[str]:
    # YAML 1.1 reads a bare `on` key as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    if isinstance(on, dict):
        return set(on)
    return set()


def _jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    jobs = workflow.get("jobs") or {}
    return {name: job for name, job in jobs.items() if isinstance(job, dict)}


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in job.get("steps") or [] if isinstance(s, dict)]


def _self_hosted(job: dict[str, Any], labels: set[str]) -> bool | None:
    """True/False for a job's runner; None when an expression chooses it (cannot be proven)."""
    runs_on = job.get("runs-on")
    if runs_on is None:
        return False  # a reusable-workflow call: judged through the callee
    if isinstance(runs_on, dict):  # {group: ..., labels: ...}: groups are ours, never hosted
        return True
    values = [runs_on] if isinstance(runs_on, str) else [str(v) for v in runs_on]
    if any("${{" in v for v in values):
        return None
    return any(v in labels for v in values)


def _local_callee(uses: str, caller: Path) -> Path | None:
    """The file of a same-repository reusable workflow (resolved beside the caller)."""
    if not uses.startswith("./"):
        return None
    return caller.parent / Path(uses).name


def _self_hosted_jobs(
    file: Path, labels: set[str], seen: frozenset[Path] = frozenset()
) -> list[str]:
    """Jobs of ``file`` (and of the reusable workflows it calls) that may run self-hosted."""
    found = []
    for name, job in _jobs(_load(file)).items():
        hosted = _self_hosted(job, labels)
        if hosted is not False:
            why = "self-hosted" if hosted else "a runner chosen by an expression"
            found.append(f"{file.name}:{name} ({why})")
        callee = _local_callee(str(job.get("uses", "")), file)
        if callee is not None and callee.exists() and callee not in seen:
            found += _self_hosted_jobs(callee, labels, seen | {file})
    return found


def _step_problems(step: dict[str, Any], where: str, triggers: set[str]) -> list[tuple[str, str]]:
    problems = []
    action = str(step.get("uses") or "")
    run = str(step.get("run", ""))
    pinned = SHA_PIN.match(action) or DOCKER_PIN.match(action)
    if action and not action.startswith("./") and not pinned:
        problems.append(("unpinned", f"{where}: {action}"))
    scripts = [run]
    if action.startswith("actions/github-script@"):
        scripts.append(str((step.get("with") or {}).get("script", "")))
    if any(UNTRUSTED.search(s) for s in scripts):
        problems.append(("injection", f"{where}: untrusted github.* text in a script"))
    if "pull_request_target" in triggers:
        with_ = step.get("with") or {}
        target = f"{with_.get('ref', '')} {with_.get('repository', '')}"
        checkout = action.startswith("actions/checkout@") and PR_CODE.search(target)
        if checkout or PR_CODE_RUN.search(run):
            problems.append(("prt-checkout", f"{where}: checks out the pull request's code"))
    return problems


def shape_problems(file: Path) -> list[tuple[str, str]]:
    """(check, detail) for everything wrong with one workflow file."""
    workflow = _load(file)
    triggers = _triggers(workflow)
    problems: list[tuple[str, str]] = []
    if "permissions" not in workflow:
        problems.append(("permissions", "no top-level `permissions`"))
    for name, job in _jobs(workflow).items():
        uses = job.get("uses")
        if uses and not uses.startswith("./") and not SHA_PIN.match(uses):
            problems.append(("unpinned", f"job {name}: {uses}"))
        for i, step in enumerate(_steps(job)):
            where = f"job {name}, step {step.get('name') or i + 1}"
            problems += _step_problems(step, where, triggers)
    reachable = sorted(triggers - TRUSTED_TRIGGERS)
    if reachable:
        for job in _self_hosted_jobs(file, _custom_labels()):
            problems.append(("self-hosted-pr", f"{job} can be started by {reachable}"))
    return problems


WORKFLOWS = sorted(p for p in WORKFLOW_DIR.glob("*") if p.suffix in (".yml", ".yaml"))


@pytest.mark.parametrize("file", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_has_a_safe_shape(file: Path) -> None:
    assert shape_problems(file) == []


def _expected(file: Path) -> set[str]:
    """A fixture names the checks it must trip in a first-line comment: ``# expect: a, b``."""
    first = file.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect:\s*(.*)", first)
    assert match, f"{file.name}: the first line must be '# expect: CHECK[, CHECK]' or '# expect:'"
    return {c.strip() for c in match.group(1).split(",") if c.strip()}


SHAPE_FIXTURES = sorted(FIXTURES.glob("shape-*.yml"))


@pytest.mark.parametrize("file", SHAPE_FIXTURES, ids=lambda p: p.name)
def test_fixture_trips_exactly_its_checks(file: Path) -> None:
    assert {check for check, _ in shape_problems(file)} == _expected(file)


def test_every_check_has_a_failing_fixture() -> None:
    checks = {"unpinned", "permissions", "self-hosted-pr", "injection", "prt-checkout"}
    covered = set().union(*(_expected(f) for f in SHAPE_FIXTURES))
    assert checks <= covered, f"no negative fixture for {sorted(checks - covered)}"


def test_the_gpu_job_downloads_data_only_in_its_prepare_step() -> None:
    """Issue 15: nothing is downloaded during an evaluation. The GPU job fetches the suite's
    datasets (at their pinned commits) and nltk data in `leaderboard runner prepare`, and the
    evaluation after it runs with the datasets library offline."""
    steps = _steps(_jobs(_load(WORKFLOW_DIR / "evaluate.yml"))["evaluate"])
    runs = [str(s.get("run", "")) for s in steps]
    prepare = next(i for i, r in enumerate(runs) if "leaderboard runner prepare" in r)
    evaluate = next(i for i, r in enumerate(runs) if "leaderboard evaluate" in r)
    assert prepare < evaluate
    assert steps[evaluate].get("env", {}).get("HF_DATASETS_OFFLINE") == "1"


def test_ci_fails_on_a_corrupt_data_file_that_publish_would_skip() -> None:
    """Issue 12: the published build leaves a corrupt file out and names it; CI's check of
    every pull request and push runs the same build with --strict, so the file is refused."""
    runs = [str(s.get("run", "")) for s in _steps(_jobs(_load(WORKFLOW_DIR / "ci.yml"))["test"])]
    assert any("leaderboard build --strict" in r for r in runs)
    publish = _load(WORKFLOW_DIR / "publish.yml")
    assert not any(
        "--strict" in str(s.get("run", "")) for job in _jobs(publish).values() for s in _steps(job)
    )


def test_ci_checks_the_repositorys_suites_with_lm_eval() -> None:
    """Issue 15: the pull-request validator installs no lm-eval, so the tasks and metric keys
    of a repository suite are checked by CI's test job, which has it."""
    runs = [str(s.get("run", "")) for s in _steps(_jobs(_load(WORKFLOW_DIR / "ci.yml"))["test"])]
    assert any("leaderboard suite-check" in r for r in runs)


#: Issue 14: what each job may leave out of its working tree. The raw results are 1.7 GB at
#: 50,000 models; the site, the notices and the CI build read index/ instead, and the jobs that
#: read neither leave both out. Checked against every job that checks out the repository.
_LEFT_OUT = {
    ("evaluate.yml", "dispatch"): {"!/results/", "!/index/"},
    ("evaluate.yml", "evaluate"): {"!/results/", "!/index/"},
    ("evaluate.yml", "record"): {"!/results/"},
    ("publish.yml", "build"): {"!/results/"},
    ("publish.yml", "tell"): {"!/results/", "!/index/"},
    ("validate.yml", "validate"): {"!/results/", "!/index/"},
    ("ci.yml", "test"): {"!/results/"},
}


def test_no_job_checks_out_the_raw_results() -> None:
    seen = {}
    for workflow in sorted(WORKFLOW_DIR.glob("*.yml")):
        for name, job in _jobs(_load(workflow)).items():
            for step in _steps(job):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    with_ = step.get("with") or {}
                    patterns = set(str(with_.get("sparse-checkout", "")).split())
                    assert str(with_.get("sparse-checkout-cone-mode")).lower() == "false", name
                    seen[(workflow.name, name)] = patterns
    assert set(seen) == set(_LEFT_OUT)
    for job, patterns in seen.items():
        assert "/*" in patterns and _LEFT_OUT[job] <= patterns, (job, patterns)


def test_only_the_hosted_record_job_can_mint_an_oidc_token_or_attest() -> None:
    """Issue 27: an OIDC token is what Sigstore signs with and what the Hub's Trusted
    Publishers trade for a write token. Only the GitHub-hosted record job gets one; the GPU
    job, where third-party model code runs, never does; besides it only the Pages deployment,
    which deploy-pages needs (it runs no code of ours)."""
    granted = {}
    for workflow in sorted(WORKFLOW_DIR.glob("*.yml")):
        data = _load(workflow)
        assert "id-token" not in (data.get("permissions") or {}), workflow.name
        for name, job in _jobs(data).items():
            perms = job.get("permissions") or {}
            if isinstance(perms, dict) and {"id-token", "attestations"} & set(perms):
                granted[(workflow.name, name)] = {
                    k: perms.get(k) for k in ("id-token", "attestations")
                }
    assert granted == {
        ("evaluate.yml", "record"): {"id-token": "write", "attestations": "write"},
        ("publish.yml", "deploy"): {"id-token": "write", "attestations": None},
    }
    jobs = _jobs(_load(WORKFLOW_DIR / "evaluate.yml"))
    assert jobs["record"]["runs-on"] == "ubuntu-latest"
    # The GPU job runs on its plan's runner pool, chosen by an expression (the pool's labels):
    # the check cannot prove it self-hosted, so it counts it as possibly so (None), never hosted.
    assert _self_hosted(jobs["evaluate"], _custom_labels()) is not False
    assert "id-token" not in jobs["evaluate"].get("permissions", {})


def test_the_record_job_signs_what_the_cli_planned_and_notes_it() -> None:
    """The YAML only wires actions/attest to the files `leaderboard record --attest-plan`
    writes; a failed signing leaves the results recorded ("not attested") and is noted nowhere."""
    steps = _steps(_jobs(_load(WORKFLOW_DIR / "evaluate.yml"))["record"])
    runs = [str(s.get("run", "")) for s in steps]
    record = next(i for i, r in enumerate(runs) if "leaderboard record" in r)
    assert "--attest-plan attest" in runs[record]
    attest = next(
        i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/attest@")
    )
    step = steps[attest]
    assert SHA_PIN.match(step["uses"]) and record < attest
    assert step["with"] == {
        "subject-checksums": "attest/subjects.sha256",
        "predicate-type": "https://in-toto.io/attestation/test-result/v0.1",
        "predicate-path": "attest/predicate.json",
    }
    assert step["continue-on-error"] is True and "attest/subjects.sha256" in step["if"]
    note = next(i for i, r in enumerate(runs) if "leaderboard attest-note" in r)
    assert attest < note and steps[note]["if"] == "steps.attest.outcome == 'success'"
    publish = next(i for i, r in enumerate(runs) if "gh workflow run publish.yml" in r)
    assert note < publish  # the site is built with the notes


def test_the_details_push_prefers_trusted_publishers_and_the_gpu_job_keeps_its_read_token() -> None:
    """The record step's stored HF_DETAILS_TOKEN is the fallback of Trusted Publishers (its job
    can mint the OIDC token); the GPU job gets only the read token and no way to mint one."""
    jobs = _jobs(_load(WORKFLOW_DIR / "evaluate.yml"))
    record = next(
        s for s in _steps(jobs["record"]) if "leaderboard record" in str(s.get("run", ""))
    )
    assert record["env"]["HF_TOKEN"] == "${{ secrets.HF_DETAILS_TOKEN }}"
    gpu = yaml.safe_dump(jobs["evaluate"])
    assert set(re.findall(r"secrets\.(\w+)", gpu)) == {"HF_READ_TOKEN"}
    assert "HF_OIDC" not in gpu and "id-token" not in gpu
