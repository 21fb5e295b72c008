"""Word lists the entity rules consult: given names and ordinary English words.

spaCy's small English model, trained on news text, types a lone given name as an organisation or a
place ("Wendy", "Brett"), misses names it has not seen ("Kenny, you need to..."), and tags shouted
words as organisations ("AWESOME", "BINGE"). These lists let `triage.enrich.mentions` and
`triage.enrich.entities` correct that:

- `given` and `surnames`: names in Latin script, from the person providers of Faker (MIT; drawn
  from census and registry name lists of about forty locales), and `given_en`, the given names of
  its English-speaking locales. Nothing is downloaded: the lists ship inside the installed package.
- `dictionary`: English words: the lemma index of the spaCy model's own lemmatizer (WordNet's
  nouns, verbs, adjectives and adverbs) plus spaCy's stop words. WordNet also lists many names
  ("james", "trump", "jordan") and acronyms ("nasa"), so an *ordinary* word is a dictionary word
  that is not a known name, and the rules use even that with care (see `triage.enrich.entities`).

Built once per run, only when NLP runs, and passed in like the `nlp` object. Importing Faker's ~90
locale modules costs 0.1-0.2 s, so the pipeline caches the name lists in `.triage/lexicon.json`
(rebuilt when the installed Faker version changes).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import pkgutil
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]{2,}")
_GIVEN = ("first_names", "first_names_male", "first_names_female")
_SURNAMES = ("last_names",)


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str] = frozenset()
    """Casefolded given names of any locale ("wendy", "marcelo", "will", but also "meta")."""
    given_en: frozenset[str] = frozenset()
    """The given names of English-speaking countries (Faker's `en_*` locales): "wendy", "brett"."""
    surnames: frozenset[str] = frozenset()
    """Casefolded family names ("davis", "kennedy")."""
    dictionary: frozenset[str] = frozenset()
    """Casefolded English words and lemmas ("binge", "idiot", but also "james", "nasa")."""

    def is_given(self, word: str) -> bool:
        return word.casefold() in self.given

    def is_english_given(self, word: str) -> bool:
        return word.casefold() in self.given_en

    def in_dictionary(self, word: str, lemma: str = "") -> bool:
        return word.casefold() in self.dictionary or lemma.casefold() in self.dictionary

    def is_ordinary(self, word: str, lemma: str = "") -> bool:
        """A dictionary word that is no known name: "idiot", "awesome"; not "james" or "davis"."""
        folded = word.casefold()
        return folded not in self.given and folded not in self.surnames and self.in_dictionary(word, lemma)


def names(lists: tuple[str, ...], locales: str = "") -> frozenset[str]:
    """Latin-script names in these lists of Faker's person providers whose locale starts with
    `locales` ("en_" for the English-speaking countries), casefolded."""
    import faker.providers.person as providers

    out: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        if not module.name.startswith(locales):
            continue
        provider = getattr(importlib.import_module(f"{providers.__name__}.{module.name}"), "Provider", None)
        for attr in lists:
            values = vars(provider).get(attr) if provider else None
            if isinstance(values, list | tuple | dict):
                out.update(n.casefold() for n in values if _LATIN_NAME.fullmatch(n))
    return frozenset(out)


def dictionary_words(nlp: Language) -> frozenset[str]:
    """The model's lemma index (WordNet) and stop words; empty lists if the model has none."""
    words: set[str] = set(nlp.Defaults.stop_words)
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            index = lookups.get_table("lemma_index")
            for pos in ("noun", "verb", "adj", "adv"):
                words.update(w.casefold() for w in index.get(pos) or [] if "_" not in w)
    return frozenset(words)


NameLists = dict[str, frozenset[str]]
"""The name fields of a `Lexicon` ("given", "given_en", "surnames")."""


def name_lists(cached: str | None = None) -> tuple[NameLists, bool]:
    """The name lists, from `cached` (the text `names_json` wrote) when it was made from the
    installed Faker, else from Faker itself (about 0.1-0.2 s of imports); the flag says whether
    they were rebuilt and are worth caching."""
    version = _faker_version()
    try:
        data = json.loads(cached) if cached else None
    except ValueError:
        data = None
    if (
        isinstance(data, dict)
        and data.get("faker") == version
        and all(isinstance(data.get(k), list) for k in _NAME_FIELDS)
    ):
        return {k: frozenset(data[k]) for k in _NAME_FIELDS}, False
    lists = {"given": names(_GIVEN), "given_en": names(_GIVEN, "en_"), "surnames": names(_SURNAMES)}
    return lists, True


def names_json(lists: NameLists) -> str:
    """The cache text for `name_lists`."""
    return json.dumps({"faker": _faker_version(), **{k: sorted(lists[k]) for k in _NAME_FIELDS}})


def load_lexicon(nlp: Language, lists: NameLists | None = None) -> Lexicon:
    """The lexicon for `nlp`, with `lists` (from `name_lists`) or the name lists built afresh."""
    lists = lists if lists is not None else name_lists()[0]
    return Lexicon(**lists, dictionary=dictionary_words(nlp))


_NAME_FIELDS = ("given", "given_en", "surnames")


def _faker_version() -> str:
    try:
        return importlib.metadata.version("faker")
    except importlib.metadata.PackageNotFoundError:
        return ""
