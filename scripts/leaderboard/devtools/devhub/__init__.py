"""A small Hugging Face Hub-compatible HTTP server over a folder of model repos.

``huggingface.co`` is unreachable in the tests and in the offline demo, so the project serves
its own Hub: point ``HF_ENDPOINT`` at :func:`serve`'s URL and the real ``huggingface_hub``
client, ``transformers.AutoConfig`` and ``AutoTokenizer`` work unchanged over real HTTP.

Folder format (``ROOT`` is any directory)::

    ROOT/<org>/<name>/               a bare git repository: the model repo itself. Real commits,
                                     so real 40-hex shas; branches and tags are git's own.
    ROOT/<org>/<name>.devhub.yaml    optional Hub metadata that is not in git:
                                       private: bool, gated: false|auto|manual, disabled: bool,
                                       likes: int, downloads: int; and one test mode,
                                       test_drip_seconds: float (files are sent one byte at a
                                       time, this far apart: a Hub too slow to finish, yet
                                       never silent long enough for a per-read timeout)

Make repos with :func:`publish` (or ``leaderboard devhub publish DIR ORG/NAME``), or by hand:
``git clone ROOT/org/name``, commit, ``git push``. Set metadata with :func:`set_meta`.

Served endpoints (what the client reads, measured in docs/devhub.md): model info with and
without a revision, the file tree, refs, and ``resolve`` with ``HEAD``/``GET``,
``X-Repo-Commit``, ``ETag``, ``Content-Length`` and ``Range``. Errors carry ``X-Error-Code``
(``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``, ``GatedRepo``), because the client
picks its exception from that header. Private repos look missing (401 ``RepoNotFound``) to a
request without ``Authorization``, as on the real Hub; with any token they are visible, so
owners can be told their model is private. Gated repos show their info but refuse files (401
without a token, 403 with one). Files are always served from git, never from a working tree.
"""

from .repos import META_FIELDS, META_SUFFIX, RepoType, publish, read_meta, repo_dir, set_meta
from .server import serve, serve_forever
from .snapshots import dataset_info, model_info

__all__ = [
    "META_FIELDS",
    "META_SUFFIX",
    "RepoType",
    "dataset_info",
    "model_info",
    "publish",
    "read_meta",
    "repo_dir",
    "serve",
    "serve_forever",
    "set_meta",
]
