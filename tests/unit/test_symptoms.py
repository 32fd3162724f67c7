"""Illness and medicine in an out-of-scope message: sent to the doctor (bot.symptoms)."""

from __future__ import annotations

import pytest

from bot.symptoms import is_about_illness


@pytest.mark.parametrize(
    "text",
    ["jeg har ondt i halsen", "Min hals er ØM", "mit barn har feber", "jeg hoster om natten",
     "jeg er forkølet", "hvad hjælper mod hovedpine", "min søn har mellemørebetændelse",
     "kan jeg tage to piller mere", "hvor meget D-vitamin skal et barn have", "jeg har udslæt på armen",
     "jeg føler mig syg", "er det farligt at tage penicillin med alkohol"],
)  # fmt: skip
def test_illness_and_medicine_are_recognised(text: str) -> None:
    assert is_about_illness(text)


@pytest.mark.parametrize(
    "text",
    ["hvad bliver vejret i morgen", "hvornår spiller landsholdet", "min computer er meget langsom",
     "hvor kan jeg købe vinterdæk", "skriv et digt om efterår", "hvem er statsminister", "",
     "hvordan søger jeg boligstøtte", "hvad koster en ny telefon"],
)  # fmt: skip
def test_everyday_questions_are_not(text: str) -> None:
    assert not is_about_illness(text)
