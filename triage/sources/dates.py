"""Stage 2: the dates capture tools and people write, read leniently (`lenient_date`).

Cheap parsers first (ISO with anything after it, English month names, US slashes, epoch
seconds and milliseconds, `[[2022-12-19-Monday]]`, CJK month/day marks); only when they fail,
`dateparser` (imported lazily: ~0.4 s to import, under a second for its first date; already
installed as trafilatura's dependency, BSD) reads
localised dates (`星期五, 七月 5日 2024, 6:20:56 晚上`, `5. März 2024`, `12 juillet 2023`,
`3 de enero de 2022`). Its input is bounded to `DATEPARSER_CHARS` characters.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

DATEPARSER_CHARS = 80
"""The longest text handed to dateparser (a date is short; longer text is a sentence)."""
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
"""Dates outside these are misreadings (an epoch that was not one, a page number)."""

_STRICT_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d %B %Y",
    "%B %d, %Y",
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_MONTH_FIRST = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_SLASHED = re.compile(r"^\s*\(?(\d{1,2})/(\d{1,2})/(\d{4})\b")
_EPOCH = re.compile(r"^\s*(\d{9,10}|\d{12,13})(?:\.\d+)?\s*$")
_WIKILINK = re.compile(r"\[\[([^\]|]*)(?:\|[^\]]*)?\]\]")
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|20|21)\d{2}(?!\d)")


def parse_date(value: Any) -> dt.date:
    """A date written in one of the strict forms triage's own schema accepts (ISO and two
    English forms); raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _STRICT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(text) from None


def _in_range(day: dt.date | None) -> dt.date | None:
    return day if day is not None and EARLIEST <= day <= LATEST else None


def epoch_date(value: Any) -> dt.date | None:
    """`1758181627873` (milliseconds) or `1758181627` (seconds) as a UTC date; None for any other
    number (a bare year, a page count)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    m = _EPOCH.match(str(value))
    if not m:
        return None
    number = int(m.group(1))
    seconds = number / 1000 if len(m.group(1)) >= 12 else number
    try:
        return _in_range(dt.datetime.fromtimestamp(seconds, dt.UTC).date())
    except (OverflowError, OSError, ValueError):
        return None


def _cheap(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except ValueError:
        pass
    candidates = []
    if m := _ISO_PREFIX.match(text):
        candidates.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if (m := _MONTH_FIRST.search(text)) and (month := _MONTHS.get(m.group(1)[:3].lower())):
        candidates.append((int(m.group(3)), month, int(m.group(2))))
    if (m := _DAY_FIRST.search(text)) and (month := _MONTHS.get(m.group(2)[:3].lower())):
        candidates.append((int(m.group(3)), month, int(m.group(1))))
    if m := _SLASHED.match(text):
        candidates.append((int(m.group(3)), int(m.group(1)), int(m.group(2))))
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def _cjk_date(text: str) -> dt.date | None:
    """`七月 5日 2024` (moment.js's zh-cn month names, which dateparser does not read) and
    `2024年7月5日`: month and day by their 月/日 marks, the year as four digits."""
    text = _CJK_MONTH.sub(lambda m: f"{_cjk_number(m.group(1))}月", text)
    month_day = re.search(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    year = _HAS_YEAR.search(text)
    if not month_day or not year:
        return None
    try:
        return dt.date(int(year.group(0)), int(month_day.group(1)), int(month_day.group(2)))
    except ValueError:
        return None


_CJK_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九十", 0)}
_CJK_MONTH = re.compile(r"([一二三四五六七八九十]{1,3})\s*月")


def _cjk_number(numeral: str) -> int:
    """一 .. 十二 as 1 .. 12 (the numerals a month name uses)."""
    if numeral.startswith("十"):
        return 10 + (_CJK_DIGITS.get(numeral[1:2], 0) if len(numeral) > 1 else 0)
    return _CJK_DIGITS[numeral[0]] * (10 if numeral[1:2] == "十" else 1) + (
        _CJK_DIGITS.get(numeral[2:3], 0) if numeral[1:2] == "十" else 0
    )


# Languages dateparser tries, by script: naming them keeps its first call under a second
# (detecting among all of its 200 locales loads every one of them: ~9 s).
_LATIN = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "pl", "cs", "tr", "fi", "ro", "id")
_SCRIPTS = (
    (re.compile(r"[\u0400-\u04ff]"), ("ru", "uk", "bg", "sr")),
    (re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]"), ("zh", "ja", "ko")),
    (re.compile(r"[\u0370-\u03ff]"), ("el",)),
)


@functools.lru_cache(maxsize=256)
def localised_date(text: str) -> dt.date | None:
    """A date in another language, or None: CJK month and day marks read directly, other
    languages by dateparser (lazily imported, languages chosen by script). Only text of at most
    `DATEPARSER_CHARS` characters holding a four-digit year is tried (a relative "yesterday"
    or a bare time is not a stated date)."""
    text = text.strip()
    if not text or len(text) > DATEPARSER_CHARS or not _HAS_YEAR.search(text):
        return None
    if not re.search(r"\w", _HAS_YEAR.sub("", text)):  # a bare year is no day
        return None
    if (day := _cjk_date(text)) is not None:
        return _in_range(day)
    languages = next((langs for script, langs in _SCRIPTS if script.search(text)), _LATIN)
    try:
        import dateparser  # lazy: only when the cheap parsers fail

        found = dateparser.parse(
            text,
            languages=list(languages),
            settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except Exception:  # dateparser's own errors on odd input: not a date
        return None
    return _in_range(found.date()) if found is not None else None


def lenient_date(value: Any) -> dt.date | None:
    """A date from what capture tools and people write, or None: ISO with anything after it
    (`2024-03-06T10:22:31 (UTC +01:00)`), `March 5, 2024`, `Tuesday, March 5, 2024 9:14:07 PM`,
    `5 March 2024`, JavaScript's `Tue Mar 05 2024 21:14:07 GMT+0100`, US `3/5/2024`, epoch
    seconds or milliseconds, a daily-note link `[[2022-12-19-Monday]]`, and (through
    dateparser) dates in other languages."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, bool):
        return None
    if (day := epoch_date(value)) is not None:
        return day
    text = _WIKILINK.sub(r"\1", str(value)).strip().strip("\"'")
    return _in_range(_cheap(text)) or localised_date(text)
