"""Submitting from the browser (issue 25): the Submit page's form, in headless Chromium against
the devhub, writes the request file `leaderboard submit` writes for the same inputs, at its
canonical path, in GitHub's "new file" address; that file, committed in a pull request of a
real repository, passes `leaderboard validate` as CI runs it. Hostile input never reaches the
file."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
import yaml
from playwright.sync_api import Page, expect
from safetensors.numpy import save

from leaderboard.cli.main import main
from leaderboard.core.models import Precision, Request, Settings, utcnow
from leaderboard.core.plan import params_in_billions, planned_params
from leaderboard.devtools.tinymodels import model_card
from leaderboard.hub.facts import resolve_revision
from leaderboard.site.hooks import build
from leaderboard.site.submit_form import submit_html
from leaderboard.store.yaml_strict import dump_yaml
from tests.lbtest import DevHub, GitCheckout, git

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO_URL = "https://github.com/example/leaderboard"
#: `leaderboard submit`'s options for the adapter case below.
ADAPTER_CLI = ["--weight-type", "Adapter", "--base-model", "org/good", "--base-revision", "v1"]
ADAPTER_CLI += ["--model-type", "fine-tuned"]
#: The form's module, imported in the page (whose address is .../submit/).
SUBMIT_JS = 'import(new URL("../assets/leaderboard/submit.js", location.href).href)'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _served(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def submit_page(
    devhub: DevHub,
    tiny_model_dir: Path,
    leaderboard_repo: GitCheckout,
    tmp_path: Path,
    open_page: Callable[..., Page],
) -> Iterator[tuple[Page, str]]:
    """The Submit page of a leaderboard whose settings name the devhub and a GitHub repository,
    with org/good published on the devhub (tag v1, then a later commit on main)."""
    devhub.publish("org/good", tiny_model_dir, tag="v1")
    devhub.publish("org/good", {"notes.txt": b"a later commit"})
    # A LoRA adapter over org/good: its own config and weights, and a card naming its base.
    devhub.publish(
        "org/adapter",
        {
            "adapter_config.json": json.dumps(
                {"base_model_name_or_path": "org/good", "peft_type": "LORA", "r": 4}
                | {"target_modules": ["q_proj", "v_proj"]}
            ).encode(),
            "adapter_model.safetensors": save({"lora_A": np.zeros((4, 64), dtype=np.float32)}),
            "README.md": model_card(base_model="org/good").encode(),
        },
    )
    leaderboard_repo.write(
        "curation/settings.yaml",
        f"schema_version: 1\nmaintainers: [alice]\nrepo_url: {REPO_URL}\nhub_url: {devhub.url}\n"
        "eval_results_pr: true\n",
    )
    leaderboard_repo.commit("settings: the site's repository and Hub")
    leaderboard_repo.git("push", "-q", "origin", "main")
    site = tmp_path / "site"
    site.mkdir()
    with _served(site) as url:
        build(leaderboard_repo.path, site, site_url=url)
        # The Hub's refusals in the tests below: a browser logs every failed request.
        page = open_page(1280, 900, expected=("Failed to load resource",))
        page.goto(url + "submit/")
        expect(page.locator("#lb-submit[data-ready]")).to_have_count(1)
        yield page, url


def _fill(page: Page, **values: str | bool) -> None:
    for name, value in values.items():
        field = page.locator(f"#lb-submit [name={name}]")
        if name in ("use_chat_template", "eval_results_pr"):
            field.set_checked(bool(value))
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _prepared(page: Page) -> tuple[str, str]:
    """The path and the file in the "open on GitHub" link, once the form has made them."""
    page.get_by_role("button", name="Prepare the request").click()
    link = page.get_by_role("link", name="Open it on GitHub as a pull request")
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    url = urlsplit(href)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO_URL}/new/main"
    query = parse_qs(url.query, strict_parsing=True)
    (path,), (text,) = query["filename"], query["value"]
    # The page shows the same file it links.
    assert page.locator(".lb-submit__yaml").text_content() == text
    return path, text


def _cli_request(tmp_path: Path, leaderboard_repo: GitCheckout, *args: str) -> tuple[str, str]:
    """What `leaderboard submit` writes for the same inputs, in a clone of the same repository."""
    clone = tmp_path / "cli-clone"
    git(tmp_path, "clone", "-q", str(leaderboard_repo.origin), str(clone))
    assert main(["submit", *args, "--repo", str(clone)]) == 0
    (written,) = [p for p in (clone / "requests").rglob("*.yaml")]
    return written.relative_to(clone).as_posix(), written.read_text("utf-8")


def _same_but_time(form: str, cli: str) -> None:
    """Identical files, but for the second submitted_at was written."""
    form_lines, cli_lines = form.splitlines(keepends=True), cli.splitlines(keepends=True)
    assert len(form_lines) == len(cli_lines)
    for a, b in zip(form_lines, cli_lines, strict=True):
        if a.startswith("submitted_at: "):
            assert b.startswith("submitted_at: '") and a[:15] == b[:15] and a.endswith("Z'\n")
        else:
            assert a == b


@pytest.mark.parametrize(
    ("inputs", "cli"),
    [
        (
            {"model": "org/good", "revision": "v1", "model_type": "chat", "use_chat_template": 1},
            ["--revision", "v1", "--model-type", "chat", "--chat-template"],
        ),
        (
            {"model": "org/good", "precision": "float16", "model_type": "fine-tuned"},
            ["--precision", "float16", "--model-type", "fine-tuned"],
        ),
        (
            {"model": "org/good", "model_type": "pretrained", "eval_results_pr": 1},
            ["--model-type", "pretrained", "--eval-results-pr"],
        ),
        (
            {"model": "org/adapter", "weight_type": "Adapter", "base_model": "org/good"}
            | {"base_revision": "v1", "model_type": "fine-tuned"},
            ADAPTER_CLI,
        ),
    ],
    ids=["tag-chat", "main", "eval-results-pr", "adapter"],
)
def test_the_forms_request_is_the_clis_and_passes_validation(
    submit_page: tuple[Page, str],
    devhub: DevHub,
    leaderboard_repo: GitCheckout,
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    inputs: dict,
    cli: list[str],
) -> None:
    page, _ = submit_page
    _fill(page, submitter="bob", **inputs)
    path, text = _prepared(page)
    # The revision was asked of the Hub and pinned to its full commit.
    request = yaml.safe_load(text)
    sha = request["revision"]
    assert sha == resolve_revision(inputs["model"], inputs.get("revision", "main"))
    expect(page.locator(".lb-submit__status")).to_contain_text(f"is commit {sha}")
    if "base_revision" in inputs:  # the base is pinned too (trust-rules), and main moved on
        assert request["base_revision"] == resolve_revision("org/good", "v1")
        assert request["base_revision"] != resolve_revision("org/good", "main")
    cli_path, cli_text = _cli_request(
        tmp_path,
        leaderboard_repo,
        inputs["model"],
        *(["--precision", "bfloat16"] if "--precision" not in cli else []),
        *cli,
        "--submitter",
        "bob",
    )
    assert path == cli_path
    assert "\nparams: " in cli_text  # the Hub's count, which the form writes too
    _same_but_time(text, cli_text)
    # The pull request that GitHub's page makes: one commit adding the file on a branch of main.
    leaderboard_repo.git("checkout", "-q", "-B", "pr", "origin/main")
    leaderboard_repo.write(path, text)
    head = leaderboard_repo.commit("Submit from the browser")
    capsys.readouterr()
    code = main(
        [
            *("validate", "--repo", str(leaderboard_repo.path), "--base", "origin/main"),
            *("--author", "bob", "--json", "--committed", "--head", head),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"], report


def test_an_adapter_names_and_pins_its_base_model(submit_page: tuple[Page, str]) -> None:
    page, _ = submit_page
    base = page.locator("#lb-s-base-model")
    expect(base).to_be_hidden()
    _fill(page, model="org/adapter", weight_type="Adapter", submitter="bob")
    expect(base).to_be_visible()
    expect(page.locator("#lb-s-base-revision")).to_have_value("main")
    page.get_by_role("button", name="Prepare the request").click()
    expect(page.locator("#lb-s-base-model-error")).to_contain_text("base model")
    # A base the Hub does not have is said so, under the base's revision.
    _fill(page, base_model="org/no-such-base")
    page.get_by_role("button", name="Prepare the request").click()
    expect(page.locator("#lb-s-base-revision-error")).to_contain_text(
        "no public model org/no-such-base"
    )
    _fill(page, base_model="org/good")
    _, text = _prepared(page)
    request = yaml.safe_load(text)
    assert request["base_model"] == "org/good"
    assert request["base_revision"] == resolve_revision("org/good", "main")
    assert "weight_type: Adapter\nbase_model: org/good\nbase_revision: " in text
    # Back to full weights: no base, and the file says none.
    _fill(page, weight_type="Original", model="org/good")
    expect(base).to_be_hidden()
    _, text = _prepared(page)
    assert "base_" not in text


HOSTILE = {
    "model": "org/x\nstatus: FINISHED",
    "submitter": "bob\nsubmitter: mallory",
    "revision": "main\nfailure_reason: x",
}


def test_hostile_input_never_reaches_the_file(submit_page: tuple[Page, str]) -> None:
    page, _ = submit_page
    for name, value in HOSTILE.items():
        _fill(page, model="org/good", submitter="bob", revision="main")
        _fill(page, **{name: value})
        page.get_by_role("button", name="Prepare the request").click()
        expect(page.locator(f"#lb-s-{name}-error")).to_be_visible()
        expect(page.locator(".lb-submit__result")).to_be_hidden()
    # The writer itself refuses whatever would change the file's shape, whatever the caller.
    refused = page.evaluate(
        f"""async (values) => {{
          const m = await {SUBMIT_JS};
          const refuses = (v) => {{
            try {{ m.yamlScalar(v); return null; }} catch (e) {{ return v; }}
          }};
          return values.map(refuses);
        }}""",
        [
            "a\nb: c",
            "x: y",
            "'quoted'",
            '"double"',
            "# comment",
            "a #b",
            "-dash",
            "[list]",
            "{map}",
            "&anchor",
            "*alias",
            "!tag",
            " lead",
            "trail ",
            "\u202eorg/x",
            "a\u2028b",
            "",
        ],
    )
    assert None not in refused, refused


#: Logins (and shas) that YAML 1.1 would read as something else than a string.
TRICKY = ["bob", "null", "NULL", "yes", "Off", "true", "2026-01-01", "0x1F", "0777", "0b101",
          "123", "1e3", "12-34", "nan"]  # fmt: skip


def test_the_yaml_is_pyyamls_for_every_kind_of_value(submit_page: tuple[Page, str]) -> None:
    """Values that YAML would read as a boolean, null, number or date are quoted as PyYAML
    quotes them, the others written plain: the file is dump_yaml's, byte for byte."""
    page, _ = submit_page
    layout = json.loads(page.locator("#lb-submit").get_attribute("data-config") or "")["layout"]
    for login in TRICKY:
        for sha in ("0123456789" * 4, "1" * 40, "0" * 40, "a" * 40):
            request = Request(
                model="org/good",
                revision=sha,
                precision="8bit",
                model_type="fine-tuned",
                submitter=login,
                submitted_at=utcnow(),
            )
            expected = dump_yaml(request)
            got = page.evaluate(
                f"async ([layout, values]) => (await {SUBMIT_JS}).requestYaml(layout, values)",
                [
                    layout,
                    {
                        "model": "org/good",
                        "revision": sha,
                        "precision": "8bit",
                        "weight_type": "Original",
                        "base_model": None,
                        "model_type": "fine-tuned",
                        "use_chat_template": False,
                        "submitter": login,
                        "submitted_at": expected.split("submitted_at: '")[1][:20],
                    },
                ],
            )
            assert got == expected, (login, sha)


