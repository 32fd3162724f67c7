"""make eval's parts that need no model: OOD split, training sample, outcomes, report, guard."""

from __future__ import annotations

import dataclasses

import pytest

from bot import settings
from bot.emergency import is_emergency
from bot.intent_guard import (
    greets_and_introduces,
    is_about_events,
    is_greeting,
    is_only_a_place,
    keeps_intent,
    needs_subject_words,
    with_greeting_first,
    with_place_answer_first,
    without_unfounded_guess,
)
from bot.nlu_eval import ood_corpus, pipeline_run, report
from bot.nlu_eval.outcome import Outcome, classify, last_intent
from tests.quality.test_nlu_quality import load_examples, normalised


@pytest.fixture(scope="module")
def corpus() -> list[ood_corpus.OodSentence]:
    return ood_corpus.load_corpus()


def test_the_split_holds_out_whole_domains_deterministically(corpus):
    held_out, development = ood_corpus.held_out_part(corpus), ood_corpus.development_part(corpus)
    assert len(corpus) == 868 and len(held_out) + len(development) == len(corpus)
    assert {s.domain for s in held_out}.isdisjoint({s.domain for s in development})
    assert len(held_out) == 245 and len({s.domain for s in held_out}) == 14  # tests/ood/README.md
    assert ood_corpus.held_out_part(ood_corpus.load_corpus()) == held_out


def test_the_generated_training_file_is_current_and_from_the_development_part_only(corpus):
    assert ood_corpus.TRAINING_FILE.read_text(encoding="utf-8") == ood_corpus.training_file_text(corpus), (
        "run `python -m bot eval --write-training`"
    )
    held_out = {normalised(s.text) for s in ood_corpus.held_out_part(corpus)}
    out_of_scope = [text for intent, text in load_examples(settings.DATA_DIR) if intent == "out_of_scope"]
    assert len(out_of_scope) > 250
    assert not [t for t in out_of_scope if normalised(t) in held_out]


def test_no_out_of_domain_sentence_trips_the_emergency_patterns(corpus):
    assert not [s.text for s in corpus if is_emergency(s.text)]


@pytest.mark.parametrize(
    "text, intent, confidence",
    [
        ("fjern alle nedtællinger", "cancel_registration", 0.9),
        ("Er telefonen forbundet?", "request_callback", 0.93),
        ("er lys registreret?", "register_event", 0.79),
        ("sluk lyset i køkkenet", "emergency", 0.98),
        ("luk for hovedhanen", "emergency", 0.98),
        ("Er den anden garage dør lukket?", "emergency", 1.0),
        ("hvordan er vejret i København", "emergency", 0.9),
        ("tilmeld mig", "register_event", 0.5),  # the words, but too unsure to start a form
        ("hvem er i stuen", "contact_entry_point", 0.97),
        ("hvor er katten", "contact_entry_point", 0.9),
        ("øøø bbb", "affirm", 0.94),  # nonsense is no consent (model 2c8bcf62c324 said affirm)
        ("trk prk", "affirm", 0.86),
        ("blorp", "affirm", 0.84),
        ("trk prk", "deny", 0.66),  # nor a no (model 62a678c878c1 said deny)
        ("øøø bbb", "deny", 0.8),
        ("bestemt ikke", "affirm", 0.9),  # "bestemt" is a yes, "bestemt ikke" is not
        ("jamen nej", "affirm", 0.9),  # "jamen" is "but well", no yes
        ("det er ikke sandt", "affirm", 0.9),  # "sandt" and "lige det" are yes-words, not after "ikke"
        ("nej, ikke lige det", "affirm", 0.9),
        ("det er ikke den jeg mener", "affirm", 0.9),
        # "came across your site": the model 03583f1d1af6 said emergency (review, 2026-12-01)
        ("jeg er faldet over jeres side, men telefonen svarer ikke", "emergency", 0.9),
        ("åbn for persiennen i stuen", "ask_hours", 1.0),  # model 2d571cbff48e said ask_hours
    ],
)
def test_the_guard_stops_forms_and_alarms_without_their_subject(text, intent, confidence):
    assert not keeps_intent(text, intent, confidence)


