"""The feed and the per-model files: valid Atom (parsed with the standard library, every element
RFC 4287 requires), dates from results and maintainers rather than submitters, stable ids, and
per-model paths that no name can turn into a path outside ``data/models/``."""

from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from pydantic import ValidationError

from leaderboard.core.models import Removal
from leaderboard.devtools.synthetic import HOSTILE, make_repo
from leaderboard.site.data import SiteData
from leaderboard.store.repo import Repo
from leaderboard.table.feed import MAX_ENTRIES, changes_atom, model_path
from tests.lbtest import iso_days_ago

NS = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return make_repo(tmp_path_factory.mktemp("repo"), 6)


@pytest.fixture(scope="module")
def files(repo: Repo) -> dict[str, bytes]:
    return SiteData.load(repo).generated_files()


@pytest.fixture(scope="module")
def feed(files: dict[str, bytes]) -> ET.Element:
    return ET.fromstring(files["data/changes.xml"])


def _date(text: str) -> datetime:
    """RFC 3339, as Atom requires: a full date-time with a zone."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, text
    return value


def test_the_feed_has_every_element_atom_requires(feed: ET.Element):
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated"):
        assert feed.find(f"a:{tag}", NS) is not None and feed.find(f"a:{tag}", NS).text
    assert feed.find("a:author/a:name", NS).text  # no entry has its own author
    assert feed.find("a:link[@rel='self']", NS).get("href") == "../data/changes.xml"
    entries = feed.findall("a:entry", NS)
    assert 0 < len(entries) <= MAX_ENTRIES
    ids = [e.find("a:id", NS).text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for e in entries:
        assert e.find("a:title", NS).text
        _date(e.find("a:updated", NS).text)
        assert e.find("a:link[@rel='alternate']", NS).get("href")
    newest = max(_date(e.find("a:updated", NS).text) for e in entries)
    assert _date(feed.find("a:updated", NS).text) == newest


def _entries(feed: ET.Element, kind: str) -> list[ET.Element]:
    return [e for e in feed.findall("a:entry", NS) if e.find("a:category", NS).get("term") == kind]


def test_evaluations_flags_and_removals_are_all_there(feed: ET.Element, repo: Repo):
    evaluated = _entries(feed, "evaluated")
    rows = json.loads(SiteData.load(repo).generated_files()["data/contents.json"])
    assert len(evaluated) == len(rows)
    [flag] = [
        e for e in _entries(feed, "flagged") if "contaminated-13b" in e.find("a:title", NS).text
    ]
    assert flag.find("a:link", NS).get("href").startswith("../model/?id=cheater_contaminated-13b_")
    [removed] = _entries(feed, "removed")
    assert "removed/taken-down-7b" in removed.find("a:title", NS).text
    assert {e.find("a:title", NS).text.split(": ")[1] for e in _entries(feed, "failed")} == {
        "broken/failing-model (bfloat16)",
        "unlucky/infra-fail (bfloat16)",
    }


def _feed_for(data: SiteData, site_url: str | None, queue: list[dict] | None = None) -> ET.Element:
    return ET.fromstring(
        changes_atom(
            data.rows,
            data.flags,
            data.queue if queue is None else queue,
            title="T",
            repo_url=None,
            generated_at=data.generated_at,
            site_url=site_url,
        )
    )


def _links(feed: ET.Element) -> list[str]:
    return [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]


def test_links_are_absolute_under_the_sites_address(repo: Repo):
    """A feed reader shows an entry far from the feed: every link is a full address, and each is
    where the relative link of a feed without an address leads from the feed's own URL."""
    data = SiteData.load(repo)
    site = "https://lab.example/leaderboard"  # the settings' form: no trailing slash needed
    absolute, relative = _links(_feed_for(data, site)), _links(_feed_for(data, None))
    assert all(h.startswith(site + "/") for h in absolute), absolute
    feed_url = site + "/data/changes.xml"
    assert absolute[:2] == [feed_url, site + "/"]  # self, then the site
    assert absolute == [urllib.parse.urljoin(feed_url, h) for h in relative]
    assert site + "/queue/#failed" in absolute and any("/model/?id=" in h for h in absolute)


def test_the_build_gives_the_feed_the_sites_address(repo: Repo, monkeypatch):
    """``leaderboard build --site-url`` (the publish workflow's) reaches the feed's links."""
    monkeypatch.setenv("LEADERBOARD_SITE_URL", "https://lab.example/lb/")
    feed = ET.fromstring(SiteData.load(repo).generated_files()["data/changes.xml"])
    assert (
        feed.find("a:link[@rel='self']", NS).get("href")
        == "https://lab.example/lb/data/changes.xml"
    )


