"""Privacy: CPR masking (text and logs), consent texts and retention periods.

A CPR number is six date digits (DDMMYY) and four more, written
"DDMMYY-XXXX", "DDMMYYXXXX", "DDMMYY XXXX", with any dash, minus or hyphen,
or split anywhere by spaces, dots, dashes or slashes ("DD.MM.YY-XXXX",
"01/01/90 12 34"); the text is Unicode-normalised first (`normalise`). Only a real calendar date counts, so a
Danish phone number (eight digits), a year ("12.03.2024") or an amount is left
alone; a bare ten-digit number whose first six digits form a date is treated
as a CPR number, because we cannot tell them apart and a false alarm is cheap.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable

from bot import settings
from bot.wording import text

CPR_MASK = "[CPR fjernet]"

# Retention: how long personal data is kept by default. The environment may change a period
# ({KIND}_RETENTION_DAYS, bot/settings.py); `retention_days` is what the retention job deletes
# by and what every text promises, so the two cannot disagree.
REGISTRATION_RETENTION_DAYS = 30  # after the event has ended
CALLBACK_RETENTION_DAYS = 30  # after the request was made
CONVERSATION_RETENTION_DAYS = 30  # after each message (the README and the welcome promise it)
_DEFAULT_RETENTION_DAYS = {
    "REGISTRATION": REGISTRATION_RETENTION_DAYS,
    "CALLBACK": CALLBACK_RETENTION_DAYS,
    "CONVERSATION": CONVERSATION_RETENTION_DAYS,
}


def retention_days(kind: str) -> int:
    """Days `kind` (REGISTRATION, CALLBACK, CONVERSATION) is kept, as configured now."""
    return settings.retention_days(kind, _DEFAULT_RETENTION_DAYS[kind])


# The texts themselves are in bot/copy/privacy.yml; they are composed when asked for, so a
# changed setting counts at once.


def data_controller() -> str:
    """Who is responsible for the data, from configuration; says so when it is not configured."""
    name, contact = settings.data_controller_name(), settings.data_controller_contact()
    if not name:
        return text("privacy.controller.not_configured")
    if not contact:
        return text("privacy.controller.named", name=name)
    return text("privacy.controller.named_with_contact", name=name, contact=contact)


def registration_purpose() -> str:
    """Purpose, retention, withdrawal and who is responsible: said before anything is asked."""
    return " ".join(
        [
            text("privacy.registration_purpose", days=retention_days("REGISTRATION")),
            text("privacy.registration_withdraw"),
            data_controller(),
        ]
    )


def callback_purpose() -> str:
    """Purpose, retention, withdrawal and who is responsible: said before consent is asked."""
    return " ".join(
        [
            text("privacy.callback_purpose", days=retention_days("CALLBACK")),
            text("privacy.callback_withdraw"),
            data_controller(),
        ]
    )


CALLBACK_CONSENT_QUESTION = text("privacy.callback_consent_question")
CPR_WARNING = text("privacy.cpr_warning")

# Text is normalised before it is searched: NFKC (full-width digits, no-break spaces), then
# every dash, minus and hyphen becomes "-", every slash "/", other spaces " ", and
# invisible characters (zero-width space, soft hyphen, word joiner) are dropped.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u002d"
_SLASHES = "\u2044\u2215\u29f8\uff0f"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_NORMALISE = str.maketrans(
    {**{c: "-" for c in _DASHES}, **{c: "/" for c in _SLASHES}, **{c: None for c in _INVISIBLE}}
)
# Between two digits of the number: nothing, or a dash, dot or slash, with a space either side.
_SEP = r"(?:[ \t]?[\-./]?[ \t]?)"
# Ten digits, not preceded by a digit or "+" (a country code), not followed by more digits.
_CPR_PATTERN = re.compile(rf"(?<![\d+])\d(?:{_SEP}\d){{9}}(?!{_SEP}\d)")
_NON_DIGITS = re.compile(r"\D")

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def normalise(text: str) -> str:
    """The text as CPR numbers are searched in: NFKC, one kind of dash, slash and space."""
    normalised = unicodedata.normalize("NFKC", text).translate(_NORMALISE)
    return re.sub(r"[^\S\n]", " ", normalised)  # tabs and the remaining Unicode spaces


def _is_cpr_date(day: int, month: int, year: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2 and day == 29:
        # The century is not known here; 00 may be 1900 (not leap) or 2000 (leap).
        return year % 4 == 0
    return day <= _DAYS_IN_MONTH[month - 1]


def _cpr_matches(normalised: str) -> Iterable[re.Match[str]]:
    for match in _CPR_PATTERN.finditer(normalised):
        digits = _NON_DIGITS.sub("", match.group())
        if _is_cpr_date(int(digits[0:2]), int(digits[2:4]), int(digits[4:6])):
            yield match


def contains_cpr(text: str | None) -> bool:
    """True when the text holds a CPR number, or one the channel already masked on arrival."""
    if not text:
        return False
    return CPR_MASK in text or any(True for _ in _cpr_matches(normalise(text)))


def mask_cpr(text: str) -> str:
    """The text with every CPR number replaced by "[CPR fjernet]".

    A text without one comes back unchanged; a text with one comes back normalised
    (see `normalise`) around the masks.
    """
    if not text:
        return text
    normalised = normalise(text)
    parts: list[str] = []
    last = 0
    for match in _cpr_matches(normalised):
        parts.append(normalised[last : match.start()])
        parts.append(CPR_MASK)
        last = match.end()
    if last == 0:
        return text
    parts.append(normalised[last:])
    return "".join(parts)


class CprMaskingFilter(logging.Filter):
    """Masks CPR numbers in a log record's message, arguments, exception and stack text.

    It never drops a record. The message is formatted once here; when it held a
    CPR number, the masked text replaces `msg` and `args` is cleared.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except (TypeError, ValueError, KeyError):  # a broken format string: mask the parts we have
        message = None
    if message is not None:
        masked = mask_cpr(message)
        if masked != message:
            record.msg, record.args = masked, None
    elif isinstance(record.msg, str):
        record.msg = mask_cpr(record.msg)
        record.args = _mask_args(record.args)
    if record.exc_info and not record.exc_text:
        # Formatter.format reuses exc_text, so the traceback is masked before it is written.
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_cpr(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_cpr(record.stack_info)
    return record


def _mask_args(args: object) -> object:
    if isinstance(args, tuple):
        return tuple(mask_cpr(a) if isinstance(a, str) else a for a in args)
    if isinstance(args, dict):
        return {k: mask_cpr(v) if isinstance(v, str) else v for k, v in args.items()}
    return args


LOGGERS_TO_FILTER = ("rasa", "rasa_sdk", "sanic", "sanic.root", "sanic.error", "sanic.access")

_installed_factory = False


def install_log_filter(logger_names: Iterable[str] = LOGGERS_TO_FILTER) -> CprMaskingFilter:
    """Mask CPR numbers in everything logged from now on. Safe to call more than once.

    Attaches one `CprMaskingFilter` to the root logger's handlers and to the named
    loggers and their handlers. A filter on a logger only sees records logged on
    that very logger, and handlers added later carry no filter, so the log-record
    factory is wrapped as well: every record is masked when it is created.
    Call it again after logging is (re)configured to cover new handlers too.
    """
    global _installed_factory
    log_filter = _existing_filter() or CprMaskingFilter()
    targets: list[logging.Filterer] = list(logging.getLogger().handlers)
    for name in logger_names:
        logger = logging.getLogger(name)
        targets.append(logger)
        targets.extend(logger.handlers)
    for target in targets:
        if not any(isinstance(f, CprMaskingFilter) for f in target.filters):
            target.addFilter(log_filter)
    if not _installed_factory:
        previous_factory = logging.getLogRecordFactory()

        def masking_factory(*args: object, **kwargs: object) -> logging.LogRecord:
            return mask_record(previous_factory(*args, **kwargs))

        logging.setLogRecordFactory(masking_factory)
        _installed_factory = True
    return log_filter


def _existing_filter() -> CprMaskingFilter | None:
    for handler in logging.getLogger().handlers:
        for log_filter in handler.filters:
            if isinstance(log_filter, CprMaskingFilter):
                return log_filter
    return None
