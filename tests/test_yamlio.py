import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.vault.yamlio import YAMLProblem, dump_properties, safe_load_mapping

scalars = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "off",
            "true",
            "null",
            "~",
            "1e3",
            "0x1F",
            "2026-02-18",
            "12:30",
            "[[Anthropic]]",
            "#tag",
            "- dash",
            ": colon",
            "a: b",
            "'quoted'",
            '"dq"',
            "@handle",
            "*star",
            "&anchor",
            "!tag",
            "%pct",
            "`tick`",
            "{{ 7*7 }}",
            "line\nbreak",
            " lead",
            "trail ",
            "",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)
values = st.one_of(scalars, st.lists(scalars, max_size=5))
keys = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=8))
def test_properties_round_trip_exactly(props):
    text = dump_properties(props)
    assert safe_load_mapping(text) == props
    assert list(safe_load_mapping(text)) == list(props)  # key order kept


def test_formats_match_obsidian():
    text = dump_properties(
        {
            "captured_date": dt.date(2026, 2, 18),
            "triaged_at": dt.datetime(2026, 2, 18, 10, 30),
            "status": "triaged",
            "flag": "yes",
            "entities": ["[[Anthropic]]"],
        }
    )
    assert "captured_date: 2026-02-18\n" in text
    assert "triaged_at: 2026-02-18T10:30:00\n" in text
    assert "status: triaged\n" in text
    assert 'flag: "yes"\n' in text
    assert '  - "[[Anthropic]]"\n' in text


@pytest.mark.parametrize(
    "text, needle, line",
    [
        ("a: [1\n", "flow sequence", 2),
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("a:\n\tb: 1\n", "tabs", 2),
        ("x: !!python/object/apply:os.system [echo hi]\n", "unsafe", 1),
        ("a: b\n  c: d\n", "mapping values", 2),
    ],
)
def test_bad_yaml_is_explained_with_line(text, needle, line):
    with pytest.raises(YAMLProblem) as err:
        safe_load_mapping(text)
    assert needle in err.value.message
    assert err.value.line == line


def test_not_a_mapping():
    with pytest.raises(YAMLProblem, match="must be a mapping"):
        safe_load_mapping("- a\n- b\n")
    with pytest.raises(YAMLProblem, match="must be a mapping"):
        safe_load_mapping("just text")


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    with pytest.raises(YAMLProblem, match="alias bomb"):
        safe_load_mapping(bomb)


def test_deep_nesting_is_bounded():
    with pytest.raises(YAMLProblem, match="nested deeper"):
        safe_load_mapping("a: " + "[" * 5000 + "]" * 5000)


def test_plain_yaml_still_loads():
    assert safe_load_mapping("") == {}
    assert safe_load_mapping("a: 1\nb: [x, y]\n") == {"a": 1, "b": ["x", "y"]}
    assert yaml.safe_load(dump_properties({"k": "v"})) == {"k": "v"}


def test_a_value_under_two_keys_is_written_twice_not_aliased():
    day = dt.date(2024, 3, 11)
    tags = ["a", "b"]
    text = dump_properties({"captured_date": day, "created": day, "tags": tags, "more": tags})
    assert "&" not in text and "*" not in text
    assert text == (
        "captured_date: 2024-03-11\ncreated: 2024-03-11\ntags:\n  - a\n  - b\nmore:\n  - a\n  - b\n"
    )
