"""'Where do I go?' over REST on a trained model, answers checked against the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import hours
from bot.catalogue import import_catalogue
from bot.db import session_scope
from bot.models import House, Service
from tests.conftest import new_sender

# (question, house id, service type): 42 questions, 31 service types, 12 places.
QUESTIONS = [
    ("hvor kan jeg få taget en blodprøve i Helsingør?", "helsingoer", "blodproever"),
    ("blodprøvetagning i 3000", "helsingoer", "blodproever"),
    ("hvor kan jeg få taget blod i helsingoer", "helsingoer", "blodproever"),
    ("jeg skal have taget et røntgenbillede i Helsingør", "helsingoer", "roentgen"),
    ("er der en akutklinik i Helsingør?", "helsingoer", "akutklinik"),
    ("hvor finder jeg en jordemoder i Helsingør?", "helsingoer", "jordemoder"),
    ("jeg er gravid og bor i Helsingør", "helsingoer", "jordemoder"),
    ("distriktspsykiatri i Helsingør", "helsingoer", "distriktspsykiatri"),
    ("telemedicin i Helsingør", "helsingoer", "telemedicin"),
    ("hvor er der en speciallæge i Helsingør", "helsingoer", "speciallaege"),
    ("hjerteambulatorium i Helsingør", "helsingoer", "ambulatorium"),
    ("hvor kan jeg få genoptræning i Albertslund", "albertslund", "genoptraening"),
    ("sygeplejeklinik i Albertslund", "albertslund", "sygeplejeklinik"),
    ("tandlæge til min mor på plejehjem i Albertslund", "albertslund", "tandpleje"),
    ("fodpleje i Albertslund", "albertslund", "fodterapi"),
    ("er der en patientforening i sundhedshuset i Albertslund?", "albertslund", "patientforeninger"),
    ("kan jeg blive frivillig i Albertslund", "albertslund", "frivillige"),
    ("jeg skal til genoptræning efter min hofteoperation, jeg bor i Ballerup", "ballerup", "genoptraening"),
    ("kiropraktor i Ballerup", "ballerup", "kiropraktor"),
    ("hvor kan jeg låne en rollator i Ishøj", "ishoej-brohuset", "hjaelpemidler"),
    ("hjemmepleje i Ishøj", "ishoej-brohuset", "hjemmesygepleje"),
    ("apotek i Ishøj", "ishoej-brohuset", "apotek"),
    ("lægepraksis i Ishøj", "ishoej-brohuset", "almen_praksis"),
    ("jeg vil gerne stoppe med at ryge, jeg bor i Hvidovre", "hvidovre", "forebyggelse"),
    ("diætist i Hvidovre", "hvidovre", "diaetist"),
    ("hjælp til mit alkoholmisbrug i Hvidovre", "hvidovre", "misbrugsraadgivning"),
    ("jeg har diabetes og vil gerne på et forløbsprogram i Hvidovre", "hvidovre", "forloebsprogrammer"),
    ("genoptræning i Hvidovre", "hvidovre", "genoptraening"),
    ("rygestopkursus på Nørrebro", "noerrebro", "forebyggelse"),
    ("sygeplejeklinik på Østerbro", "oesterbro", "sygeplejeklinik"),
    ("genoptræning på Østerbro", "oesterbro", "genoptraening"),
    ("sundhedsplejerske i Vallensbæk", "vallensbaek-nordmarken", "sundhedspleje"),
    ("mødregruppe i Vallensbæk", "vallensbaek-nordmarken", "moedregrupper"),
    ("socialrådgiver i Vallensbæk", "vallensbaek-nordmarken", "socialraadgivning"),
    ("hvordan kommer jeg i kontakt med kommunelægen i Vallensbæk", "vallensbaek-nordmarken", "kommunelaege"),
    ("jordemoder i Nordborg", "nordborg", "jordemoder"),
    ("er der tandlæge i sundhedshuset i Nordborg?", "nordborg", "tandlaege"),
    ("psykolog i Sønderborg", "nordborg", "psykolog"),
    ("fysioterapeut i Nordborg", "nordborg", "fysioterapi"),
    ("hjemmesygeplejerske i Nordborg", "nordborg", "hjemmesygepleje"),
    ("sårpleje i Nordborg", "nordborg", "sygeplejeklinik"),
    ("fodterapeut i Nordborg", "nordborg", "fodterapi"),
]


def expected_card(database_url: str, house_id: str, service_type: str) -> tuple[str, str, str]:
    """The house name, street and the service's week hours, as the database has them."""
    with session_scope(database_url) as session:
        house = session.get(House, house_id)
        service = (
            session.execute(select(Service).where(Service.house_id == house_id, Service.type == service_type))
            .scalars()
            .first()
        )
        assert service is not None, f"{house_id} offers no {service_type}: fix the test data"
        hours_map = service.hours if service.hours is not None else house.opening_hours
        week = hours.format_week(hours_map) if hours_map else "ikke oplyst"
        return house.name, house.street, week


