"""bot.privacy: CPR numbers are masked in text and in real log output; other numbers are left alone."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot import privacy, retention
from bot.privacy import CPR_MASK, CprMaskingFilter, contains_cpr, install_log_filter, mask_cpr
from bot.web.privacy_page import privacy_page
from tests.cpr_spellings import CPR_SPELLINGS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010190-1234", CPR_MASK),
        ("0101901234", CPR_MASK),
        ("010190 1234", CPR_MASK),
        ("010190 - 1234", CPR_MASK),
        ("01.01.90-1234", CPR_MASK),
        ("01-01-90-1234", CPR_MASK),
        ("01 01 90 1234", CPR_MASK),
        ("010190.1234", CPR_MASK),
        ("Mit cpr-nummer er 311299-4321, kan I ringe?", f"Mit cpr-nummer er {CPR_MASK}, kan I ringe?"),
        ("cpr:0101901234.", f"cpr:{CPR_MASK}."),
        ("290200-1234", CPR_MASK),  # 29 February in a leap year
        ("to numre: 010190-1234 og 020290-4321", f"to numre: {CPR_MASK} og {CPR_MASK}"),
    ],
)
def test_cpr_numbers_are_masked(text: str, expected: str) -> None:
    assert contains_cpr(text)
    assert mask_cpr(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12 34 56 78",  # a Danish phone number has eight digits
        "12345678",
        "+45 12 34 56 78",
        "+4512345678",
        "0045 20 30 40 50",
        "den 12.03.2024",  # a date with a four-digit year
        "2024-03-12",
        "12.03.2024 kl. 16.30",
        "1.234.567 kr.",
        "kr. 12.500,00",
        "3100001234",  # month 00 is not a date
        "3213901234",  # day 32
        "300290-1234",  # 30 February
        "290201-1234",  # 29 February, not a leap year
        "01019012345",  # eleven digits
        "Postnummer 2620, vej nr. 45",
        "",
    ],
)
def test_other_numbers_are_not_masked(text: str) -> None:
    assert not contains_cpr(text)
    assert mask_cpr(text) == text


def test_consent_texts_state_purpose_and_retention() -> None:
    assert "30 dage efter arrangementet" in privacy.registration_purpose()
    assert "ringe dig op" in privacy.callback_purpose()
    assert f"{privacy.CALLBACK_RETENTION_DAYS} dage" in privacy.callback_purpose()


@pytest.mark.parametrize("kind", ["REGISTRATION", "CALLBACK", "CONVERSATION"])
def test_retention_in_the_texts_is_the_setting_the_retention_job_uses(kind: str, monkeypatch) -> None:
    monkeypatch.setenv(f"{kind}_RETENTION_DAYS", "17")
    assert privacy.retention_days(kind) == 17
    page = privacy_page()
    assert page.count("17 dage") == 1
    if kind == "REGISTRATION":
        assert "senest 17 dage efter arrangementet" in privacy.registration_purpose()
    if kind == "CALLBACK":
        assert "senest 17 dage efter din henvendelse" in privacy.callback_purpose()


def test_retention_job_deletes_by_the_same_periods(monkeypatch) -> None:
    seen: dict[str, int] = {}
    monkeypatch.setenv("REGISTRATION_RETENTION_DAYS", "11")
    monkeypatch.setenv("CALLBACK_RETENTION_DAYS", "12")
    monkeypatch.setattr(
        retention.events, "purge_expired_registrations", lambda url, now, days: seen.setdefault("reg", days)
    )
    monkeypatch.setattr(
        retention.callbacks, "purge_expired_callbacks", lambda url, now, days: seen.setdefault("cb", days)
    )
    monkeypatch.setattr(retention, "_delete_tracker_events", lambda *args: 0)
    retention.purge_expired("sqlite://", "sqlite://")
    assert seen == {"reg": 11, "cb": 12}


def test_data_controller_comes_from_configuration(monkeypatch) -> None:
    monkeypatch.delenv("DATA_CONTROLLER_NAME", raising=False)
    monkeypatch.delenv("DATA_CONTROLLER_CONTACT", raising=False)
    assert "ikke angivet nogen dataansvarlig" in privacy.data_controller()
    monkeypatch.setenv("DATA_CONTROLLER_NAME", "Region Testland")
    assert privacy.data_controller() == "Region Testland er ansvarlig for dine oplysninger (dataansvarlig)."
    monkeypatch.setenv("DATA_CONTROLLER_CONTACT", "dpo@example.invalid")
    assert "Kontakt: dpo@example.invalid." in privacy.data_controller()
    assert "Region Testland" in privacy_page() and "dpo@example.invalid" in privacy_page()


def test_privacy_page_escapes_the_configured_controller(monkeypatch) -> None:
    monkeypatch.setenv("DATA_CONTROLLER_NAME", "<script>x</script>")
    assert "<script>x" not in privacy_page()


def _handler_output(
    logger: logging.Logger, handler_filter: logging.Filter | None
) -> tuple[io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    if handler_filter is not None:
        handler.addFilter(handler_filter)
    logger.addHandler(handler)
    return stream, handler


def test_filter_masks_message_args_and_traceback_in_a_real_logging_call() -> None:
    logger = logging.getLogger("test.privacy.filter")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    stream, handler = _handler_output(logger, CprMaskingFilter())
    try:
        logger.info("Bruger skrev: %s", "mit cpr er 010190-1234")
        logger.warning("Direkte i beskeden 0101901234")
        logger.info("Ordbog %(tekst)s", {"tekst": "01.01.90-1234"})
        try:
            raise ValueError("ugyldigt input 010190-1234")
        except ValueError:
            logger.exception("Fejl ved %s", "besked")
        logger.info("Ring på %s", "12 34 56 78")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "1234" not in output.replace("12 34 56 78", "")
    assert f"INFO Bruger skrev: mit cpr er {CPR_MASK}" in output
    assert f"WARNING Direkte i beskeden {CPR_MASK}" in output
    assert f"INFO Ordbog {CPR_MASK}" in output
    assert "Ring på 12 34 56 78" in output  # a phone number is left alone
    assert "ValueError: ugyldigt input [CPR fjernet]" in output


def test_unfiltered_handler_would_leak_the_number() -> None:
    """Shows the test above can fail: without the filter the CPR number is written.

    Another module imported earlier in the run may have installed the masking record
    factory for the whole process; this test needs plain logging, so it sets it for itself.
    """
    logger = logging.getLogger("test.privacy.unfiltered")
    logger.propagate = False
    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    stream, handler = _handler_output(logger, None)
    try:
        logger.warning("Bruger skrev: %s", "010190-1234")
    finally:
        logger.removeHandler(handler)
        logging.setLogRecordFactory(factory)
    assert "010190-1234" in stream.getvalue()


@pytest.fixture
def restore_logging() -> Iterator[None]:
    factory = logging.getLogRecordFactory()
    installed = privacy._installed_factory
    root_filters = {h: list(h.filters) for h in logging.getLogger().handlers}
    rasa_logger = logging.getLogger("rasa")
    rasa_filters = list(rasa_logger.filters)
    yield
    logging.setLogRecordFactory(factory)
    privacy._installed_factory = installed
    for handler, filters in root_filters.items():
        handler.filters = filters
    rasa_logger.filters = rasa_filters


def test_install_log_filter_covers_rasa_root_handlers_and_later_handlers(
    restore_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    install_log_filter()
    install_log_filter()  # twice is harmless
    rasa_logger = logging.getLogger("rasa")
    assert sum(isinstance(f, CprMaskingFilter) for f in rasa_logger.filters) == 1
    assert all(
        sum(isinstance(f, CprMaskingFilter) for f in h.filters) == 1 for h in logging.getLogger().handlers
    )

    caplog.set_level(logging.INFO)
    logging.getLogger("rasa.core.processor").info("Received user message 'mit cpr er 010190-1234'")
    assert "010190-1234" not in caplog.text
    assert f"mit cpr er {CPR_MASK}" in caplog.text

    # A handler added after installation, on a logger no one told us about.
    late_logger = logging.getLogger("test.privacy.late")
    late_logger.propagate = False
    stream, handler = _handler_output(late_logger, None)
    try:
        late_logger.warning("CPR %s", "0101901234")
    finally:
        late_logger.removeHandler(handler)
    assert stream.getvalue().strip() == f"WARNING CPR {CPR_MASK}"


@pytest.mark.parametrize("spelling", CPR_SPELLINGS)
def test_every_spelling_of_a_cpr_number_is_masked(spelling: str) -> None:
    text = f"mit cpr er {spelling}, tak"
    assert contains_cpr(text)
    assert mask_cpr(text) == f"mit cpr er {CPR_MASK}, tak"


@pytest.mark.parametrize(
    "text",
    [
        "ring 20 30 40 50 eller 70 10 20 30",
        "12/03/2024",
        "tlf. 20\u201330\u201340\u201350",
        "+45 20 30 40 50 60",
    ],
)
def test_normalising_does_not_mask_other_numbers(text: str) -> None:
    assert mask_cpr(text) == text