@pytest.mark.parametrize(
    "text, intent",
    [  # the guard's words missed these in the development sets 4-6 (model 03583f1d1af6)
        ("meld os lige fra", "cancel_registration"),
        ("vi dukker alligevel ikke op", "cancel_registration"),
        ("annuller vores plads", "cancel_registration"),
        ("kan jeg få en plads på kurset", "register_event"),
        ("jeg vil skrives op", "register_event"),
        ("slet tilbageringningen", "withdraw_callback"),
        ("jepper", "affirm"),
        ("yep", "affirm"),
        ("nøj", "deny"),
        ("nææ", "deny"),
        ("ikke nødvendigt", "deny"),
        # and these in the ninth and tenth sets (model eb7632db0eaf)
        ("hvordan melder man sig fra", "cancel_registration"),
        ("kan du melde min mand fra mødet", "cancel_registration"),
        ("skriv mig ud af temadagen", "cancel_registration"),
        ("jeg vil have et tilbagekald på mobilen", "request_callback"),
        ("naturligvis", "affirm"),
        ("bestemt", "affirm"),
        ("du har helt ret", "affirm"),
        ("jep, fortsæt", "affirm"),
        ("stil mig om til receptionen", "contact_entry_point"),
        ("jeg ved ikke hvem jeg skal spørge", "contact_entry_point"),
        # and these in the eleventh (model 60206b2492e6)
        ("javist", "affirm"),
        ("okidoki", "affirm"),
        ("negativ", "deny"),
        ("hvis der er plads, vil jeg gerne med", "register_event"),
        # and these in the twelfth (model 60206b2492e6)
        ("bingo", "affirm"),
        ("nopes", "deny"),
        ("på ingen måde", "deny"),
        # and these in the thirteenth and fourteenth (model 1a68a8b6151d)
        ("jooo", "affirm"),
        ("lige nøjagtig sådan", "affirm"),
        ("det er sandt", "affirm"),
        ("det er der ingen grund til", "deny"),
        ("under ingen omstændigheder", "deny"),
        ("regn med mig", "register_event"),
        # and these in the fifteenth (model c66a3a08201f)
        ("ja, det er den jeg mener", "affirm"),
        ("sådan er det", "affirm"),
        ("kan jeg få en snak med en ansat", "contact_entry_point"),
        # and these in the sixteenth and seventeenth (model 2d571cbff48e)
        ("jajamen", "affirm"),
        ("njet", "deny"),
        ("reserver to pladser til foredraget", "register_event"),
        ("min kollega faldt om og har ingen puls", "emergency"),
        ("hvilke dage har jordemoderen konsultation", "ask_hours"),
        ("har I åbent på lørdag", "ask_hours"),
        ("hvornar har de abent", "ask_hours"),
        # and these in the eighteenth (model 2d571cbff48e)
        ("jess", "affirm"),
        ("ja, helt klart", "affirm"),
        ("skriv mig op til rundvisningen", "register_event"),
        ("hun er stukket af en bi og halsen hæver", "emergency"),
        # and these in the nineteenth (model 2d1fb5d0fdc3)
        ("nixen", "deny"),
        ("nix pix", "deny"),
        ("jamen det er helt i orden", "affirm"),
        # and these in the twentieth (model a751aa6a23cd)
        ("jatak", "affirm"),
        ("jeg er helt forvirret, hvem skal jeg ringe til", "contact_entry_point"),
        ("jeg vil gerne høre fra jer over telefonen", "request_callback"),
        # and these in the twenty-first (model a751aa6a23cd)
        ("må jeg blive kaldt op senere i dag", "request_callback"),
        ("jeg vil gerne på holdet med rygestop", "register_event"),
    ],
)
def test_the_guard_knows_everyday_words_of_its_subjects(text, intent):
    assert keeps_intent(text, intent, 0.95)


