"""Reading facts out of record texts, in every language the guide is written in."""

from __future__ import annotations

import pytest
from haven.records.facts import digit_distance, facts_in


def found(text: str, country: str = "US", lang: str = "en") -> set[tuple[str, str]]:
    return {(f.kind, f.value) for f in facts_in(text, country, lang)}


@pytest.mark.parametrize(("text", "country", "expected"), [
    ("Call free on 0800 555 111.", "GB", {("phone", "+44800555111")}),
    ("Call free on 0800 555 1111.", "GB", {("phone", "+448005551111")}),
    ("Call free on 08 08 16 89 111.", "GB", {("phone", "+448081689111")}),
    ("From abroad: +44 808 168 9111", "GB", {("phone", "+448081689111")}),
    ("Call (866) 331-9474.", "US", {("phone", "+18663319474")}),
    ("Call 1-800-799-SAFE (7233).", "US", {("phone", "+18007997233")}),
    ("Call 800-656-HOPE (4673).", "US", {("phone", "+18006564673")}),
    ("Call 1-800-843-5678 (1-800-THE-LOST).", "US", {("phone", "+18008435678")}),
    ("Text HELP to 233733 (BEFREE).", "US", {("keyword", "HELP"), ("short", "233733")}),
    ("Call 988 or 911.", "US", {("short", "988"), ("short", "911")}),
    ("Text-to-911 works in many areas.", "US", {("short", "911")}),
    ("If you are in danger, call 999.", "GB", {("short", "999")}),
])
def test_numbers_are_read_as_dialled(text: str, country: str, expected: set[tuple[str, str]]
                                     ) -> None:
    assert found(text, country) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("Text START to 88788.", "en"),
    ("Envíe START al 88788.", "es"),
    ("发送 START 到 88788。", "zh"),
    ("发送START到88788。", "zh"),
    ("Nhắn tin chữ START đến số 88788.", "vi"),
    ("أرسل كلمة START في رسالة نصية إلى الرقم 88788.", "ar"),
])
def test_a_keyword_is_found_in_every_language(text: str, lang: str) -> None:
    assert found(text, "US", lang) == {("keyword", "START"), ("short", "88788")}


@pytest.mark.parametrize(("text", "lang"), [
    ("Since 31 December 2025 you have three years to apply.", "en"),
    ("Since December 31, 2025 you have three years to apply.", "en"),
    ("Desde el 31 de diciembre de 2025 tiene tres años para presentar la solicitud.", "es"),
    ("自2025年12月31日起，您有三年时间提出申请。", "zh"),
    ("Từ ngày 31 tháng 12 năm 2025, bạn có ba năm để nộp đơn.", "vi"),
    ("منذ 31 ديسمبر 2025 لديك ثلاث سنوات لتقديم الطلب.", "ar"),
    ("منذ ٣١ ديسمبر ٢٠٢٥ لديك ثلاث سنوات لتقديم الطلب.", "ar"),
])
def test_a_date_is_one_fact_however_it_is_written(text: str, lang: str) -> None:
    assert found(text, "US", lang) == {("date", "2025-12-31")}


def test_addresses_and_citations_are_facts_not_numbers() -> None:
    text = ("See 18 U.S.C. § 3771 and https://www.rainn.org/help/, or write to "
            "help@example.org; ages 16+, up to £1,000, 24/7, form HUD-5382.")
    assert found(text) == {("citation", "18U.S.C.§3771"), ("url", "rainn.org/help"),
                           ("email", "help@example.org"), ("number", "16"),
                           ("number", "1000"), ("number", "24"), ("number", "7"),
                           ("number", "5382")}


@pytest.mark.parametrize("text", [
    "The 2025 change", "RAINN does not keep your number.", "Use the 1-2-1 chat.",
    "Relay UK is free.", "Open Monday to Friday.",
])
def test_words_and_years_are_not_numbers_to_dial(text: str) -> None:
    assert not {kind for kind, _ in found(text, "GB")} & {"phone", "short", "keyword"}


def test_digit_distance_counts_slips() -> None:
    assert digit_distance("+44800555111", "+448005551111") == 1
    assert digit_distance("+18006564673", "+18006564637") == 2
    assert digit_distance("988", "988") == 0


@pytest.mark.parametrize("text", [
    "Use the 1-2-1 chat, 24/7, aged 16+.", "Open 7 days, ages 12-21.", "In 3 languages.",
])
def test_small_numbers_read_the_same_with_or_without_a_phone_number(text: str) -> None:
    """Texts with only small numbers take a shortcut; it must agree with the full reading."""
    alone = facts_in(text, "US")
    beside = facts_in(text + " Call 1-800-656-4673.", "US")
    assert set(alone) == set(beside) - {f for f in beside if f.kind == "phone"}
