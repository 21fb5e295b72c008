"""Evidence of genre: how a text is built and whom it addresses, counted cheaply from its markdown.

What a capture is FOR shows less in its topic words than in its shape: a tutorial numbers its steps,
gives orders ("Run", "Create") and shows commands; a reference page lists terms, options and
signatures in the descriptive present ("returns", "defaults to"); a news report or release note
carries dates, versions and reporting verbs ("said", "announced"); an essay carries its author's
stance, concessions and conclusions (`rhetoric.cues`); a conversation has speaker turns,
timestamps, questions and the fillers of speech. `evidence(markdown)` counts all of these in one
pass of regular expressions (about a millisecond for a 3,000-word text) and `Evidence.vector()`
turns the counts into rates per 100 words (log-scaled), so that length alone decides nothing.

Used by `teleology.py` (the model's features) and `sources.infer.infer_format` (speaker turns,
timestamps). Pure functions, standard library only.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from .rhetoric import cues as rhetoric_cues

# --- transcripts: speaker turns and timestamps -------------------------------------------------

_STAMP = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?"
TIMESTAMP = re.compile(rf"^\s*{_STAMP}\s", re.M)
"""A line opening with a time stamp: `00:01:02 text`, `[01:02] text`, `(1:02:03) text`."""
_NAME = r"[A-Z][\w.'’-]*(?: (?:[A-Z][\w.'’-]*|de|van|von|der|da|la|le|bin|al)){0,3}"
SPEAKER = re.compile(
    rf"^[ \t]*(?:>[ \t]*)?(?:{_STAMP}[ \t]*(?:-[ \t]*)?)?(?:\*\*|__)?"
    rf"(?P<name>{_NAME}|Speaker \d+|SPEAKER_\d+)"
    rf"(?:[ \t]*[\[(]{_STAMP}[\])])?(?:\*\*|__)?[ \t]*(?::(?:\*\*|__)?|(?:\*\*|__):)"
    rf"(?:[ \t]+(?:{_STAMP}[ \t]*)?(?=\S)|[ \t]*{_STAMP}?[ \t]*$)",
    re.M,
)
"""A speaker's turn at the start of a line, in the common layouts: `Name:`, `**Name:**`,
`**Name**:`, `[00:01:02] Name:`, `Name (00:01:02):`, `Name: 00:00:00` (the words on the next
line), `Speaker 1:`."""
SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:{_STAMP}[ \t]*)?(?P<name>Speaker \d+|SPEAKER_\d+)[ \t]*(?:{_STAMP})?[ \t]*$", re.M
)
"""A speaker label alone on its line (`Speaker 1`, `Speaker 2  00:01:05`), the words below it."""
NOT_SPEAKERS = frozenset(
    """note notes warning warnings tip tips important caution danger info hint example examples filename
    file files source sources url link links update updated edit edited summary step output input result
    results returns return usage syntax default defaults type types required optional description name
    title author authors date dates tags tag status category categories version versions published
    see todo ps tldr tl;dr disclaimer credit credits photo image caption figure fig table listing error
    errors warning: question questions answer answers problem solution solutions requirements prerequisites
    goal goals pros cons why what how when where who context background conclusion conclusions takeaway
    takeaways update: ingredients method time yield level difficulty location price cost contents topic
    topics keywords abstract references reference subject from to cc date: re fwd via original also
    next previous prev main definition definitions term terms key value values option options flag flags
    parameter parameters argument arguments default: environment platform platforms license copyright
    homepage repository documentation docs""".split()
)
"""Labels that open lines in documents and are no speakers (`Note:`, `Filename:`, `Step 1:`)."""


def speaker_turns(markdown: str) -> Counter[str]:
    """Speaker -> how many turns it has, counting only names that take at least two turns and are no
    document label (`Note:`, `Filename:`); empty unless at least two speakers take turns."""
    names: Counter[str] = Counter()
    for m in SPEAKER.finditer(markdown):
        name = m.group("name").strip()
        if name.lower().rstrip(".") not in NOT_SPEAKERS and not name.lower().startswith(("step ", "part ")):
            names[name] += 1
    for m in SPEAKER_LINE.finditer(markdown):
        names[m.group("name")] += 1
    names = Counter({n: c for n, c in names.items() if c >= 2})
    return names if len(names) >= 2 else Counter()


def timestamps(markdown: str) -> int:
    """Lines that open with a time stamp."""
    return len(TIMESTAMP.findall(markdown))


def is_transcript(markdown: str) -> bool:
    """Speaker turns (two speakers or more, four turns or more) or time stamps on most lines (five
    or more, and at least a fifth of the non-blank lines)."""
    if sum(speaker_turns(markdown).values()) >= 4:
        return True
    stamps = timestamps(markdown)
    lines = sum(1 for ln in markdown.split("\n") if ln.strip())
    return stamps >= 5 and stamps >= 0.2 * max(lines, 1)


# --- the counts ----------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|step \d+[:.)]?)\s+\S", re.I)
_BULLET = re.compile(r"^\s*[-*+]\s+\S")
_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}")
_DEFINITION = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:`[^`]{1,60}`|\*\*[^*]{1,60}\*\*|[\w.-]{1,40})\s*(?:\([^)]{0,40}\)\s*)?"
    r"(?::|—|–| - )\s+\S"
)
"""A term and its gloss on one line: "- `--verbose`: prints more", "**name** — what it is"."""
_CODE_LINE = re.compile(r"^\s*(?:[-*+]\s+)?`[^`]{2,}`\s*$")
"""A line that is nothing but inline code: a command or an example to type (cheat sheets)."""
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]*\s+(?=[\"“(\[]?[A-Z0-9])")
_LEAD = re.compile(r"^\W*(?:(?:first|then|next|now|finally|second|third|lastly|also|optionally),?\s+)*", re.I)
IMPERATIVES = frozenset(
    """add adjust allow append apply assign avoid build call change check choose clear click clone close
    compile configure confirm connect copy create declare define delete deploy disable download drag edit
    enable ensure enter execute export extract fetch fill find fix follow generate get give go grant
    import include initialize insert install keep launch let list load log look make mark merge modify
    mount move navigate note open pass paste pick place point press print provide pull push put read
    rebuild record refer register reload remember remove rename repeat replace restart restore return
    review run save scroll search select send set setup share sign specify start stop store submit swap
    switch take tap test try turn type uncomment uninstall unzip update upgrade upload use validate verify
    visit wait watch wrap write""".split()
)
"""Verbs that open an instruction ("Run the tests", "Then open the file")."""
OBJECTS = frozenset("the a an your it its this that these them all some each every any".split())
NOT_VERBS = frozenset(
    """the a an this that these those it its he she they we i you there here what which who how why when
    where while if as and but or so yet in on at for with of by from to after before during since until
    under over into onto about like once only also all both each every some any no not now then today
    yesterday tomorrow meanwhile however last next first second third finally later earlier still even
    just most many much more less few several such one two three because therefore thus hence although
    though unless whether instead indeed perhaps maybe despite given than even nor either neither
    except besides otherwise whatever whoever whenever wherever unlike among between through""".split()
)
"""Words that cannot open an instruction; any other word followed by an object ("Knead the dough",
"Bake it") reads as an order, whatever the verb."""
_GERUND_HEAD = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?[A-Z][a-z]+ing\b")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


YOU = _words("you your yours yourself yourselves you'll you're you've you'd")
FIRST = _words("i me my mine myself i'm i've i'd i'll")
LETS = _words("let's we'll") | {
    ("let", "us"),
    ("we", "will"),
    ("now", "we"),
    ("we", "need"),
    ("we're", "going"),
}
REF_WORDS = _words(
    """returns default defaults specifies specify optional required deprecated syntax synopsis accepts
    corresponds consists denotes represents describes contains enables disables overrides"""
) | {
    ("must", "be"),
    ("may", "be"),
    ("is", "used"),
    ("are", "used"),
    ("refers", "to"),
    ("see", "also"),
    ("by", "default"),
    ("if", "set"),
    ("is", "defined"),
    ("are", "defined"),
    ("is", "one"),
    ("the", "following"),
}
"""The descriptive present of documentation: what a thing is, takes, returns, defaults to."""
RELEASE = _words(
    """release released releases releasing announce announced announces announcing announcement launch
    launched launches available upgrade upgraded fix fixed fixes bugfix bugfixes security vulnerability
    vulnerabilities changelog deprecated stabilized stabilised shipped ships introduced added removed
    changed patched patch regression"""
)
"""What release notes, announcements and news report: something released, fixed, launched."""
REPORTING = _words(
    """said says told reported reports announced confirmed stated explained noted wrote warned claimed
    denied insisted revealed admitted urged spokesman spokeswoman spokesperson officials"""
) | {("according", "to")}
PAST = _words("was were had did said told went came made became took began got saw gave")
PRESENT = _words(
    "is are has have does do can returns takes means uses makes gets sets contains provides allows lets needs"
)
INTERJECTIONS = _words(
    "yeah yep yup um umm uh uhh oh okay ok hmm wow gonna wanna kinda sorta exactly absolutely totally cool "
    "awesome"
) | {("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of")}
YOU_ASK = {
    ("do", "you"),
    ("did", "you"),
    ("would", "you"),
    ("could", "you"),
    ("can", "you"),
    ("have", "you"),
    ("are", "you"),
    ("were", "you"),
    ("will", "you"),
    ("tell", "us"),
    ("tell", "me"),
    ("what's", "your"),
}
MONTHS = _words(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct "
    "october nov november dec december"
)
DAYS = _words("monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow")
STANCE_WORDS = _words(
    """should must ought believe think argue argued contend clearly surely indeed therefore thus hence
    nevertheless nonetheless admittedly perhaps arguably true false wrong right mistake important
    essential matters reason reasons because although though whereas yet"""
)
"""Words of an author reasoning and taking positions (read cheaply on every word; `rhetoric.cues`
reads a sample of whole sentences)."""
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’.-]*[a-z0-9]|[a-z0-9]")
_ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_VERSION = re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+")
_SIGNATURE = re.compile(r"\w\((?:[^()\n]{0,80})\)")
_FLAG = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_LINK = re.compile(r"https?://")
_ATTRIBUTED = re.compile(r"[”\"][,.]? (?:he |she |they )?(?:said|says|added|told)\b")
"""A quotation attributed right after it: "…," said Ms Smith / "…," she added."""
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.]+(?:[ /-][A-Z][A-Za-z.]+){0,3},? (?:[A-Z][a-z]{2,8}\.? \d{1,2},? )?"
    r"(?:\([A-Z][\w ]+\) )?(?:—|–|-{1,2}) )",
    re.M,
)
"""A news dateline: "LISBON, April 1 (Reuters) - ", "WASHINGTON — "."""
_REF_HEADING = re.compile(
    r"^(?:name|synopsis|description|options?|arguments?|parameters?|return value|returns|flags|"
    r"syntax|usage|examples?|see also|availability|protocols|default|fields|properties|methods|"
    r"attributes|environment|exit status|inherited options|options inherited.*|type|types|"
    r"definitions?|glossary|specification|semantics)$",
    re.I,
)
THIRD = _words("he she his her him they their them")
NORMATIVE = _words("shall must may")
MONEY = _words("percent million billion trillion")
_CAPITALISED = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
"""A capitalised word inside a sentence: a name (people, places, organisations: news is full of them)."""
_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,.]*%?")
_QUOTE_MARK = re.compile(r"[“”]|(?<=\s)\"|\"(?=[\s,.])")
_DEFINING = re.compile(
    r"^(?:an? |the |each |every )?(?:`[^`]+`|\*\*[^*]+\*\*|[\w-]+(?: [\w-]+){0,3}) "
    r"(?:is|are) (?:an?|the|used|one|"
    r"defined|called|set|only|not|always|either|any)\b",
    re.I,
)
_GLOSS = re.compile(
    r"^[^.]{0,80}\b(?:is|are) (?:an?|the) (?:[\w-]+ ){0,4}(?:that|which|for|of|used|where)\b|\brefers to\b"
)
"""A sentence that defines its subject: "`cfg` is a macro that", "A crate is the smallest unit"."""
_TABLES = {
    "you": YOU,
    "first_person": FIRST,
    "lets": LETS,
    "ref_phrases": REF_WORDS,
    "release": RELEASE,
    "reporting": REPORTING,
    "interjections": INTERJECTIONS,
    "you_questions": YOU_ASK,
    "stance_words": STANCE_WORDS,
    "dates": DAYS,
    "third_person": THIRD,
    "normative": NORMATIVE,
    "numbers": MONEY,
}
_BY_TOKEN: dict[str, tuple[str, ...]] = {}
_BY_PAIR: dict[tuple[str, str], tuple[str, ...]] = {}
for _name, _table in _TABLES.items():
    for _item in _table:
        if isinstance(_item, tuple):
            _BY_PAIR[_item] = (*_BY_PAIR.get(_item, ()), _name)
        else:
            _BY_TOKEN[_item] = (*_BY_TOKEN.get(_item, ()), _name)
RHETORIC_SAMPLE = 16
"""Sentences read with `rhetoric.cues` (evenly spread; counts scaled to the whole text): the
sentence-level cues cost about half a millisecond a sentence."""
_RHETORIC = ("stance", "concession", "conclusion", "example", "premise")


@dataclass
class Evidence:
    """Counts of genre evidence in one text (see `FEATURES` for what each means)."""

    words: int = 0
    counts: dict[str, float] = field(default_factory=dict)

    def vector(self) -> list[float]:
        """The model's features, in `FEATURES` order: shares as they are, counts as
        log(1 + count per 100 words), so a long text needs proportionally more evidence."""
        per = 100.0 / max(self.words, 50)
        out = []
        for name in FEATURES:
            x = self.counts.get(name, 0.0)
            if name == "sentence_length":
                out.append(math.log1p(x))
            else:
                out.append(x if name in SHARES else math.log1p(x * per))
        return out


FEATURES: dict[str, str] = {
    "numbered": "{n} numbered steps",
    "bullets": "{n} list items",
    "code_blocks": "{n} code blocks",
    "code_lines": "{n} lines of code",
    "commands": "{n} commands",
    "inline_code": "{n} code terms",
    "instructions": "{n} instructions",
    "gerund_headings": "{n} task headings",
    "you": "{n} times 'you'",
    "lets": "{n} times 'let's/we'll'",
    "tables": "{n} table rows",
    "definitions": "{n} term definitions",
    "ref_phrases": "{n} descriptive phrases ('returns', 'defaults to')",
    "ref_headings": "{n} reference sections",
    "signatures": "{n} signatures",
    "defining": "{n} defining sentences ('X is a ...')",
    "opens_defining": "opens with a definition",
    "normative": "{n} times 'must/shall/may'",
    "flags": "{n} options/flags",
    "headings": "{n} headings",
    "links": "{n} links",
    "dates": "{n} dates",
    "versions": "{n} version numbers",
    "release": "{n} release/fix words",
    "reporting": "{n} reporting verbs",
    "attributed": "{n} attributed quotes",
    "quotes": "{n} quotations",
    "names": "{n} names",
    "numbers": "{n} figures",
    "third_person": "{n} times 'he/she/they'",
    "dateline": "a dateline",
    "past": "{p:.0%} of verbs in the past",
    "stance_words": "{n} words of reasoning ('should', 'because')",
    "stance": "{n} stance sentences",
    "concession": "{n} concessions",
    "conclusion": "{n} conclusions",
    "example": "{n} examples",
    "premise": "{n} reasons given",
    "first_person": "{n} times 'I/my'",
    "prose": "{p:.0%} of the text in long paragraphs",
    "long_lines": "{p:.0%} of lines long prose",
    "sentence_length": "sentences of {x:.0f} words",
    "questions": "{n} questions",
    "you_questions": "{n} questions to 'you'",
    "speaker_turns": "{n} speaker turns",
    "speakers": "{n} speakers",
    "timestamps": "{n} timestamps",
    "interjections": "{n} fillers of speech ('yeah', 'you know')",
    "contractions": "{n} contractions",
    "exclamations": "{n} exclamations",
}
"""Feature -> how `triage_reasons` says it ({n}: the count, {p}: a share, {x}: a value)."""
SHARES = frozenset(
    {"past", "prose", "long_lines", "sentence_length", "dateline", "speakers", "opens_defining"}
)
"""Features used as they are (a share, a flag, a small value), not as a rate per 100 words."""


def describe(name: str, value: float) -> str:
    """How `triage_reasons` says a feature's raw count."""
    text = FEATURES[name].format(n=round(value), p=value, x=value)
    if round(value) == 1 and "{n}" in FEATURES[name]:
        text = re.sub(r"^1 (\w+?)s\b", r"1 \1", re.sub(r"^1 times\b", "once", text))
    return text


