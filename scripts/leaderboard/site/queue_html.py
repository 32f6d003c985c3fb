"""The Queue page: every request by status, nothing hidden."""

from __future__ import annotations

from typing import Any

from .html import esc, link


def _file_link(repo_url: str | None, rel: str) -> str:
    if repo_url:
        return link(f"{repo_url.rstrip('/')}/blob/main/{rel}", "request")
    return f"<code>{esc(rel)}</code>"


def _model_cell(e: dict[str, Any]) -> str:
    chat = " 💬" if e["use_chat_template"] else ""
    text = (
        f"{esc(e['model'])} <small>{esc(e['precision'])} · {esc(e['revision'][:7])}{chat}</small>"
    )
    if e.get("eval_name"):
        return f'<a href="../model/?id={esc(e["eval_name"])}">{text}</a>'
    return text


def _section(title: str, anchor: str, head: list[str], body: list[list[str]], empty: str) -> str:
    out = [f'<h2 id="{anchor}">{esc(title)} <small>({len(body)})</small></h2>']
    if not body:
        return "\n".join([*out, f"<p>{esc(empty)}</p>"])
    out.append(f'<div class="lb-queue-wrap"><table data-queue="{anchor}"><thead><tr>')
    out += [f"<th>{esc(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" for cells in body]
    out.append("</tbody></table></div>")
    return "".join(out)


def queue_html(queue: list[dict[str, Any]], repo_url: str | None) -> str:
    """The Queue page's tables; every value escaped, links only when they are http(s)."""
    live = [e for e in queue if e["removed_reason"] is None]
    by = {
        s: [e for e in live if e["status"] == s]
        for s in ("PENDING", "RUNNING", "FINISHED", "FAILED")
    }
    pending = sorted(by["PENDING"], key=lambda e: e["position"] or 0)
    running = sorted(by["RUNNING"], key=lambda e: e["started_at"] or "")
    finished = sorted(by["FINISHED"], key=lambda e: e["finished_at"] or "", reverse=True)
    failed = sorted(by["FAILED"], key=lambda e: e["finished_at"] or "", reverse=True)
    removed = sorted((e for e in queue if e["removed_reason"]), key=lambda e: e["removed_at"] or "")

    def req(e: dict[str, Any]) -> str:
        return _file_link(repo_url, e["request"])

    parts = [
        _section(
            "Running",
            "running",
            ["Model", "Runner", "Since (UTC)", "Attempt", "Request"],
            [
                [_model_cell(e), esc(e["runner"]), esc(e["started_at"]), esc(e["attempts"]), req(e)]
                for e in running
            ],
            "Nothing is being evaluated right now.",
        ),
        _section(
            "Pending",
            "pending",
            ["#", "Model", "Type", "Submitted (UTC)", "Waiting", "Submitter", "Request"],
            [
                [
                    esc(e["position"]),
                    _model_cell(e),
                    esc(e["model_type"]),
                    esc(e["submitted_at"]),
                    _hours(e["waiting_hours"]),
                    esc(e["submitter"]),
                    req(e),
                ]
                for e in pending
            ],
            "The queue is empty.",
        ),
        _section(
            "Failed",
            "failed",
            ["Model", "Category", "Reason", "Finished (UTC)", "Attempts", "Log", "Request"],
            [
                [
                    _model_cell(e),
                    _category(e["failure_category"]),
                    esc(e["failure_reason"]),
                    esc(e["finished_at"]),
                    esc(e["attempts"]),
                    link(e["log_url"], "log") if e["log_url"] else "",
                    req(e),
                ]
                for e in failed
            ],
            "No failed evaluations.",
        ),
        _section(
            "Finished",
            "finished",
            ["Model", "Type", "Finished (UTC)", "Runner", "Request"],
            [
                [
                    _model_cell(e),
                    esc(e["model_type"]),
                    esc(e["finished_at"]),
                    esc(e["runner"]),
                    req(e),
                ]
                for e in finished
            ],
            "No finished evaluations yet.",
        ),
        _section(
            "Removed",
            "removed",
            ["Model", "Status", "Removed (UTC)", "Reason", "Request"],
            [
                [
                    _model_cell(e),
                    esc(e["status"]),
                    esc(e["removed_at"]),
                    esc(e["removed_reason"]),
                    req(e),
                ]
                for e in removed
            ],
            "No request was removed.",
        ),
    ]
    return "\n".join(parts)


def _hours(h: float | None) -> str:
    if h is None:
        return ""
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} days"


def _category(category: str | None) -> str:
    if category == "model":
        return '<span class="lb-badge lb-badge--model" title="The submitter must act">model</span>'
    if category == "infrastructure":
        return '<span class="lb-badge lb-badge--infra" title="Ours; retried">infrastructure</span>'
    return esc(category)
