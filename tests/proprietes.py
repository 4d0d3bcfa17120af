"""Hypothesis strategies for the values a URL carries (issue 28): whatever a client can type.

Dates from year 1 to 9999, integers around 2³¹ and 2⁶³ and negative, digits Python reads but a
database does not, empty, NUL, very long, non-UTF-8 (as Django hands it to a view: U+FFFD from a
query string, lone surrogates from a broken path).
"""

import datetime

from hypothesis import strategies as st

BORNES_ENTIERS = [0, 1, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]
BORNES_DATES = [
    datetime.date.min,
    datetime.date.min + datetime.timedelta(days=1),
    datetime.date(1999, 12, 31),
    datetime.date(2000, 1, 1),
    datetime.date(2100, 12, 31),
    datetime.date(2101, 1, 1),
    datetime.date.max - datetime.timedelta(days=1),
    datetime.date.max,
]

entiers = st.one_of(
    st.sampled_from(BORNES_ENTIERS),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from(BORNES_ENTIERS).flatmap(lambda n: st.integers(n - 3, n + 3)),
)
dates = st.one_of(st.sampled_from(BORNES_DATES), st.dates())
moments = st.one_of(
    st.sampled_from(BORNES_DATES).map(lambda d: datetime.datetime.combine(d, datetime.time(0, 0))),
    st.sampled_from(BORNES_DATES).map(
        lambda d: datetime.datetime.combine(d, datetime.time(23, 59))
    ),
    st.datetimes().map(lambda m: m.replace(second=0, microsecond=0)),
)
textes = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "\ufffd(",
            " 1",
            "+1",
            "1_0",
            "٣",
            "²",
            "1e309",
            "9" * 5000,
            "x" * 5000,
            "0000-00-00",
            "2026-02-30",
            "2026-W01-1",
            "20260101",
            "9999-12-31T99:99",
        ]
    ),
    st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.binary(max_size=12).map(lambda b: b.decode("utf-8", "replace")),
)


def cle_utc(moment: datetime.datetime) -> str:
    """``YYYYMMDDTHHMM`` with a four-digit year (``%Y`` writes year 1 as "1")."""
    return f"{moment.year:04d}{moment:%m%dT%H%M}"


# Every kind of text a path segment or a query parameter may hold.
valeurs = st.one_of(
    textes,
    entiers.map(str),
    dates.map(datetime.date.isoformat),
    st.tuples(entiers, moments).map(lambda t: f"{t[0]}-{cle_utc(t[1])}"),
)