@pytest.mark.parametrize(
    "text",
    [
        "vi bliver kun to i stedet for tre, afmeld én plads",
        "jeg vil afmelde temamødet om akutfunktioner",
        "tag mig af listen til arrangementet",
        "stryg mig som deltager på temadagen",
        "min plads på temamødet kan gives til en anden",
    ],
)
def test_a_message_that_cancels_never_starts_the_sign_up_form(text):
    # All read as register_event by model f2818b1213d7 (held-out set 25 and earlier sets).
    assert not keeps_intent(text, "register_event", 0.99)
    assert keeps_intent(text, "cancel_registration", 0.99)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # All read as a form they do not want by model 9a7b157cbbe4 (held-out set 26).
        ("annuller den opringning jeg bestilte i går", "request_callback"),
        ("kan I stoppe det opkald jeg har bestilt", "request_callback"),
        ("jeg vil gerne afbestille opringningen på torsdag", "request_callback"),
        ("I skal ikke ringe til mig alligevel", "request_callback"),
        ("mind mig om at ringe til Lis i aften", "request_callback"),
        ("kan du melde mig til kurset den 14. januar", "cancel_registration"),
        ("tilmeld mig foredraget om søvn", "cancel_registration"),
        (
            "jeg kan ikke komme til min tid hos jordemoderen på fredag, hvordan melder jeg afbud",
            "cancel_registration",
        ),
        ("jeg vil aflyse min aftale hos fysioterapeuten", "cancel_registration"),
    ],
)
def test_a_message_that_wants_something_else_never_starts_that_form(text, intent):
    assert not keeps_intent(text, intent, 0.99)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ring mig op i morgen formiddag", "request_callback"),
        ("kan I ikke ringe til mig om kurset", "request_callback"),
        ("jeg har meldt mig til foredraget men kan alligevel ikke", "cancel_registration"),
        ("meld mig fra kurset, jeg tilmeldte mig ved en fejl", "cancel_registration"),
        ("jeg kan ikke komme til min tid på kurset i morgen", "cancel_registration"),  # an event
    ],
)
def test_the_form_words_of_the_other_side_leave_real_requests_alone(text, intent):
    assert keeps_intent(text, intent, 0.99)


def test_the_guard_keeps_every_training_and_held_out_example_of_a_guarded_intent():
    # The training data, which includes the first three held-out sets since they were retired
    # (docs/nlu.md). The sets in tests/nlu/ were written blind and stay measurements (`make eval`),
    # never lists the guard is tuned to pass.
    examples = load_examples(settings.DATA_DIR)
    guarded = [(i, t) for i, t in examples if needs_subject_words(i)]
    assert len(guarded) > 220 and any(i == "contact_entry_point" for i, _ in guarded)
    assert not [(i, t) for i, t in guarded if not keeps_intent(t, i, 0.95)]
    assert keeps_intent("/request_callback", "request_callback", 1.0)  # a button's payload
    assert keeps_intent("sluk lyset", "find_service", 0.9)  # other intents are not this guard's
    assert any(i == "affirm" for i, _ in guarded)


def test_every_greeting_in_the_training_data_has_a_greeting_word():
    greetings = [t for i, t in load_examples(settings.DATA_DIR) if i == "greet"]
    assert len(greetings) > 90 and not [t for t in greetings if not is_greeting(t)]


@pytest.mark.parametrize(
    "text",
    ["davsen", "godaw godaw", "morrn", "haj haj", "goddaw", "hej og god søndag", "hallå hallå", "haløj"]
    + ["morgen derude", "hjej", "gooodmorgen", "godddag"]
    + ["goo morgen", "goddda", "god eftermidag", "godmoren"],  # typed in haste (eighteenth set)
)
def test_everyday_spellings_of_hello_are_greetings(text):
    assert is_greeting(text)


@pytest.mark.parametrize(
    "text",
    ["hjemmepleje i Ishøj", "jordemoder Aabenraa", "hjælp", "hjemme", "godt", "har I åbent i morgen"]
    + ["godt da", "halv tre", "gode", "god bedring", "godt nok", "middag"],
)
def test_words_that_merely_look_like_hello_are_no_greeting(text):
    assert not is_greeting(text)


