"""Pure text helpers shared by several stages: markdown removal, block splitting, slugs.

No spaCy here: everything is plain string work that tests can exercise directly.
"""

from __future__ import annotations

import re
import unicodedata

URL_RE = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*\)")
_WIKI = re.compile(r"!?\[\[([^\]|#^]+)(?:[#^][^\]|]*)?(?:\|([^\]]+))?\]\]")
_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITAL = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")
_STRIKE = re.compile(r"~~(.+?)~~")
_HTML = re.compile(r"</?[A-Za-z][^>\n]{0,200}>")
_FOOTREF = re.compile(r"\[\^[^\]]+\]|(?<=\S)\[\d{1,3}\](?!\()")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_CALLOUT = re.compile(r"^\[!\w+\][+-]?\s*")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# Line prefixes that are structure, not words: thread numbering ("3/", "3/7"), transcript timestamps
# ("[00:01:05]", "(1:05)") and, after a timestamp, the speaker's label ("Tomas Ferreira:").
_THREAD_NUM = re.compile(r"^\s*\d{1,3}\s*/\s*\d{0,3}\s+(?=\S)")
_TIMESTAMP = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*(?:-\s*)?")
_SPEAKER = re.compile(r"^(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}):\s+(?=\S)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def strip_inline(text: str) -> str:
    """Remove inline markdown, keeping the words: links keep their text, emphasis its content."""
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _WIKI.sub(lambda m: m.group(2) or m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _FOOTREF.sub("", text)
    text = _CODE.sub(lambda m: m.group(1), text)
    for _ in range(2):
        text = _EMPH.sub(lambda m: m.group(2), text)
    text = _ITAL.sub(lambda m: m.group(2), text)
    text = _STRIKE.sub(lambda m: m.group(1), text)
    text = _HTML.sub("", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def bold_spans(markdown: str) -> list[str]:
    """The author's own bold text, as clean strings (a signal of what they think matters)."""
    out = []
    for m in _EMPH.finditer(markdown):
        clean = strip_inline(m.group(2))
        if len(clean.split()) >= 2:
            out.append(clean)
    return out


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose (lines cut at ~70-100 columns mid-sentence) versus one paragraph per line."""
    if len(lines) < 2:
        return False
    body = lines[:-1]
    cut = sum(1 for ln in body if 35 <= len(ln) <= 110 and not re.search(r"[.!?:\"”’)]$", ln))
    return cut >= max(1, len(body) * 0.6)


def _line_kind(line: str) -> str:
    """In one-paragraph-per-line text, a short line without closing punctuation is a heading."""
    words = line.split()
    if len(words) <= 12 and not re.search(r"[.!?,;:\"”’)]$", line) and line[:1].isupper():
        return "heading"
    return "para"


def blocks(markdown: str) -> list[tuple[str, str]]:
    """Split markdown into (kind, clean text) blocks: kind is heading, item, quote or para.

    Hard-wrapped paragraph lines are joined; in plain text with one paragraph per line, each line
    is a block, and a short line with no closing punctuation is a heading. Each heading and list
    item is its own block; code blocks, tables and horizontal rules are dropped (they hold no
    sentences a reader would highlight).
    """
    out: list[tuple[str, str]] = []
    para: list[str] = []
    in_code = False

    def flush() -> None:
        if not para:
            return
        if _is_wrapped(para):
            joined = strip_inline(" ".join(para))
            if joined:
                out.append(("para", joined))
        else:
            for line in para:
                clean = strip_inline(line)
                if clean:
                    out.append((_line_kind(clean), clean))
        para.clear()

    for raw in markdown.split("\n"):
        if _FENCE.match(raw):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        line = raw.rstrip()
        if not line.strip() or _RULE.match(line) or _TABLE_SEP.match(line):
            flush()
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            flush()
            continue
        if _HEADING.match(line):
            flush()
            text = strip_inline(_HEADING.sub("", line).rstrip("#").strip())
            if text:
                out.append(("heading", text))
            continue
        if _QUOTE.match(line):
            flush()
            text = strip_inline(_CALLOUT.sub("", _QUOTE.sub("", line)))
            if text:
                out.append(("quote", text))
            continue
        if _LIST.match(line):
            flush()
            text = strip_inline(_LIST.sub("", line))
            if text:
                out.append(("item", text))
            continue
        stripped = _TIMESTAMP.sub("", line)
        if stripped != line:
            stripped = _SPEAKER.sub("", stripped)
        para.append(_THREAD_NUM.sub("", stripped).strip())
    flush()
    return out


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str, sep: str = "_", max_len: int = 60) -> str:
    """ASCII, lowercase, words joined by `sep`, cut at a word boundary."""
    text = re.sub(r"['’]", "", text)  # "Scaling's" -> "scalings", not "scaling s"
    words = re.findall(r"[a-z0-9]+", ascii_fold(re.sub(r"[^\w]+", " ", text)).lower())
    out = ""
    for w in words:
        candidate = f"{out}{sep}{w}" if out else w
        if len(candidate) > max_len:
            break
        out = candidate
    return out or (words[0][:max_len] if words else "")


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary, adding an ellipsis when cut."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def first_sentences(text: str, limit: int) -> str:
    """Whole sentences from `text` up to `limit` characters ('' if even the first is too long)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])", re.sub(r"\s+", " ", text).strip())
    out = ""
    for part in parts:
        candidate = f"{out} {part}".strip()
        if len(candidate) > limit:
            break
        out = candidate
    return out


def title_case(text: str) -> bool:
    """Title Case Headings Fool NER; a heading that reads like a sentence does not."""
    words = [w for w in text.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


IMAGE_DESCRIPTION = re.compile(r"\(\s*description\s*:[^)]*\)?", re.I)
"""Alt text that capture tools write for images (X articles): "(Description: ...)". Neither an
insight (`triage.enrich.insights`) nor a source of entities (`triage.enrich.mentions`)."""
