"""Out-of-domain messages over REST: the held-out part of tests/ood/ood-da.jsonl (requests to a
home assistant) never starts a form, never gets the emergency text, and at least 90 % of it gets
no service answer (a regression guard: issue 12's target, 95 %, is what `make eval` reports against;
measured 94.3 % on this commit, docs/nlu.md). Each sentence opens its own conversation; the outcome
is read from its tracker. The same measurement as `make eval`'s, cheap enough for every test run.
"""

from __future__ import annotations

import time

from bot.nlu_eval import ood_corpus, ood_run
from bot.nlu_eval.outcome import Outcome

NO_SERVICE_ANSWER_MIN = 0.90


def test_held_out_out_of_domain_part_is_rejected_without_forms_or_alarms(rasa_stack):
    sentences = ood_corpus.held_out_part()
    started = time.monotonic()
    results = ood_run.run_all(rasa_stack.rasa_url, rasa_stack.stack.auth_token, sentences)
    summary = ood_run.summarise(results)
    print(f"\nHeld-out OOD: {summary.counts} in {time.monotonic() - started:.0f} s")
    harmful = [
        (r.text, r.intent, r.outcome.value) for r in results if r.outcome in (Outcome.FORM, Outcome.EMERGENCY)
    ]
    assert not harmful, harmful
    answered = [(r.text, r.intent) for r in results if r.outcome is Outcome.SERVICE]
    assert summary.no_service_answer >= NO_SERVICE_ANSWER_MIN, (
        f"{summary.no_service_answer:.1%} rejected; service answers: {answered}"
    )
