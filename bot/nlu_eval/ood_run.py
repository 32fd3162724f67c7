"""Send out-of-domain sentences to the running assistant over REST and see what it does with each.

Every sentence opens a conversation of its own (a fresh sender), as a new user
would; the outcome is read from that conversation's tracker (bot.nlu_eval.outcome).
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from bot.nlu_eval.ood_corpus import OodSentence
from bot.nlu_eval.outcome import Outcome, classify, last_intent
from bot.stack import api_url

REQUEST_TIMEOUT = 120  # seconds; a busy 2-core machine can be slow
SENDERS = 3  # conversations in parallel


@dataclass(frozen=True)
class OodResult:
    text: str
    domain: str
    intent: str | None
    confidence: float | None
    outcome: Outcome
    reply: str


def _http_json(url: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
        return json.loads(response.read())


def run_one(rasa_url: str, auth_token: str, sentence: OodSentence) -> OodResult:
    sender = f"ood-eval-{uuid.uuid4().hex[:12]}"
    replies = _http_json(f"{rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": sentence.text})
    tracker = _http_json(api_url(rasa_url, f"/conversations/{sender}/tracker", auth_token))
    events = tracker.get("events") or []
    intent, confidence = last_intent(events)
    reply = "\n".join(r.get("text") or "" for r in replies if r.get("text"))
    return OodResult(sentence.text, sentence.domain, intent, confidence, classify(events), reply)


def run_all(rasa_url: str, auth_token: str, sentences: list[OodSentence]) -> list[OodResult]:
    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        return list(pool.map(lambda s: run_one(rasa_url, auth_token, s), sentences))


@dataclass(frozen=True)
class OodSummary:
    sentences: int
    counts: dict[str, int]

    def share(self, outcome: Outcome) -> float:
        return self.counts.get(outcome.value, 0) / self.sentences if self.sentences else 0.0

    @property
    def no_service_answer(self) -> float:
        """The share that got neither a service answer, nor a form, nor the emergency text."""
        return self.share(Outcome.REJECTION)


def summarise(results: list[OodResult]) -> OodSummary:
    counts = Counter(r.outcome.value for r in results)
    return OodSummary(sentences=len(results), counts={o.value: counts.get(o.value, 0) for o in Outcome})


def as_rows(results: list[OodResult]) -> list[dict[str, Any]]:
    return [{**asdict(r), "outcome": r.outcome.value} for r in results]