#: Parameter counts by dtype, as the Hub's model info and the safetensors metadata give them:
#: tiny models (PyYAML writes their billions with an exponent), GPTQ's packed int32, big ones.
COUNTS = [
    {"F32": 1_024},
    {"F32": 51_200},
    {"F32": 99_999},
    {"F32": 123_456, "BF16": 7},
    {"BF16": 1_000_000_000},
    {"BF16": 7_241_732_096},
    {"I32": 900_000_000, "F16": 120_000_000},
    {"BF16": 405_000_000_000},
    {"F16": 1_500, "U8": 499_999_999},
]


def test_params_are_written_as_leaderboard_submit_writes_them(submit_page: tuple[Page, str]):
    """The form's params: planned_params, params_in_billions and PyYAML's float, in JavaScript."""
    page, _ = submit_page
    cases = [(counts, precision) for counts in COUNTS for precision in ("bfloat16", "gptq")]
    got = page.evaluate(
        f"""async (cases) => {{
          const m = await {SUBMIT_JS};
          return cases.map(([counts, precision]) => {{
            const b = m.paramsBillions(counts, precision);
            return [b, m.yamlScalar(b)];
          }});
        }}""",
        cases,
    )
    for (counts, precision), (billions, text) in zip(cases, got, strict=True):
        expected = params_in_billions(planned_params(counts, Precision(precision)))
        assert billions == expected, (counts, precision)
        assert text + "\n...\n" == yaml.safe_dump(expected), (counts, precision)


