"""Generated sentences: dates, département articles, plurals and agreement."""

import datetime

import pytest

from guichet import grammaire


@pytest.mark.parametrize(
    ("jour", "attendu"),
    [
        (datetime.date(2025, 1, 1), "1er janvier 2025"),
        (datetime.date(2026, 3, 14), "14 mars 2026"),
        (datetime.date(2026, 8, 31), "31 août 2026"),
        (None, ""),
    ],
)
def test_date_longue(jour, attendu):
    assert grammaire.date_longue(jour) == attendu