def test_questions_cover_enough_types_and_places():
    assert len({q for q, _, _ in QUESTIONS}) >= 40
    assert len({t for _, _, t in QUESTIONS}) >= 15
    assert len({h for _, h, _ in QUESTIONS}) >= 9


@pytest.mark.parametrize(("question", "house_id", "service_type"), QUESTIONS)
def test_where_do_i_go(rasa_stack, question, house_id, service_type):
    name, street, week = expected_card(rasa_stack.database_url, house_id, service_type)
    text = rasa_stack.texts(question, new_sender())
    assert name in text, text
    assert street in text, text
    assert week in text, text
    assert "openstreetmap.org" in text
    assert "Fælles indgang" in text


def test_service_without_place_asks_for_place_and_remembers_it(rasa_stack):
    sender = new_sender()
    asked = rasa_stack.texts("hvor kan jeg få taget en blodprøve?", sender)
    assert "postnummer" in asked
    text = rasa_stack.texts("i Helsingør", sender)
    assert "Sundhedshuset i Helsingør" in text and "Blodprøvetagning" in text
    # The place is remembered for the next service.
    assert "Jordemoder" in rasa_stack.texts("og jordemoder?", sender)


def test_follow_ups_in_context(rasa_stack):
    sender = new_sender()
    first = rasa_stack.texts("hvor kan jeg få taget en blodprøve i Helsingør?", sender)
    assert "henvisning" in first.lower()
    # Follow-ups about the house just shown answer just that one thing.
    hours_answer = rasa_stack.texts("hvornår har de åbent?", sender)
    assert "Sundhedshuset i Helsingør" in hours_answer
    # The sample catalogue gives no current hours for Helsingør (only 2013 ones, in the description).
    assert "ikke oplyst" in hours_answer
    assert "Tidsbestilling" not in hours_answer
    referral = rasa_stack.texts("skal jeg have en henvisning?", sender)
    assert "Kræver henvisning" in referral and "Åbningstid" not in referral
    booking = rasa_stack.texts("hvordan bestiller jeg tid?", sender)
    assert "Bestil tid online" in booking and "Henvisning" not in booking
    xray = rasa_stack.texts("og røntgen?", sender)
    assert "Røntgen" in xray and "Sundhedshuset i Helsingør" in xray
    elsewhere = rasa_stack.texts("hvad med i Hillerød?", sender)
    assert "Der er ikke et sundhedshus med røntgen i Hillerød" in elsewhere
    assert "Sundhedshuset i Helsingør" in elsewhere


def test_no_house_at_place_offers_the_nearest(rasa_stack):
    text = rasa_stack.texts("hvor kan jeg få taget en blodprøve i Hillerød?", new_sender())
    assert "Der er ikke et sundhedshus med blodprøver i Hillerød" in text
    assert "Sundhedshuset i Helsingør" in text
    assert "kommunalt tilbud" not in text  # blood tests are regional