def test_without_the_hub_a_full_commit_is_used_and_a_branch_asks_for_one(
    submit_page: tuple[Page, str], devhub: DevHub
) -> None:
    page, _ = submit_page
    page.route(devhub.url + "/**", lambda route: route.abort())
    _fill(page, model="org/good", revision="main", submitter="bob")
    page.get_by_role("button", name="Prepare the request").click()
    error = page.locator("#lb-s-revision-error")
    expect(error).to_contain_text("full 40-character commit id")
    expect(error).to_contain_text("Files and versions")
    expect(page.locator(".lb-submit__result")).to_be_hidden()
    _fill(page, revision="a" * 40)
    path, _ = _prepared(page)
    assert path == "requests/org/good/" + "a" * 40 + "_bfloat16_nochat.yaml"
    page.unroute(devhub.url + "/**")
    # A model the Hub does not have is said so, next to the field that names it.
    _fill(page, model="org/nothing-here", revision="main")
    page.get_by_role("button", name="Prepare the request").click()
    expect(page.locator("#lb-s-revision-error")).to_contain_text("no public model org/nothing-here")


def test_the_eval_results_choice_is_offered_only_where_the_settings_allow_it() -> None:
    assert 'name="eval_results_pr"' not in submit_html(Settings())
    assert 'name="eval_results_pr"' in submit_html(Settings(eval_results_pr=True))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_prepared_request_reads_well_at_both_widths(
    submit_page: tuple[Page, str],
    open_page: Callable[..., Page],
    axe: Callable[[Page], list[dict]],
    shots: Path,
    scheme: str,
) -> None:
    """The form with its answer shown, as a submitter sees it: axe-core finds nothing serious,
    and the screenshots are kept (LB_SCREENSHOTS)."""
    _, url = submit_page
    for width, height in ((1280, 900), (390, 844)):
        page = open_page(width, height, color_scheme=scheme)
        page.goto(url + "submit/")
        expect(page.locator("#lb-submit[data-ready]")).to_have_count(1)
        _fill(page, model="org/good", revision="v1", submitter="bob", model_type="chat")
        _prepared(page)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        found = axe(page)
        assert not found, found
        page.locator("#lb-submit").scroll_into_view_if_needed()
        page.screenshot(path=shots / f"submit-{width}-{scheme}.png", full_page=True)