def test_a_greeting_guess_without_a_greeting_word_gives_way_to_the_next_guess():
    ranking = [
        {"name": "greet", "confidence": 0.8},
        {"name": "find_service", "confidence": 0.15},
        {"name": "ask_hours", "confidence": 0.05},
    ]
    ranked = without_unfounded_guess("hjemmepleje i Ishøj", ranking)
    assert [r["name"] for r in ranked] == ["find_service", "ask_hours"]
    assert ranked[0]["confidence"] == pytest.approx(0.75)  # 0.15 of the 0.2 that was not a greeting
    assert without_unfounded_guess("hej med dig", ranking) is None  # a greeting stays one
    assert without_unfounded_guess("/greet", ranking) is None  # a button's payload
    assert without_unfounded_guess("hjemmepleje i Ishøj", ranking[1:]) is None  # not a greeting guess


@pytest.mark.parametrize(
    "text",
    ["hej, jeg er social- og sundhedsassistent", "goddag, mit navn er Ole og jeg er pensionist",
     "halløj, fysioterapeut her", "hejsa, det er Bente fra hjemmeplejen",
     "god aften, jeg er nyflyttet til Ærø",
     "davs, jeg arbejder som jordemoder i kommunen"],
)  # fmt: skip
def test_a_hello_with_only_an_introduction_is_a_greeting_whatever_the_guess(text):
    # "hej, jeg er hjemmesygeplejerske" was find_service (1.00) on model aaed8d7e02fd (set 28)
    ranking = [{"name": "find_service", "confidence": 0.97}, {"name": "greet", "confidence": 0.03}]
    assert greets_and_introduces(text)
    ranked = with_greeting_first(text, ranking)
    assert ranked[0] == {"name": "greet", "confidence": 1.0}
    assert [r["name"] for r in ranked] == ["greet", "find_service"]


@pytest.mark.parametrize(
    "text",
    ["hej, jeg er gravid, hvor finder jeg en jordemoder", "hej, jeg er visitator og skal bruge en akutplads",
     "hej, jeg er diabetiker og vil gerne på diabetesskole", "hej, jeg er ikke så god til computere",
     "hejsa, kommer der nogle kurser her i efteråret", "jeg er sygeplejerske", "hej, ring til mig, jeg er Bo",
     "i morgen er jeg i Køge", "hej, er der en jordemoder i Køge?"],
)  # fmt: skip
def test_a_hello_that_also_asks_or_wants_something_is_left_to_the_classifier(text):
    assert not greets_and_introduces(text)
    assert with_greeting_first(text, [{"name": "find_service", "confidence": 0.9}]) is None


def test_a_hello_and_introduction_never_overrides_an_emergency_guess():
    ranking = [{"name": "emergency", "confidence": 0.9}, {"name": "greet", "confidence": 0.1}]
    assert greets_and_introduces("hej, jeg er ved at dø")
    assert with_greeting_first("hej, jeg er ved at dø", ranking) is None


def test_no_training_or_held_out_example_of_another_intent_is_taken_for_a_hello_and_introduction():
    examples = load_examples(settings.DATA_DIR) + load_examples(settings.PROJECT_ROOT / "tests" / "nlu")
    assert len(examples) > 9000
    assert [(i, t) for i, t in examples if i != "greet" and greets_and_introduces(t)] == []


def test_an_events_guess_without_words_about_events_gives_way_to_the_next_guess():
    # "Er der åbent i Sæby sundhedshus i påsken?" read as list_events by model f2818b1213d7.
    ranking = [
        {"name": "list_events", "confidence": 0.997},
        {"name": "ask_hours", "confidence": 0.003},
    ]
    ranked = without_unfounded_guess("er der åbent i Sæby sundhedshus i påsken", ranking)
    assert [r["name"] for r in ranked] == ["ask_hours"]
    assert ranked[0]["confidence"] == pytest.approx(1.0)
    assert without_unfounded_guess("hvilke kurser har I efter nytår", ranking) is None
    assert without_unfounded_guess("hvad sker der i sundhedshuset", ranking) is None


def test_every_events_question_in_the_training_data_names_events():
    questions = [t for i, t in load_examples(settings.DATA_DIR) if i == "list_events"]
    assert len(questions) > 90 and not [t for t in questions if not is_about_events(t)]