def _sentences(prose: list[str]) -> list[str]:
    out: list[str] = []
    for para in prose:
        out.extend(s for s in _SENTENCE_END.split(para) if s.strip())
    return out


def evidence(markdown: str, max_chars: int = 60_000) -> Evidence:
    """The genre evidence of a markdown text (read up to `max_chars`: the shape of a text shows in
    its first 10,000 words)."""
    text = markdown[:max_chars]
    c: dict[str, float] = defaultdict(float)
    prose_lines: list[str] = []  # text lines outside code, tables and headings
    paragraphs: list[str] = []
    para: list[str] = []
    listed: list[bool] = []  # whether each paragraph is a list item
    in_code, lang = False, ""
    for line in text.split("\n"):
        fence = _FENCE.match(line)
        if fence:
            if in_code:
                in_code = False
            else:
                in_code, lang = True, fence.group(2).lower()
                c["code_blocks"] += 1
                if lang in (
                    "sh",
                    "bash",
                    "shell",
                    "console",
                    "zsh",
                    "powershell",
                    "ps1",
                    "cmd",
                    "bat",
                    "fish",
                ):
                    c["commands"] += 1
            continue
        if in_code:
            if line.strip():
                c["code_lines"] += 1
                if re.match(r"^\s*[$%>] \S", line):
                    c["commands"] += 1
            continue
        stripped = line.strip()
        if not stripped:
            if para:
                paragraphs.append(" ".join(para))
                para = []
            continue
        head = _HEADING.match(line)
        if head:
            if para:
                paragraphs.append(" ".join(para))
                para = []
            c["headings"] += 1
            title = re.sub(r"[`*_]", "", head.group(2)).strip().rstrip(":")
            if _REF_HEADING.match(title):
                c["ref_headings"] += 1
            if _GERUND_HEAD.match(title) or title.split(" ")[0].lower() in IMPERATIVES:
                c["gerund_headings"] += 1
            continue
        if _TABLE.match(line):
            if not _TABLE_SEP.match(line):
                c["tables"] += 1
            continue
        if _NUMBERED.match(line):
            c["numbered"] += 1
        elif _BULLET.match(line):
            c["bullets"] += 1
        if _DEFINITION.match(line):
            c["definitions"] += 1
        if re.match(r"^\s*[$%] \S", line) or _CODE_LINE.match(line):
            c["commands"] += 1
        prose_lines.append(stripped)
        if len(stripped.split()) >= 25 and not _BULLET.match(line) and not _NUMBERED.match(line):
            c["long_lines"] += 1
        item = bool(_BULLET.match(line) or _NUMBERED.match(line))
        if para and item:  # a list item opens a paragraph of its own
            paragraphs.append(" ".join(para))
            para = []
        if not para:
            listed.append(item)
        para.append(re.sub(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,2}[.)])?\s*", "", stripped))
    if para:
        paragraphs.append(" ".join(para))
    body = "\n".join(prose_lines)
    tokens = _TOKEN.findall(body.lower())
    words = len(tokens) + int(c["code_lines"])
    past = present = 0
    for tok, n in Counter(tokens).items():
        for name in _BY_TOKEN.get(tok, ()):
            c[name] += n
        if tok in PAST or (len(tok) > 4 and tok.endswith("ed")):
            past += n
        elif tok in PRESENT:
            present += n
        if "'" in tok or "’" in tok:
            c["contractions"] += n
        if tok.startswith("cve-"):
            c["release"] += n
    for pair, n in Counter(pairwise(tokens)).items():
        for name in _BY_PAIR.get(pair, ()):
            c[name] += n
        if pair[0] in MONTHS and pair[1][:1].isdigit():
            c["dates"] += n
    c["dates"] += len(_ISO_DATE.findall(body))
    c["inline_code"] = body.count("`") // 2
    c["signatures"] = len(_SIGNATURE.findall(body))
    c["flags"] = len(_FLAG.findall(body))
    c["links"] = len(_LINK.findall(body))
    c["versions"] = len(_VERSION.findall(body))
    c["attributed"] = len(_ATTRIBUTED.findall(body))
    c["dateline"] = 1.0 if _DATELINE.search("\n".join(prose_lines[:3])) else 0.0
    c["past"] = past / (past + present) if past + present else 0.0
    c["exclamations"] = body.count("!")
    c["names"] = len(_CAPITALISED.findall(body))
    c["numbers"] += len(_NUMBER.findall(body))
    c["quotes"] = len(_QUOTE_MARK.findall(body)) // 2
    c["long_lines"] = c["long_lines"] / max(len(prose_lines), 1)
    sizes = [len(p.split()) for p in paragraphs]
    long_words = sum(n for n, lst in zip(sizes, listed, strict=False) if n >= 40 and not lst)
    c["prose"] = long_words / max(sum(len(p.split()) for p in paragraphs), 1)
    turns = speaker_turns(text)
    c["speaker_turns"] = sum(turns.values())
    c["speakers"] = min(len(turns), 6)
    c["timestamps"] = timestamps(text)
    sentences = _sentences(paragraphs)
    lengths = [len(s.split()) for s in sentences]
    c["sentence_length"] = sum(lengths) / len(lengths) if lengths else 0.0
    c["opens_defining"] = 1.0 if any(_DEFINING.match(s) or _GLOSS.search(s) for s in sentences[:2]) else 0.0
    candidates = []
    for s in sentences:
        if s.rstrip().endswith("?"):
            c["questions"] += 1
        opening = _LEAD.sub("", s).split(" ", 2)
        first = opening[0].lower().strip("*_`")
        second = opening[1].lower() if len(opening) > 1 else ""
        if first in IMPERATIVES or (
            second in OBJECTS
            and first.isalpha()
            and first not in NOT_VERBS
            and not first.endswith(("ly", "s", "ed"))
        ):
            c["instructions"] += 1
        if _DEFINING.match(s):
            c["defining"] += 1
        if len(s) < 600 and s.count(" ") >= 5:
            candidates.append(s)
    if candidates:
        step = max(1, len(candidates) // RHETORIC_SAMPLE)
        sample = candidates[::step][:RHETORIC_SAMPLE]
        scale = len(candidates) / len(sample)
        for s in sample:
            for cue in rhetoric_cues(s) & frozenset(_RHETORIC):
                c[cue] += scale
    return Evidence(words=words, counts={k: float(c.get(k, 0.0)) for k in FEATURES})
