"""Recognise a message about being ill or about medicine: a question for the doctor, not for the assistant.

Used when a message is out of scope: "jeg har ondt i halsen" or "hvad er bedst mod forkølelse" gets
"Jeg kan ikke give råd om sygdom og behandling. Kontakt din egen læge ..." instead of the general
"Det kan jeg desværre ikke hjælpe med". Emergencies are recognised before this (bot.emergency).
"""

from __future__ import annotations

import re

from bot.danish import spell_out_letters

# Folded spelling (æ->ae, ø->oe, å->aa), as in bot.emergency.
_ILLNESS = re.compile(
    r"\bondt (i|paa)\b|\bsmerter?\b|\bfeber|\bhoste|forkoel|\bsnot|\bhovedpine|\bmavepine"
    r"|\bkvalme|\bkaster op|\bopkast|\bdiarre|\budslaet|\bkloer\b|\bkloee\b|betaendelse|\binfluenza"
    r"|\binfektion|\bsyg\b|\bsygdom|\bhaes\b|\bsvimmel|\boem\b|\bhaevet\b|\beksem|\btoer hals"
    r"|\bpiller\b|\bpille\b|\btabletter?\b|\bmedicin|\bpenicillin|\bantibiotika|\bdosis\b|\bvitamin"
    r"|\bbivirkning"
)


def is_about_illness(text: str | None) -> bool:
    """True when the words speak of symptoms, illness or medicine."""
    folded = spell_out_letters(text or "")
    return bool(folded) and _ILLNESS.search(folded) is not None


# "Skal jeg stoppe med min penicillin?" holds a stop word, but asks about a treatment: a question for
# the doctor (rasa_adapters.nlu_components.StopGuard), never the end of a form.
_STOPPING_TREATMENT = re.compile(
    r"\b(stop(pe|per)?|holde?r? op|ophoere?r?|droppe?r?|springe?r? over)\s+(med\s+)?(at tage\s+)?"
    r"(\w+\s+){0,2}?(piller?|pillerne|tablet\w*|medicin\w*|penicillin\w*|antibiotika\w*|\w+cillin\w*"
    r"|behandling\w*|kur(en)?|insulin\w*|\w*pille\w*)\b"
)


def asks_about_stopping_treatment(text: str | None) -> bool:
    """True when the words are about stopping a medicine or a treatment ("stoppe med pillerne")."""
    folded = spell_out_letters(text or "")  # lower case already
    return _STOPPING_TREATMENT.search(folded) is not None