def test_a_failure_is_an_entry_with_its_reason_escaped(repo: Repo):
    data = SiteData.load(repo)
    queue = [dict(q) for q in data.queue]
    [failed] = [q for q in queue if q["model"] == "broken/failing-model"]
    failed["failure_reason"] = HOSTILE + " & <b>more</b>\nsecond line"
    text = changes_atom(
        data.rows, data.flags, queue, title="T", repo_url=None, generated_at="x", site_url=None
    ).decode()
    assert "<img" not in text and "<b>" not in text
    [entry] = [
        e
        for e in _entries(ET.fromstring(text), "failed")
        if "broken/failing-model" in e.find("a:title", NS).text
    ]
    # The runner's time, not the submitter's; the reason whole in the summary, its first line in
    # the title.
    assert entry.find("a:updated", NS).text == failed["finished_at"] != failed["submitted_at"]
    assert entry.find("a:summary", NS).text.endswith(failed["failure_reason"])
    assert entry.find("a:title", NS).text.endswith(HOSTILE + " & <b>more</b>")
    assert entry.find("a:link", NS).get("href") == "../queue/#failed"


def test_dates_come_from_the_result_not_from_the_submitter(feed: ET.Element, files):
    rows = {r["eval_name"]: r for r in json.loads(files["data/contents.json"])}
    for e in _entries(feed, "evaluated"):
        eval_name = e.find("a:link", NS).get("href").split("id=", 1)[1]
        row = rows[eval_name]
        assert e.find("a:updated", NS).text == row["Evaluated at"]
        assert row["Evaluated at"] != row["Submission Date"]


def test_hostile_strings_are_escaped_and_the_feed_stays_xml(files):
    text = files["data/changes.xml"].decode()
    assert "<img" not in text  # the synthetic hostile name is text, not markup
    ET.fromstring(text)


def test_ids_are_stable_across_builds(repo: Repo, feed: ET.Element):
    again = ET.fromstring(SiteData.load(repo).generated_files()["data/changes.xml"])
    assert [e.find("a:id", NS).text for e in again.findall("a:entry", NS)] == [
        e.find("a:id", NS).text for e in feed.findall("a:entry", NS)
    ]


def test_one_json_file_per_model_with_every_row_and_its_provenance(files):
    rows = json.loads(files["data/contents.json"])
    doc = json.loads(files["data/models/trusted/highlight-7b.json"])
    assert doc["model"] == "trusted/highlight-7b" and doc["renamed_to"] is None
    assert sorted(r["Precision"] for r in doc["rows"]) == ["4bit", "bfloat16"]
    assert all(r["Reproduce"] and r["Result file"] for r in doc["rows"])
    models = {r["Model"] for r in rows}
    paths = {p for p in files if p.startswith("data/models/")}
    assert {f"data/models/{m}.json" for m in models if model_path(m)} <= paths


def test_a_former_name_keeps_its_address(files):
    old = json.loads(files["data/models/newname/renamed-3b.json"])
    new = json.loads(files["data/models/newname/better-name-3b.json"])
    assert old["renamed_to"] == "newname/better-name-3b" and old["rows"] == new["rows"]
    assert new["former_names"] == ["newname/renamed-3b"]


@pytest.mark.parametrize(
    "name", ["../etc", "org/..", "./x", "org/a/b", "org", "/abs", "org/na me", "org/x\\y", "", "a/"]
)
def test_no_name_makes_a_path_outside_data_models(name: str):
    assert model_path(name) is None


@pytest.mark.parametrize(
    "name", ["org/model-", "org-/model", "org/model.", "org/a--b", "org/m.git"]
)
def test_a_name_the_hub_refuses_has_no_path(name: str):
    """The feed's pages follow the request's own rule for a Hub id (``core.ids``)."""
    assert model_path(name) is None


def test_an_ordinary_name_has_its_path():
    assert model_path("Org-1/model.v2_x") == "data/models/Org-1/model.v2_x.json"


def test_a_noncharacter_in_a_maintainers_text_never_breaks_the_feed():
    """XML cannot hold U+FFFF even escaped; the checked files refuse it, and the feed replaces
    one that reached it anyway, so every reader still parses the whole feed."""
    hostile = "gone \uffff\ufffe\x0b\ud800 for good"
    queue = [
        {
            "request": "requests/acme/x/a.yaml",
            "model": "acme/x",
            "precision": "float16",
            "removed_at": iso_days_ago(1),
            "removed_reason": hostile,
        }
    ]
    xml = changes_atom([], [], queue, title="Board \uffff", repo_url=None, generated_at="x")
    feed = ET.fromstring(xml)
    [entry] = feed.findall("a:entry", NS)
    assert entry.find("a:title", NS).text.endswith("gone \ufffd\ufffd\ufffd\ufffd for good")
    assert feed.find("a:title", NS).text.startswith("Board \ufffd")


@pytest.mark.parametrize("ch", ["\uffff", "\ufffe", "\ufdd0", "\U0010ffff", "\u2028"])
def test_checked_text_refuses_noncharacters_and_separators(ch: str):
    with pytest.raises(ValidationError, match=f"U\\+{ord(ch):04X}"):
        Removal(at=iso_days_ago(1), by="alice", reason=f"spam{ch}")
