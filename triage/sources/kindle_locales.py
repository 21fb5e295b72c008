"""The words a Kindle writes into `My Clippings.txt`, per device language (triage/sources/kindle.py).

The second line of every entry is written in the language the device is set to (the date after
the `|` shortened here):

    en  - Your Highlight on page 27 | Location 410-412 | Added on Tuesday, March 5, 2024 9:14:07 PM
    de  - Deine Markierung auf Seite 112 | bei Position 1291-1291 | Hinzugefügt am Donnerstag, 22. ...
    es  - La subrayado en la página 113 | posición 1300-1301 | Añadido el jueves, 22 de agosto de ...
    fr  - Votre surlignement sur la page 114 | emplacement 1309-1309 | Ajouté le jeudi 22 août 2024 ...
    it  - La tua evidenziazione a pagina 115 | posizione 1315-1315 | Aggiunto in data giovedì 22 ...
    pt  - Seu destaque na página 117 | posição 1342-1343 | Adicionado: quinta-feira, 22 de agosto ...
    nl  - Je highlight op pagina 116 | locatie 1332 t/m 1333 | Toegevoegd op donderdag 22 augustus ...
    ru  – Ваш выделенный отрывок на странице 117 | Место 1349–1350 | Добавлено: четверг, 22 ...
    ja  - 115ページ|位置No. 1323-1325のハイライト |作成日: 2024年8月22日木曜日 18:27:17
    zh  - 您在第 119 页（位置 #1366-1367）的标注 | 添加于 2024年8月22日星期四 下午6:57:47

Older firmware words are kept too (German `Ihre Markierung`, Spanish `Mi`/`Tu subrayado`, Italian
`La mia evidenziazione`, Japanese `ハイライト 位置No.` / `追加日：`, Chinese `我的标注` / `已添加至`...).
Each entry is read in its own language, so a file from a reader who switched the device language
part-way reads whole. Only the date is kept (`captured_date`), so times (24-hour, or Chinese
上午/下午) and weekday names are not read: day, month name and year are enough.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .normalize import lenient_date

DateParser = Callable[[str], dt.date | None]


def _day_month_year(names: str) -> DateParser:
    """`22. August 2024`, `22 de agosto de 2024`, `22 août 2024`, `6 aprile 12` (old two-digit
    years), `22 августа 2024 г.`: the day before the month's name; `names` are the twelve months,
    January first, split by spaces (`a|b` for variants)."""
    months = {n: i for i, name in enumerate(names.split(), start=1) for n in name.split("|")}

    def parse(text: str) -> dt.date | None:
        for m in _NAMED_DATE.finditer(text):
            month = months.get(m.group(2).casefold())
            if month:
                year = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
                try:
                    return dt.date(year, month, int(m.group(1)))
                except ValueError:
                    continue
        return lenient_date(text)

    return parse


def _year_month_day(text: str) -> dt.date | None:
    """`2024年8月22日木曜日 18:27:17`, `2024年8月22日星期四 下午6:57:47`."""
    if m := _KANJI_DATE.search(text):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return lenient_date(text)


_NAMED_DATE = re.compile(r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4}|\d{2})(?!\d)")
_KANJI_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass(frozen=True)
class Locale:
    """One device language: regexes for the kind phrases (kind → phrase, with the possessives
    the firmware used), the page and location words (`{n}` stands for the number or range), the
    "Added on" words, and how its date reads."""

    kinds: dict[str, str]
    page: str
    location: str
    added: str
    date: DateParser
    anywhere: bool = False  # the kind stands after the location (ja, zh), not first


LOCALES: dict[str, Locale] = {
    "en": Locale(
        {
            "highlight": r"(?:Your\s+)?Highlight",
            "note": r"(?:Your\s+)?Note",
            "bookmark": r"(?:Your\s+)?Bookmark",
            "clip": r"(?:Your\s+)?Clip",
        },
        r"\bpage\s+{n}",
        r"\b(?:location|loc\.?)\s*{n}",
        r"Added\s+on",
        lenient_date,
    ),
    "de": Locale(
        {
            "highlight": r"(?:Ihre|Deine)\s+Markierung",
            "note": r"(?:Ihre|Deine)\s+Notiz",
            "bookmark": r"(?:Ihr|Dein)\s+Lesezeichen",
        },
        r"\bSeite\s+{n}",
        r"\bPosition\s*{n}",
        r"Hinzugefügt\s+am",
        _day_month_year(
            "januar|jänner februar märz april mai juni juli august september oktober november dezember"
        ),
    ),
    "es": Locale(
        {
            "highlight": r"(?:Tu|La|Mi)\s+subrayado",
            "note": r"(?:Tu|La|Mi)\s+nota",
            "bookmark": r"(?:Tu|El|Mi)\s+marcador",
        },
        r"\bpágina\s+{n}",
        r"\bposición\s*{n}",
        r"Añadido\s+el",
        _day_month_year(
            "enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre noviembre"
            " diciembre"
        ),
    ),
    "fr": Locale(
        {"highlight": r"Votre\s+surlignement", "note": r"Votre\s+note", "bookmark": r"Votre\s+signet"},
        # "à lʼemplacement": the modifier apostrophe counts as a letter, so no \b before it
        r"\bpage\s+{n}",
        r"emplacement\s*{n}",
        r"Ajouté\s+le",
        _day_month_year(
            "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
        ),
    ),
    "it": Locale(
        {
            "highlight": r"La\s+(?:tua|mia)\s+evidenziazione",
            "note": r"(?:La\s+(?:tua|mia)\s+nota|Le\s+mie\s+note)",
            "bookmark": r"Il\s+(?:tuo|mio)\s+segnalibro",
        },
        r"\bpagina\s+{n}",
        r"\bposizione\s*{n}",
        r"Aggiunto\s+(?:in\s+data|il)",
        _day_month_year(
            "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
        ),
    ),
    "pt": Locale(
        {"highlight": r"Seu\s+destaque", "note": r"Sua\s+nota", "bookmark": r"Seu\s+marcador"},
        r"\bpágina\s+{n}",
        r"\bposição\s*{n}",
        r"Adicionado(?:\s+na\s+data)?:?",
        _day_month_year(
            "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"
        ),
    ),
    "nl": Locale(
        {"highlight": r"Je\s+highlight", "note": r"Je\s+notitie", "bookmark": r"Je\s+bladwijzer"},
        r"\bpagina\s+{n}",
        r"\blocatie\s*{n}",
        r"Toegevoegd\s+op",
        _day_month_year(
            "januari februari maart april mei juni juli augustus september oktober november december"
        ),
    ),
    "ru": Locale(
        {
            "highlight": r"Ваш\s+выделенный\s+отрывок",
            "note": r"Ваша\s+заметка",
            "bookmark": r"Ваша\s+закладка",
        },
        r"\bстранице\s+{n}",
        r"\bМесто\w*\s*{n}",
        r"Добавлено:?",
        _day_month_year("января февраля марта апреля мая июня июля августа сентября октября ноября декабря"),
    ),
    "ja": Locale(
        {"highlight": r"ハイライト", "note": r"メモ", "bookmark": r"ブックマーク"},
        r"{n}\s*ページ",
        r"位置No\.\s*{n}",
        r"(?:作成日|追加日)\s*[:：]",
        _year_month_day,
        anywhere=True,
    ),
    "zh": Locale(
        {"highlight": r"标注", "note": r"笔记", "bookmark": r"书签"},
        r"第\s*{n}\s*页",
        r"位置\s*#?\s*{n}",
        r"(?:添加于|已添加至)",
        _year_month_day,
        anywhere=True,
    ),
}

# the device's placeholder when a book's publisher limits clipping, per language
LIMIT_PLACEHOLDERS = ("clipping limit", "limite maximale", "クリップの上限")

_ROMAN = r"[ivxlcdm]+(?![^\W\d_])"  # "xii", not the "d" of "página de"
_PAGE_N = rf"(?P<a>\d+|{_ROMAN})(?:\s*(?:-|–|t/m)\s*(?P<b>\d+|{_ROMAN}))?"
_LOC_N = r"(?P<a>\d+)(?:\s*(?:-|–|t/m)\s*(?P<b>\d+))?"
_DASH = r"^[-–]\s*"


def _kinds(anywhere: bool) -> str:
    """One alternation of every kind phrase of the languages whose kind comes first (or, with
    `anywhere`, may follow the location), each a group named `<lang>_<kind>`."""
    return "|".join(
        f"(?P<{lang}_{kind}>{phrase})"
        for lang, loc in LOCALES.items()
        if loc.anywhere == anywhere
        for kind, phrase in loc.kinds.items()
    )


_KIND_FIRST = re.compile(_DASH + f"(?:{_kinds(False)})" + r"(?!\w)", re.I)
# after the location, behind its particle (`…のハイライト`, `…的标注`), or first (older firmware)
_KIND_AFTER = re.compile(r"(?:^[-–]\s*|[の的])" + f"(?:{_kinds(True)})")
_PAGE = {lang: re.compile(loc.page.format(n=_PAGE_N), re.I) for lang, loc in LOCALES.items()}
_LOCATION = {lang: re.compile(loc.location.format(n=_LOC_N), re.I) for lang, loc in LOCALES.items()}
_ADDED = {lang: re.compile(loc.added, re.I) for lang, loc in LOCALES.items()}


def kind_of(line: str) -> tuple[str, str] | None:
    """(kind, language) of a clipping's second line — kind is highlight, note, bookmark or clip —
    or None when the line is not one."""
    line = unicodedata.normalize("NFC", line.strip())
    m = _KIND_FIRST.match(line)
    if m is None and re.match(_DASH, line) and "|" in line:  # the kind line always has a `|`
        m = _KIND_AFTER.search(line)
    if m is None or m.lastgroup is None:
        return None
    lang, kind = m.lastgroup.split("_")
    return kind, lang


def _split(line: str, lang: str) -> tuple[str, str]:
    """The line before its "Added on" words, and the date after them."""
    line = unicodedata.normalize("NFC", line)
    if m := _ADDED[lang].search(line):
        return line[: m.start()], line[m.end() :]
    head, _, tail = line.rpartition("|")
    return (head, tail) if head else (line, "")


def where(line: str, lang: str) -> tuple[str, int | None, int | None]:
    """(page, first location, last location) of a clipping's second line, in `lang`'s words."""
    head = _split(line, lang)[0]
    page = ""
    if m := _PAGE[lang].search(head):
        page = m.group("a") if m.group("b") in (None, m.group("a")) else f"{m.group('a')}-{m.group('b')}"
    start = end = None
    if m := _LOCATION[lang].search(head):
        start = end = int(m.group("a"))
        if tail := m.group("b"):
            first = m.group("a")
            # older devices abbreviate the end: "Loc. 410-12" is 410-412
            end = max(start, int(first[: max(0, len(first) - len(tail))] + tail))
    return page, start, end


_CLOCK = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_DATES: dict[tuple[str, str], dt.date | None] = {}


def added_date(line: str, lang: str) -> dt.date | None:
    """The "Added on" date of a clipping's second line, read in `lang`. Entries of one day differ
    only by the time of day, which never changes the date: each day is parsed once (a file of
    100,000 entries reads its dates in a fraction of a second, not a minute)."""
    text = _split(line, lang)[1].strip()
    if not text:
        return None
    day = (lang, _CLOCK.sub("", text))
    if day not in _DATES:
        if len(_DATES) > 50_000:
            _DATES.clear()
        _DATES[day] = LOCALES[lang].date(text)
    return _DATES[day]


def is_limit_placeholder(text: str) -> bool:
    return text.startswith("<") and any(p in text.casefold() for p in LIMIT_PLACEHOLDERS)