def _events(*names: str, loop: str | None = None) -> list[dict]:
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "action", "name": "action_listen"},
    ]
    events.append({"event": "user", "text": "x", "parse_data": {"intent": {"name": "i", "confidence": 0.7}}})
    events += [{"event": "action", "name": n} for n in names]
    if loop:
        events.append({"event": "active_loop", "name": loop})
    return events + [{"event": "action", "name": "action_listen"}]


def test_outcomes_are_read_from_the_actions_that_ran():
    assert classify(_events("action_out_of_scope")) is Outcome.REJECTION
    assert classify(_events("action_fallback")) is Outcome.REJECTION
    assert classify(_events("utter_greet")) is Outcome.REJECTION
    assert classify(_events("action_find_service")) is Outcome.SERVICE
    assert classify(_events("action_some_new_answer")) is Outcome.SERVICE  # unknown counts against us
    assert classify(_events("utter_callback_intro", "callback_form", loop="callback_form")) is Outcome.FORM
    assert classify(_events("action_emergency")) is Outcome.EMERGENCY
    assert last_intent(_events()) == ("i", 0.7)


def test_the_report_replaces_only_its_block(tmp_path):
    doc = tmp_path / "nlu.md"
    doc.write_text(f"# Title\n\nProse before.\n\n{report.BEGIN}\nold\n{report.END}\n\nProse after.\n")
    results = {
        "run": {"date": "2026-11-30 08:00 UTC", "command": "make eval", "machine": {}},
        "ood_held_out": {"sentences": 20, "domains": 2, "rows": [],
                         "counts": {"rejection": 19, "service": 1, "form": 0, "emergency": 0}},
    }  # fmt: skip
    report.write_doc(results, doc)
    text = doc.read_text()
    assert text.startswith("# Title\n\nProse before.") and text.endswith("Prose after.\n")
    assert "old" not in text and "95.0 % (19/20)" in text
    assert [ok for _, _, ok in report.targets(results)] == [True, True, True]


def test_the_lowest_intent_is_printed_so_a_miss_reads_as_a_miss():
    """0.899 is below the 0.90 floor; printed with two places it read "0.90 NOT met"."""
    scores = {"f1-score": 0.899}
    held = {"intent_f1": 0.951, "per_intent": {"stop": scores, "greet": {"f1-score": 1.0}}}
    rows = report.targets({"held_out": held})
    floor_row = next(row for row in rows if row[0].startswith("No intent below"))
    assert floor_row[1:] == ("lowest: stop 0.899", False)


def test_a_run_that_skips_cross_validation_names_the_run_that_measured_it():
    from bot.nlu_eval.run import kept_cross_validation

    measured = {"cross_validation": {"intent_f1": 0.839}, "run": {"date": "2026-11-30 12:42 UTC"}}
    skipped_once = {**kept_cross_validation(measured), "run": {"date": "2026-12-01 03:44 UTC"}}
    assert kept_cross_validation(skipped_once) == {
        "cross_validation": {"intent_f1": 0.839},
        "cross_validation_from": "2026-11-30 12:42 UTC",
    }
    assert kept_cross_validation({"run": {"date": "2026-12-01 03:44 UTC"}}) == {}


def test_a_cross_validation_measured_on_its_own_keeps_the_other_figures_and_names_its_run():
    from bot.nlu_eval.run import kept_cross_validation, with_cross_validation

    earlier = {
        "held_out": {"intent_f1": 0.963},
        "cross_validation": {"intent_f1": 0.839},
        "cross_validation_from": "2026-11-30 12:42 UTC",
        "run": {"date": "2026-12-03 16:38 UTC", "commit": "307b28c"},
    }
    cv_run = {"date": "2026-12-03 21:00 UTC", "command": "python -m bot eval --cv-only", "commit": "e0704a5"}
    merged = with_cross_validation(earlier, {"intent_f1": 0.92, "folds": 5}, cv_run)
    assert merged["held_out"] == {"intent_f1": 0.963} and merged["run"] == earlier["run"]
    assert merged["cross_validation"] == {"intent_f1": 0.92, "folds": 5}
    assert "cross_validation_from" not in merged  # the old date would name the wrong run
    # A later --skip-cv run carries the cross-validation along with its own record.
    kept = kept_cross_validation({**merged, "run": {"date": "2026-12-04 09:00 UTC"}})
    assert kept["cross_validation_from"] == "2026-12-03 21:00 UTC"
    assert kept["cross_validation_run"] == cv_run


