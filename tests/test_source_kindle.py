"""Kindle's `My Clippings.txt` (triage/sources/kindle.py): one note per book."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

from triage.errors import CaptureError
from triage.note import Highlight
from triage.sources import kindle, kindle_locales
from triage.sources.common import book_key, person_names

from .capture_helpers import (
    chrome_in,
    document,
    fixture,
    mutated_bytes,
    other_fixtures,
    read_notes,
    reads_or_explains,
    run_pipeline,
)

LANGS = ("de", "es", "fr", "it", "pt", "nl", "ru", "ja", "zh")
MINE = (
    "kindle-clippings.txt",
    "kindle-clippings-malformed.txt",
    "kindle-mixed.txt",
    *(f"kindle-{lang}.txt" for lang in LANGS),
)


def test_fixture_is_laid_out_as_the_device_writes_it():
    raw = fixture("kindle-clippings.txt")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n==========\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_one_note_per_book_with_title_and_author_split():
    notes = read_notes("kindle-clippings.txt")
    assert [(n.title, n.author) for n in notes] == [
        ("Designing Quiet Systems (2nd Edition)", "Lena Okafor"),
        ("The Cartographer's Ledger", "Priya Raman, Tomas Ferreira"),
        ("Evaluating Retrieval Pipelines", "Daniel Soto"),
    ]  # "Field Notes on Attention" holds only a bookmark: no note


def test_every_field():
    book, ledger, pdf = read_notes("kindle-clippings.txt")
    for note in (book, ledger, pdf):
        assert note.source_tool == "kindle"
        assert note.platform == "kindle"
        assert note.format == "book"
        assert note.url is None
        assert note.published_date is None  # "Added on" is when it was highlighted
        assert note.read_reasons == []
        assert note.extra == {}
    assert book.captured_date == dt.date(2024, 3, 10)  # the newest "Added on" of the book
    assert ledger.captured_date == dt.date(2024, 3, 9)
    assert pdf.captured_date == dt.date(2024, 3, 11)
    assert book.creator == "lena_okafor"


def test_extended_highlight_kept_once_note_attached_bookmark_dropped():
    book = read_notes("kindle-clippings.txt")[0]
    assert book.highlights == [
        Highlight(
            "Latency is a budget you spend, not a number you report. Every team that treated it "
            "as a report eventually overspent it.",
            "Use this framing in the SLO review with the payments team.",
            [],
            "page 27, location 410-415",
        ),
        Highlight(
            "Queues do not remove load; they move it to a moment when nobody is watching the graphs.",
            "",
            [],
            "page 61, location 980-983",
        ),
    ]
    assert "Bookmark" not in book.body and "Bookmark" not in book.content
    assert book.content.split("\n\n")[0].startswith("Latency is a budget")


def test_old_location_forms_and_notes_by_page():
    _, ledger, pdf = read_notes("kindle-clippings.txt")
    assert [h.location for h in ledger.highlights] == ["location 1204-1207", "location 1530-1532"]
    assert ledger.highlights[1].note == "Compare with how we keep runbooks."
    assert pdf.highlights[0].location == "page 14"
    assert pdf.highlights[0].note == "Ask Daniel whether the benchmark reports recall at fifty."


def test_content_is_the_highlighted_text_only():
    book = read_notes("kindle-clippings.txt")[0]
    for chrome in ("Your Highlight", "Added on", "Location", "==========", "Note:"):
        assert chrome not in book.content
    assert "Use this framing" not in book.content  # the reader's note is not the author's text
    assert "Note: Use this framing" in book.body


@pytest.mark.parametrize(
    "raw, title, author",
    [
        (
            "Designing Quiet Systems (2nd Edition) (Okafor, Lena)",
            "Designing Quiet Systems (2nd Edition)",
            "Lena Okafor",
        ),
        ("A Book (Series (Vol. 2)) (Jane Doe)", "A Book (Series (Vol. 2))", "Jane Doe"),
        ("Le Petit Livre (Le Guin, Ursula K.)", "Le Petit Livre", "Ursula K. Le Guin"),
        ("Two Hands (Doe, Jane;Roe, Rick)", "Two Hands", "Jane Doe, Rick Roe"),
        ("my-notes-2024", "my-notes-2024", None),
        ("Some Document (Unknown)", "Some Document", None),
    ],
)
def test_title_and_author_split(raw, title, author):
    assert kindle._split_title(raw) == (title, author)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Kleppmann, Martin", "Martin Kleppmann"),
        ("Scott Knaster and Mark Dalrymple", "Scott Knaster, Mark Dalrymple"),
        ("[[Lena Okafor]]", "Lena Okafor"),
        ("King, Martin Luther, Jr.", "King, Martin Luther, Jr."),
        ("", None),
    ],
)
def test_person_names(raw, expected):
    assert person_names(raw) == expected


def test_same_book_key_across_tools():
    assert book_key("Designing Quiet Systems (2nd Edition)", "Lena Okafor") == book_key(
        "Designing Quiet Systems: Latency, Load and Calm", "Okafor"
    )
    assert book_key("A", "Jane Doe, Rick Roe") == book_key("a", "Rick Roe, Jane Doe")
    assert book_key("A", "Jane Doe") != book_key("B", "Jane Doe")


@pytest.mark.parametrize(
    "line, location",
    [
        ("- Your Highlight on page 27 | Location 410-412 | Added on x", ("27", 410, 412)),
        ("- Highlight Loc. 1204-07 | Added on x", ("", 1204, 1207)),
        ("- Highlight Loc. 998-1002 | Added on x", ("", 998, 1002)),
        ("- Your Highlight at location 99 | Added on x", ("", 99, 99)),
        ("- Your Highlight on Page xii | Added on x", ("xii", None, None)),
    ],
)
def test_location_forms(line, location):
    found = kindle_locales.kind_of(line)
    assert found is not None
    assert kindle_locales.where(line, found[1]) == location


def test_malformed_entry_skipped_with_its_line_rest_read():
    book, ledger = read_notes("kindle-clippings-malformed.txt")
    assert [h.text for h in book.highlights] == ["Latency is a budget you spend, not a number you report."]
    assert [h.text for h in ledger.highlights] == [
        "Every survey team argued about the scale before they argued about the coast."
    ]
    reasons = " | ".join(book.read_reasons)
    assert "line 7 is not a '- Your Highlight/Note/Bookmark' line" in reasons
    assert "the file ends inside the entry at line 21" in reasons
    assert "highlight at line 21 has no text; skipped (Evaluating Retrieval Pipelines)" in reasons
    assert any("clipping-limit" in r for r in ledger.read_reasons)


def test_file_cut_inside_an_entry_keeps_what_it_has():
    data = fixture("kindle-clippings.txt")
    cut = data[: data.index(b"eventually overspent")]
    notes = read_notes("kindle-clippings.txt", cut)
    assert [n.title for n in notes] == ["Designing Quiet Systems (2nd Edition)", "The Cartographer's Ledger"]
    book = notes[0]
    assert any("ends inside the entry at line 21" in r for r in book.read_reasons)
    # the cut-off extension still holds the old text, so it replaces it (longer), once
    assert len([h for h in book.highlights if h.text.startswith("Latency")]) == 1


def test_only_bookmarks_is_explained():
    data = (
        "\ufeffA Book (Jane Doe)\r\n- Your Bookmark on page 3 | Location 40 | "
        "Added on Monday, March 11, 2024 7:45:30 PM\r\n\r\n\r\n==========\r\n"
    )
    with pytest.raises(CaptureError, match=r"Kindle My Clippings\.txt: no highlight or note could be read"):
        read_notes("kindle-clippings.txt", data.encode("utf-8"))


def test_orphan_note_is_kept_without_text():
    data = (
        "A Book (Jane Doe)\n- Your Note on page 3 | Location 40 | "
        "Added on Monday, March 11, 2024 7:45:30 PM\n\n"
        "Find the source of this claim.\n==========\n"
    )
    (note,) = read_notes("kindle-clippings.txt", data.encode("utf-8"))
    assert note.highlights == [Highlight("", "Find the source of this claim.", [], "page 3, location 40")]


def test_detects_by_structure_not_name():
    assert kindle.detect(document("kindle-clippings.txt"))
    assert kindle.detect(document("kindle-clippings-malformed.txt"))
    for name in other_fixtures(*MINE):
        assert not kindle.detect(document(name)), name


def test_plain_text_essay_is_not_a_clippings_file():
    (note,) = read_notes("plain-essay.txt")
    assert note.source_tool is None and note.title == "On Keeping Notes"


@settings(max_examples=150, deadline=None)
@given(data=mutated_bytes(fixture("kindle-clippings.txt")))
def test_mutations_raise_only_capture_error(data):
    reads_or_explains("kindle-clippings.txt", data)


@pytest.mark.nlp
def test_end_to_end_one_note_per_book(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "kindle-clippings.txt", "My Clippings.txt")
    assert report.failed == []
    assert len(report.processed) == 3
    assert sorted(title for title, _ in notes) == [
        "Designing Quiet Systems (2nd Edition)",
        "Evaluating Retrieval Pipelines",
        "The Cartographer's Ledger",
    ]
    for title, props in notes:
        assert props["source_tool"] == "kindle" and props["format"] == "book"
        assert chrome_in(props, title) == []


# --- devices set to other languages ---------------------------------------------------------------
# Each kindle-<lang>.txt holds, in that device language's exact layout: book A's highlight (page 27,
# location 410-412), a note at 412 (joins it), a bookmark, book B's highlight (older or page-less
# forms where the firmware has them), and book A's second highlight, the newest date (the 14th).

BOOKS = {  # lang: (book A, its author, book B, its author, year-month)
    "de": (
        "Die Ordnung der Flüsse",
        "Helene Brandt",
        "Kleine Theorie des Wartens",
        "Jonas Albrecht",
        (2024, 3),
    ),
    "es": ("La memoria de los puertos", "Lucía Ibarra", "Cuaderno de invierno", "Tomás Rendón", (2023, 9)),
    "fr": (
        "Le Jardin des heures lentes",
        "Camille Morel",
        "Petit traité de l'attention",
        "Étienne Vasseur",
        (2024, 8),
    ),
    "it": ("Il tempo delle biblioteche", "Giulia Ferri", "Lettere da un'isola", "Marco Vitale", (2024, 6)),
    "pt": ("O Livro das Marés", "Renata Azevedo", "Crônicas do Cerrado", "Paulo Menezes", (2024, 3)),
    "nl": (
        "De stad als werkplaats",
        "Sanne Vermeulen",
        "Brieven over het licht",
        "Pieter de Groot",
        (2024, 5),
    ),
    "ru": ("Северные письма", "Вера Орлова", "Заметки о тишине", "Илья Марков", (2024, 2)),
    "ja": ("静かな設計", "岡田 玲奈", "海辺の記録", "森川 拓", (2024, 11)),
    "zh": ("城市的呼吸", "林晓雯", "山中笔记", "陈子航", (2023, 12)),
}
TEXTS = {  # lang: (A's first highlight, the note on it, A's second highlight, B's highlight)
    "de": (
        "Ein Fluss hält sich an keine Karte; er erinnert sich nur an das letzte Hochwasser.",
        "Für den Vortrag über Planung und Zufall merken.",
        "Wer Deiche baut, verschiebt das Wasser nur an einen Ort, an den niemand schaut.",
        "Warten ist die Zeit, in der wir merken, wie wenig uns gehört.",
    ),
    "es": (
        "Un puerto recuerda a cada barco por el ruido que hizo al marcharse.",
        "Citar en el capítulo sobre la ciudad.",
        "Las mareas no obedecen a nadie, pero todos organizan su día alrededor de ellas.",
        "El frío enseña a distinguir lo necesario de lo que solo abriga.",
    ),
    "fr": (
        "Un jardin n'est jamais fini ; il change seulement de question à chaque saison.",
        "À relire avant l'atelier d'automne.",
        "La patience du jardinier ressemble à celle du lecteur : elle attend sans rien exiger.",
        "Être attentif, c'est accepter de ne pas savoir tout de suite ce qui compte.",
    ),
    "it": (
        "Una biblioteca è un archivio di domande che qualcuno ha avuto il coraggio di scrivere.",
        "Usare per l'introduzione del saggio.",
        "Ogni catalogo racconta anche ciò che ha deciso di dimenticare.",
        "Sull'isola le notizie arrivano tardi, ma restano più a lungo.",
    ),
    "pt": (
        "Toda maré que recua deixa na areia um inventário do que o mar não quis.",
        "Comparar com o capítulo sobre arquivos.",
        "Os pescadores medem o tempo pela espera, não pelo relógio.",
        "No cerrado, a seca ensina que raiz é aquilo que ninguém vê trabalhar.",
    ),
    "nl": (
        "Een stad wordt niet ontworpen maar onderhouden, straat voor straat en jaar na jaar.",
        "Gebruiken in de presentatie voor de gemeente.",
        "Wie een brug bouwt, beslist ook wie er voortaan aan de overkant woont.",
        "Licht in het noorden is een gesprek tussen wolken en water.",
    ),
    "ru": (
        "Север учит ждать: весна здесь приходит не по календарю, а по льду на реке.",
        "Использовать в эссе о сезонах.",
        "Каждое письмо из деревни было короче предыдущего, но говорило больше.",
        "Тишина — это не отсутствие звука, а место, где его слышно.",
    ),
    "ja": (
        "遅延は報告する数字ではなく、使う予算である。",
        "次の設計レビューで使う。",
        "待ち行列は負荷を消さない。誰も見ていない時間へ移すだけだ。",
        "潮の満ち引きは、港の一日の時計になっている。",
    ),
    "zh": (
        "城市不是被设计出来的，而是被一代又一代人慢慢修补出来的。",
        "用在关于城市更新的报告里。",
        "每一座桥都决定了谁会住在河的对岸。",
        "山里的时间不是用钟表计算的，而是用雾散去的速度。",
    ),
}
PAGED_B = {"es", "nl", "ru"}  # book B's entry names a page too (the others: location only)


@pytest.mark.parametrize("lang", LANGS)
def test_localized_fixture_is_laid_out_as_the_device_writes_it(lang):
    raw = fixture(f"kindle-{lang}.txt")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n==========\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert kindle.detect(document(f"kindle-{lang}.txt"))


@pytest.mark.parametrize("lang", LANGS)
def test_localized_file_reads_like_an_english_one(lang):
    a_title, a_author, b_title, b_author, (year, month) = BOOKS[lang]
    first, note, second, other = TEXTS[lang]
    book, other_book = read_notes(f"kindle-{lang}.txt")
    assert (book.title, book.author, other_book.title, other_book.author) == (
        a_title,
        a_author,
        b_title,
        b_author,
    )
    for n in (book, other_book):
        assert (n.source_tool, n.platform, n.format, n.published_date) == ("kindle", "kindle", "book", None)
        assert n.read_reasons == []
    # the newest "Added on" of each book, read from the localized date
    assert book.captured_date == dt.date(year, month, 14)
    assert other_book.captured_date == dt.date(year, month, 9)
    # the note joins the highlight that ends at its location; the bookmark is dropped
    assert book.highlights == [
        Highlight(first, note, [], "page 27, location 410-412"),
        Highlight(second, "", [], "page 61, location 980-983"),
    ]
    where = "page 88, location 1204-1207" if lang in PAGED_B else "location 1204-1207"
    assert other_book.highlights == [Highlight(other, "", [], where)]
    assert book.content == f"{first}\n\n{second}\n"
    assert note not in book.content


def test_a_reader_who_switched_the_device_language_gets_one_book():
    (book,) = read_notes("kindle-mixed.txt")
    assert (book.title, book.author) == ("Die Ordnung der Flüsse", "Helene Brandt")
    assert book.captured_date == dt.date(2024, 3, 11)  # the English date, newer than the German ones
    assert book.highlights == [
        Highlight(
            "Ein Fluss hält sich an keine Karte; er erinnert sich nur an das letzte Hochwasser.",
            "Compare with the chapter on levees.",  # an English note on a German highlight
            [],
            "page 27, location 410-412",
        ),
        Highlight(
            "Wer Deiche baut, verschiebt das Wasser nur an einen Ort, an den niemand schaut.",
            "",
            [],
            "page 61, location 980-983",
        ),
    ]
    assert book.read_reasons == []


# Kind lines as devices wrote them (from public parsers' test data; see kindle_locales.py), with
# what they give: (kind, language), (page, first, last location), the "Added on" date.
REAL_LINES = [
    (
        "- Deine Markierung auf Seite 49 | bei Position 738-740 | Hinzugefügt am Montag, 16. September "
        "2024 22:36:09",
        ("highlight", "de"),
        ("49", 738, 740),
        (2024, 9, 16),
    ),
    (
        "- Ihr Lesezeichen auf Seite 222 | Position 3393 | Hinzugefügt am Montag, 17. Juni 2013 "
        "um 22:32:42 Uhr",
        ("bookmark", "de"),
        ("222", 3393, 3393),
        (2013, 6, 17),
    ),
    (
        "- Mi nota Posición 6 | Añadido el viernes 26 de abril de 2013, 0:04:34",
        ("note", "es"),
        ("", 6, 6),
        (2013, 4, 26),
    ),
    (
        "- Votre surlignement Emplacement 12-12 | Ajouté le vendredi 26 avril 2013 à 00:18:27",
        ("highlight", "fr"),
        ("", 12, 12),
        (2013, 4, 26),
    ),
    (
        "- Le mie note a pagina 222 | Posizione 3395 | Aggiunto il lunedì 17 giugno 13, 20:23:44",
        ("note", "it"),
        ("222", 3395, 3395),
        (2013, 6, 17),
    ),
    (
        "- Seu marcador de página na página 222 | Posição 3393 | Adicionado na data segunda-feira, "
        "17 de junho de 2013, 20:40:09",
        ("bookmark", "pt"),
        ("222", 3393, 3393),
        (2013, 6, 17),
    ),
    (
        "- Je bladwijzer op pagina 116 | locatie 1330 | Toegevoegd op donderdag 22 augustus 2024 18:30:36",
        ("bookmark", "nl"),
        ("116", 1330, 1330),
        (2024, 8, 22),
    ),
    (
        "- Je highlight op pagina 1 t/m 10 | locatie 2 t/m 20 | Toegevoegd op donderdag 22 augustus "
        "2024 18:30:26",
        ("highlight", "nl"),
        ("1-10", 2, 20),
        (2024, 8, 22),
    ),
    (
        "– Ваша закладка на странице 117 | Место 1347 | Добавлено: четверг, 22 августа 2024 г. в 18:54:15",
        ("bookmark", "ru"),
        ("117", 1347, 1347),
        (2024, 8, 22),
    ),
    (
        "- 22ページ|位置No. 336のメモ |作成日: 2023年6月10日土曜日 9:18:40",
        ("note", "ja"),
        ("22", 336, 336),
        (2023, 6, 10),
    ),
    ("- メモ 位置No. 3 | 追加日： 2013年4月26日 (金曜日) 0:33:16", ("note", "ja"), ("", 3, 3), (2013, 4, 26)),
    (
        "- 您在位置 #205 的笔记 | 添加于 2019年8月31日星期六 上午12:55:51",
        ("note", "zh"),
        ("", 205, 205),
        (2019, 8, 31),
    ),
    (
        "- 您在第 19 页的书签 | 添加于 2017年12月9日星期六 下午10:09:32",
        ("bookmark", "zh"),
        ("19", None, None),
        (2017, 12, 9),
    ),
    (
        "- 我的标注 第222页 | 位置3397-3397 | 已添加至 2013年6月17日 星期一 22:27:30",
        ("highlight", "zh"),
        ("222", 3397, 3397),
        (2013, 6, 17),
    ),
]


@pytest.mark.parametrize("line, kind, location, added", REAL_LINES)
def test_kind_lines_of_real_devices(line, kind, location, added):
    assert kindle_locales.kind_of(line) == kind
    assert kindle_locales.where(line, kind[1]) == location
    assert kindle_locales.added_date(line, kind[1]) == dt.date(*added)


@pytest.mark.parametrize(
    "line",
    [
        "- Meine Gedanken zu diesem Buch",  # a German list item, no possessive kind phrase
        "- La página 12 me gustó",
        "Ihre Markierung auf Seite 3",  # no leading dash
        "- 読書メモ | 三月",  # a Japanese "reading notes" item: メモ, but not behind の
        "- 今日のメモ",  # no | as every kind line has
        "",
    ],
)
def test_prose_is_not_a_kind_line(line):
    assert kindle_locales.kind_of(line) is None


def test_unreadable_localized_date_leaves_the_date_out():
    line = "- Deine Markierung auf Seite 3 | Position 40-41 | Hinzugefügt am irgendwann"
    assert kindle_locales.kind_of(line) == ("highlight", "de")
    assert kindle_locales.added_date(line, "de") is None


@settings(max_examples=100, deadline=None)
@given(data=mutated_bytes(fixture("kindle-de.txt")))
def test_mutated_german_file_raises_only_capture_error(data):
    reads_or_explains("kindle-de.txt", data)


@settings(max_examples=100, deadline=None)
@given(data=mutated_bytes(fixture("kindle-ja.txt")))
def test_mutated_japanese_file_raises_only_capture_error(data):
    reads_or_explains("kindle-ja.txt", data)


@pytest.mark.nlp
def test_end_to_end_german_device(tmp_path, nlp):
    report, notes = run_pipeline(tmp_path, nlp, "kindle-de.txt", "My Clippings.txt")
    assert report.failed == []
    assert sorted(title for title, _ in notes) == ["Die Ordnung der Flüsse", "Kleine Theorie des Wartens"]
    for title, props in notes:
        assert props["source_tool"] == "kindle" and props["format"] == "book"
        assert chrome_in(props, title) == []
        for chrome in ("Markierung", "Hinzugefügt", "Position", "Lesezeichen"):
            assert chrome not in str(props), chrome