def test_municipal_service_far_away_points_to_the_own_municipality(rasa_stack):
    question = "jeg skal til genoptræning efter min hofteoperation, jeg bor i Aarhus"
    text = rasa_stack.texts(question, new_sender())
    assert "kommunalt tilbud" in text and "Aarhus Kommune" in text
    assert "Der er ikke et sundhedshus med" in text and "er for borgere i andre kommuner" in text
    # No card of a house in another municipality, whose rehabilitation is for its own citizens.
    for house in (
        "Sundhedshuset i Nordborg",
        "Sundhedshuset i Helsingør",
        "Brohuset",
        "Sundhedshuset Ballerup",
    ):
        assert house not in text, text


def test_weight_loss_far_from_skagen_shows_no_copenhagen_cards(rasa_stack):
    text = rasa_stack.texts("hjælp til at tabe mig, jeg bor i Skagen", new_sender())
    assert "Bor du i Frederikshavn Kommune, så kontakt kommunen" in text
    assert "er for borgere i andre kommuner" in text
    assert "Nørrebro" not in text and "Østerbro" not in text and "Hvidovre" not in text, text
    assert "eksempeldata" in text  # the sample catalogue still says what it is


def test_ambiguous_postcode_is_asked_about_when_the_answer_differs(rasa_stack):
    sender = new_sender()
    # 4000 lies in Roskilde, Høje-Taastrup and Lejre; Lejre's nearest house is another one.
    replies = rasa_stack.send("genoptræning i 4000", sender)
    buttons = [b["title"] for r in replies for b in r.get("buttons") or []]
    assert any("Lejre" in b for b in buttons) and any("Høje-Taastrup" in b for b in buttons)
    lejre = next(b for r in replies for b in r["buttons"] if "Lejre" in b["title"])
    text = rasa_stack.texts(lejre["payload"], sender)
    # Its nearest house (Brohuset, Ishøj) lies in another region, and rehabilitation is municipal:
    # Lejre's own municipality is named, and no card of another municipality's house is shown.
    assert "Bor du i Lejre Kommune, så kontakt kommunen" in text, text
    assert "i nærheden af Lejre" in text and "Region Hovedstaden" in text


def test_ambiguous_postcode_with_one_answer_is_just_answered(rasa_stack):
    # 2620 lies in Albertslund and Brøndby; both get Sundhedshuset Albertslund.
    text = rasa_stack.texts("genoptræning i 2620", new_sender())
    assert "findes flere steder" not in text and "Sundhedshuset Albertslund" in text


def test_blood_test_process_note(rasa_stack):
    text = rasa_stack.texts("hvor kan jeg få taget en blodprøve i Helsingør?", new_sender())
    assert "henvisning fra en læge" in text


def test_rehabilitation_and_pregnancy_process_notes(rasa_stack):
    rehab = rasa_stack.texts("genoptræning efter knæoperation i Ballerup", new_sender())
    assert "genoptræningsplan" in rehab and "7 dage" in rehab
    pregnancy = rasa_stack.texts("jeg er gravid, hvor finder jeg en jordemoder i Helsingør", new_sender())
    assert "egen læge" in pregnancy


def test_staff_question_about_house_offers(rasa_stack):
    text = rasa_stack.texts("hvilke tilbud har sundhedshuset i Albertslund?", new_sender())
    assert "Sundhedshuset Albertslund" in text and "Omsorgstandpleje" in text


def test_import_changes_answers_without_restart(rasa_stack):
    catalogue = """
version: 1
updated: 2026-11-20
houses:
  - id: test-thisted
    name: Testhuset Thisted
    municipality: Thisted
    address: {street: "Prøvevej 9", postcode: "7700", town: "Thisted"}
    entry_point: {name: Testhusets indgang, phone: "+45 00 00 00 00"}
    services:
      - type: misbrugsraadgivning
        name: Testrådgivning
        hours: {mon: "09:00-12:00"}
        referral: not_required
        booking: {method: drop_in}
"""
    import_catalogue(catalogue, url=rasa_stack.database_url)
    text = rasa_stack.texts("misbrugsrådgivning i Thisted", new_sender())
    assert "Testhuset Thisted" in text and "Prøvevej 9" in text and "man 9.00–12.00" in text