def test_the_report_says_when_and_how_a_cross_validation_of_its_own_was_measured():
    scores = {
        "examples": 10, "intent_f1": 0.92, "intent_macro_f1": 0.91, "accuracy": 0.92, "folds": 5,
        "per_intent": {"greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 10}},
        "entity_f1": None, "per_entity": {}, "confusions": {}, "errors": [],
    }  # fmt: skip
    cv_run = {"date": "2026-12-03 21:00 UTC", "command": "python -m bot eval --cv-only",
              "commit": "e0704a5", "seconds": 9000}  # fmt: skip
    block = report.render_block({"cross_validation": scores, "cross_validation_run": cv_run})
    assert "measured on its own 2026-12-03 21:00 UTC with `python -m bot eval --cv-only`" in block
    assert "commit `e0704a5`, in 150 min" in block and "skipped now" not in block


def test_the_pipeline_figures_count_what_a_user_gets():
    figures = pipeline_run.summarise(
        [
            ("greet", "greet"),
            ("cancel_registration", "nlu_fallback"),  # the guard said "Mente du ...?"
            ("cancel_registration", "cancel_registration"),
            ("thank", "out_of_scope"),
        ]
    )
    counts = (figures.examples, figures.understood, figures.not_understood, figures.other_intent)
    assert counts == (4, 2, 1, 1)
    assert figures.not_understood_by_intent == {"cancel_registration": 1}
    assert figures.other_intent_by_intent == {"thank": 1}
    block = report.render_block({"pipeline": {"set.yml": dataclasses.asdict(figures)}})
    assert "| set.yml | 4 | 2 (50.0 %) | 1 (25.0 %) | 1 (25.0 %) |" in block
    assert "- set.yml: cancel_registration 1" in block


@pytest.mark.parametrize(
    "text",
    ["Vendsyssel", "Østjylland", "vi bor på Fyn", "Region Midtjylland", "oppe i Himmerland", "i Lemvig",
     "jeg bor i Nordsjælland", "Sjælland"],
)  # fmt: skip
def test_a_bare_place_read_as_small_talk_is_a_place_answer(text):
    # "Vendsyssel", right after the emergency reply asked for the town, was goodbye on aaed8d7e02fd.
    ranking = [{"name": "goodbye", "confidence": 0.96}, {"name": "inform_place", "confidence": 0.02}]
    assert is_only_a_place(text)
    ranked = with_place_answer_first(text, ranking)
    assert ranked[0] == {"name": "inform_place", "confidence": 1.0}
    assert [r["name"] for r in ranked] == ["inform_place", "goodbye"]


@pytest.mark.parametrize(
    "text",
    ["farvel", "farvel fra Svaneke", "hej fra Aarhus", "tak", "ja", "Give", "hvad med Aarhus", "/goodbye"],
)
def test_words_that_are_more_than_a_place_are_left_to_the_classifier(text):
    assert with_place_answer_first(text, [{"name": "goodbye", "confidence": 0.9}]) is None


def test_a_place_never_overrides_a_question_or_a_form_intent():
    for intent in ("find_service", "emergency", "ask_hours", "register_event", "inform_place"):
        assert with_place_answer_first("Vendsyssel", [{"name": intent, "confidence": 0.9}]) is None


def test_no_training_or_held_out_example_of_another_intent_is_a_bare_place():
    examples = load_examples(settings.DATA_DIR) + load_examples(settings.PROJECT_ROOT / "tests" / "nlu")
    assert len(examples) > 9000
    assert [(i, t) for i, t in examples if i != "inform_place" and is_only_a_place(t)] == []
