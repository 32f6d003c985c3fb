"""nltk's ``punkt_tab`` sentence splitter, trained here, so tests never download nltk data.

lm-eval's IFEval imports a module that downloads ``punkt_tab`` when ``nltk.data.find`` cannot
find it. A real Punkt model trained on a small local text, written in the ``punkt_tab`` format,
under a folder that ``NLTK_DATA`` then names, makes that lookup succeed offline.
"""

from __future__ import annotations

from pathlib import Path

_TEXT = (
    "Dr. Smith went home. He was tired after a long day. Mr. Jones stayed at the office. "
    "The U.S. team won the match. Write your answer in lowercase. Use at least five words. "
    "Mrs. Brown asked a question. It was about the weather, e.g. rain or sun. "
)


def build_punkt_tab(data_dir: Path) -> Path:
    """Write ``data_dir/tokenizers/punkt_tab/english``; returns ``data_dir`` (for NLTK_DATA).

    The files are written here in the ``punkt_tab`` format (nltk's own writer refuses folders
    outside its configured data path, which this one is not yet).
    """
    from nltk.tokenize.punkt import PunktTrainer

    out = data_dir / "tokenizers" / "punkt_tab" / "english"
    out.mkdir(parents=True, exist_ok=True)
    trainer = PunktTrainer()
    trainer.train(_TEXT * 10, finalize=True)
    params = trainer.get_params()
    files = {
        "collocations.tab": ["\t".join(pair) for pair in sorted(params.collocations)],
        "sent_starters.txt": sorted(params.sent_starters),
        "abbrev_types.txt": sorted(params.abbrev_types),
        "ortho_context.tab": [f"{w}\t{n}" for w, n in sorted(params.ortho_context.items())],
    }
    for name, lines in files.items():
        (out / name).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return data_dir
