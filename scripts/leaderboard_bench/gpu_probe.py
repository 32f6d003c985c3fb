"""Run one ``leaderboard`` command with lm-eval's phases recorded, then write what they did.

The GPU benchmark runs ``leaderboard evaluate`` through this entry point, in a process of its
own (so the GPU memory peak is that evaluation's alone): the same command as production runs,
with ``harness.phases`` reading the clocks around lm-eval's two phases.

Run: ``python -m leaderboard_bench.gpu_probe PHASES.json evaluate --next ...``.
"""

from __future__ import annotations

import sys

from leaderboard.cli.main import main as leaderboard
from leaderboard.harness.phases import Recorder, install


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    out, command = args[0], args[1:]
    recorder = Recorder()
    install(recorder)
    try:
        return leaderboard(command)
    finally:
        # The top-level modules the evaluation imported: what a GPU machine must have.
        recorder.write(out, modules=sorted({name.split(".")[0] for name in sys.modules}))


if __name__ == "__main__":
    raise SystemExit(main())
