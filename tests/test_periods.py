"""Periods are shown in words, never as keys ("2024-Q1") on a Chinese page."""

import pytest
from django.utils import translation

from yixian_safety.periods import period_label, quarter_label


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("2024-Q1", "2024 年第一季度"),
        ("2026-Q4", "2026 年第四季度"),
        ("2026-11", "2026 年 11 月"),
        ("2026-H1", "2026 年上半年"),
        ("2026", "2026 年"),
        ("nonsense", "nonsense"),
    ],
)
def test_period_keys_read_as_chinese_words(key, words):
    with translation.override("zh-hans"):
        assert period_label(key) == words


def test_quarter_label():
    with translation.override("zh-hans"):
        assert quarter_label(2026, 2) == "2026 年第二季度"
