"""Every data model of the leaderboard, one module per file kind, re-exported here.

Files in the repository are the database, so their models are strict: unknown fields are
errors (``extra="forbid"``), every file kind carries a ``schema_version``, and identifiers are
checked against the shapes the Hub and GitHub allow, so that a hostile name can never become a
path outside ``requests/`` or a string that lies about what it is. Import models from here;
the submodules only say which file kind each belongs to.
"""

from .attestation import EVALUATE_WORKFLOW, PREDICATE_TYPE, AttestationNote
from .bench import BenchFigure, BenchReport
from .change import Change, ChangeKind, Problem, problem
from .curation import (
    CURATION_FILES,
    CURATION_PATHS,
    DoNotSubmitEntry,
    DoNotSubmitFile,
    Flag,
    FlagCategory,
    FlagsFile,
    MaintainersChoiceFile,
    Rename,
    RenamesFile,
)
from .plan import Parallelism, RunPlan, VotesSeen
from .request import (
    REQUEST_SCHEMA_VERSION,
    TYPE_EMOJI,
    FailureCategory,
    ModelType,
    Precision,
    Relaunch,
    Removal,
    Request,
    RequestIdentity,
    Status,
    WeightType,
)
from .result import DatasetRevision, HubFacts, Provenance, RunOutcome
from .row import Cell, Row
from .settings import DetailsStore, QueueSettings, RateLimit, RunnerPool, Settings, Votes
from .suite import Benchmark, HubBenchmark, Question, Subtask, Suite
from .table import ColumnKind, QueueEntry, QueueListing, QueueMeta, QueueRow, TableColumn
from .types import (
    ISO_Z,
    MAX_TEXT,
    FiniteFloat,
    GitHubLogin,
    ModelId,
    OrgName,
    RelPath,
    SafeText,
    Sha,
    StrictModel,
    Url,
    UtcDatetime,
    iso_z,
    json_ready,
    utcnow,
)

__all__ = [
    "CURATION_FILES",
    "CURATION_PATHS",
    "EVALUATE_WORKFLOW",
    "ISO_Z",
    "MAX_TEXT",
    "PREDICATE_TYPE",
    "REQUEST_SCHEMA_VERSION",
    "TYPE_EMOJI",
    "AttestationNote",
    "BenchFigure",
    "BenchReport",
    "Benchmark",
    "Cell",
    "Change",
    "ChangeKind",
    "ColumnKind",
    "DatasetRevision",
    "DetailsStore",
    "DoNotSubmitEntry",
    "DoNotSubmitFile",
    "FailureCategory",
    "FiniteFloat",
    "Flag",
    "FlagCategory",
    "FlagsFile",
    "GitHubLogin",
    "HubBenchmark",
    "HubFacts",
    "MaintainersChoiceFile",
    "ModelId",
    "ModelType",
    "OrgName",
    "Parallelism",
    "Precision",
    "Problem",
    "Provenance",
    "Question",
    "QueueEntry",
    "QueueListing",
    "QueueMeta",
    "QueueRow",
    "QueueSettings",
    "RateLimit",
    "RelPath",
    "Relaunch",
    "Removal",
    "Rename",
    "RenamesFile",
    "Request",
    "RequestIdentity",
    "Row",
    "RunOutcome",
    "RunPlan",
    "RunnerPool",
    "SafeText",
    "Settings",
    "Sha",
    "Status",
    "StrictModel",
    "Subtask",
    "Suite",
    "TableColumn",
    "Url",
    "UtcDatetime",
    "Votes",
    "VotesSeen",
    "WeightType",
    "iso_z",
    "json_ready",
    "problem",
    "utcnow",
]
