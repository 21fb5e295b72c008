"""Subtitle files (`.srt`, `.vtt`): a talk's or a video's captions become a transcript.

Cue numbers, timestamps, cue settings (`align:start position:0%`), styling and voice tags (`<c>`,
`<v Speaker>`, `<i>`, `{\\an8}`), inline word timestamps and sound cues (`[Music]`) are removed;
the rolling captions of YouTube's automatic subtitles (each line shown again at the top of the next
cue) are shown once. Lines are joined into paragraphs, broken at long pauses and speaker changes.
The title is the file name without its language code or `[video id]`; a YouTube id in the name, or a
`NOTE` line with a URL, gives the source URL.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CaptureError
from .base import Document, Item, SourceReader

TIMING = re.compile(
    r"^\s*((?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*-->\s*((?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)"
)
_TAG = re.compile(
    r"<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>|</?(?:c|i|b|u|ruby|rt|lang|font)\b[^>]*>|</v>", re.I
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", re.I)
_ASS = re.compile(r"\{\\[^}]*\}")
_SOUND = re.compile(r"^\s*(?:\[[^\]]{1,40}\]|\([A-Za-z ]{1,30}\)|♪+[^♪]*♪*)\s*$")
_SOUND_INLINE = re.compile(r"\[(?:music|applause|laughter|laughs|inaudible|silence|noise)\]", re.I)
_SPEAKER_LINE = re.compile(r"^(?:>>\s*|-\s+)?([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,2}):\s+(?=\S)")
_LANG = re.compile(r"\.(?:[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*|orig|auto|live_chat)$")
_YT_ID = re.compile(r"\s*\[([A-Za-z0-9_-]{11})\]$")
_URL = re.compile(r"https?://\S+")
PAUSE_SECONDS = 2.0
"""A silence at least this long between cues starts a new paragraph."""
MAX_PARAGRAPH_WORDS = 180
"""Unpunctuated auto-captions never end a sentence: cut a paragraph at this length."""


@dataclass
class Cue:
    start: float
    end: float
    lines: list[str]
    line_no: int


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def detect(doc: Document) -> bool:
    head = doc.text[:5000]
    return head.startswith("WEBVTT") or any(TIMING.match(ln) for ln in head.split("\n")[:60])


def _clean(line: str) -> tuple[str, str]:
    """(speaker named on the line or '', the line without tags)."""
    speaker = ""
    m = _VOICE.search(line)
    if m:
        speaker = m.group(1).strip()
    line = _VOICE.sub("", line)
    line = _ASS.sub("", _TAG.sub("", line))
    line = html.unescape(re.sub(r"<[^>\n]{0,40}>", "", line))
    line = _SOUND_INLINE.sub("", line)
    m = _SPEAKER_LINE.match(line)
    if m and not speaker:
        speaker = m.group(1).title() if m.group(1).isupper() else m.group(1)
        line = line[m.end() :]
    elif line.lstrip().startswith(">>"):
        speaker = ">>"  # a new, unnamed speaker (broadcast captions)
        line = line.lstrip()[2:]
    return speaker, re.sub(r"\s+", " ", line).strip()


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of lines between empty lines, with their line numbers. A line of spaces is not empty:
    YouTube puts one inside its cues."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for no, line in enumerate(text.split("\n"), start=1):
        if line == "":
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append((no, line))
    return [b for b in blocks if b]


def parse(text: str) -> tuple[list[Cue], list[str], str, list[str]]:
    """(cues, URLs from NOTE blocks, the WEBVTT header's title, reasons for unreadable blocks)."""
    cues: list[Cue] = []
    urls: list[str] = []
    title = ""
    bad: list[int] = []
    for block in _blocks(text):
        first = block[0][1].strip()
        timings = [k for k, (_, ln) in enumerate(block) if TIMING.match(ln)]
        if first.startswith("WEBVTT") and not timings:
            title = first[6:].strip(" -\t")
            continue
        if first.startswith(("NOTE", "STYLE", "REGION")) and not timings:
            if first.startswith("NOTE"):
                urls += [u.rstrip(".,;)") for u in _URL.findall("\n".join(ln for _, ln in block))]
            continue
        if not timings or timings[0] > 1:
            bad.append(block[0][0])  # text with no timing, or junk before a cue's identifier
        for j, k in enumerate(timings):
            end = timings[j + 1] if j + 1 < len(timings) else len(block)
            payload = [ln for _, ln in block[k + 1 : end]]
            if (
                end < len(block)
                and payload
                and (payload[-1].strip().isdigit() or not payload[-2:-1] or not payload[-2].strip())
            ):
                payload.pop()  # the next cue's identifier (cues separated by a line of spaces)
            m = TIMING.match(block[k][1])
            assert m is not None
            cues.append(Cue(_seconds(m.group(1)), _seconds(m.group(2)), payload, block[k][0]))
    reasons = []
    if bad and cues:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        reasons.append(f"read: subtitles: text without a timing line at line {bad[0]}{more}; skipped")
    return cues, urls, title, reasons


def _is_rolling(cues: list[list[str]]) -> bool:
    """YouTube's auto-captions repeat each cue's last line as the next cue's first line."""
    pairs = [(a, b) for a, b in itertools.pairwise(cues) if a and b]
    repeats = sum(1 for a, b in pairs if b[0] == a[-1])
    return len(pairs) >= 3 and repeats >= 0.3 * len(pairs)


def _repeated(text: str, recent: list[str], rolling: bool, pause: bool) -> bool:
    """Shown again by a rolling caption (one of the last two lines), or the same line continued
    in the next cue without a pause."""
    if rolling:
        return text in recent[-2:]
    return not pause and recent[-1:] == [text]


def paragraphs(cues: list[Cue]) -> list[str]:
    """The cues' text once, as paragraphs (new paragraph at a pause or a new speaker). One pass,
    O(n) in the cues' text: the paragraph's word count is kept as it grows, and only the last
    lines shown are remembered."""
    cleaned = [[_clean(ln) for ln in cue.lines] for cue in cues]
    texts = [[t for _, t in c if t and not _SOUND.match(t)] for c in cleaned]
    rolling = _is_rolling(texts)
    out: list[str] = []
    current: list[str] = []
    recent: list[str] = []  # the last lines shown
    speaker = ""
    last_end = None

    words = 0

    def flush() -> None:
        nonlocal words
        if current:
            out.append(" ".join(current))
            current.clear()
        words = 0

    pause = False
    for cue, lines in zip(cues, cleaned, strict=True):
        pause = pause or (last_end is not None and cue.start - last_end >= PAUSE_SECONDS)
        for who, text in lines:
            if not text or _SOUND.match(text) or _repeated(text, recent, rolling, pause):
                continue
            sentence_end = bool(current) and current[-1].endswith((".", "?", "!", '"', "”"))
            new_speaker = who == ">>" or (bool(who) and who != speaker)
            if new_speaker or pause or words >= MAX_PARAGRAPH_WORDS or (words > 90 and sentence_end):
                flush()
                pause = False
            if new_speaker:
                speaker = who
                if who != ">>":
                    text = f"**{who}:** {text}"
            current.append(text)
            words += len(text.split())
            recent.append(text)
            if len(recent) > 64:
                del recent[:-2]
        last_end = max(cue.end, last_end or 0.0)
    flush()
    return out


def name_meta(path: Path) -> tuple[str, str | None]:
    """(title, YouTube URL or None) from a file name like `Talk title [dQw4w9WgXcQ].en.vtt`."""
    stem = path.stem
    for _ in range(3):
        new = _LANG.sub("", stem)
        if new == stem:
            break
        stem = new
    url = None
    m = _YT_ID.search(stem)
    if m:
        url = f"https://www.youtube.com/watch?v={m.group(1)}"
        stem = stem[: m.start()]
    title = stem.strip(" ._-")
    if " " not in title:
        title = re.sub(r"[_]+", " ", title)
    return title or path.stem, url


def read(doc: Document) -> list[Item]:
    cues, urls, header_title, reasons = parse(doc.text)
    if not cues:
        raise CaptureError(
            "no subtitle cues found (no '00:00:01,000 --> 00:00:04,000' timing line)",
            "check it is a complete .srt or .vtt file",
        )
    paras = paragraphs(cues)
    if not paras:
        raise CaptureError(
            "the subtitles hold no text (only timings or sound cues)", "check the file is complete"
        )
    title, url = name_meta(doc.path)
    title = header_title or title
    meta: dict[str, object] = {"title": title, "format": "transcript"}
    if urls:
        url = urls[0]
    if url:
        meta["url"] = url
    body = "\n\n".join(paras) + "\n"
    return [Item(body=body, meta=meta, reasons=reasons)]


READER = SourceReader("", "subtitles", (".srt", ".vtt"), detect, read)
