"""Privacy: CPR masking (text and logs), consent texts and retention periods.

A CPR number is six date digits (DDMMYY) and four more, written
"DDMMYY-XXXX", "DDMMYYXXXX", "DDMMYY XXXX" or with the date split by dots,
dashes or spaces ("DD.MM.YY-XXXX"). Only a real calendar date counts, so a
Danish phone number (eight digits), a year ("12.03.2024") or an amount is left
alone; a bare ten-digit number whose first six digits form a date is treated
as a CPR number, because we cannot tell them apart and a false alarm is cheap.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.wording import text

CPR_MASK = "[CPR fjernet]"

# Retention: how long personal data is kept (the texts below promise this).
REGISTRATION_RETENTION_DAYS = 30  # after the event has ended
CALLBACK_RETENTION_DAYS = 30  # after the request was made

# The texts themselves are in bot/copy/privacy.yml.
REGISTRATION_PURPOSE = text("privacy.registration_purpose", days=REGISTRATION_RETENTION_DAYS)
CALLBACK_PURPOSE = text("privacy.callback_purpose", days=CALLBACK_RETENTION_DAYS)
CALLBACK_CONSENT_QUESTION = text("privacy.callback_consent_question")
CPR_WARNING = text("privacy.cpr_warning")

# Not preceded by a digit or "+" (a country code), not followed by a digit.
_CPR_PATTERN = re.compile(
    r"(?<![\d+])"
    r"(?P<day>\d{2})[ .\-]?(?P<month>\d{2})[ .\-]?(?P<year>\d{2})"
    r"(?:\s?[\-.]\s?|\s)?"
    r"(?P<serial>\d{4})"
    r"(?!\d)"
)

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_cpr_date(day: int, month: int, year: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2 and day == 29:
        # The century is not known here; 00 may be 1900 (not leap) or 2000 (leap).
        return year % 4 == 0
    return day <= _DAYS_IN_MONTH[month - 1]


def _cpr_matches(text: str) -> Iterable[re.Match[str]]:
    for match in _CPR_PATTERN.finditer(text):
        if _is_cpr_date(int(match["day"]), int(match["month"]), int(match["year"])):
            yield match


def contains_cpr(text: str | None) -> bool:
    return bool(text) and any(True for _ in _cpr_matches(text))


def mask_cpr(text: str) -> str:
    """The text with every CPR number replaced by "[CPR fjernet]"."""
    if not text:
        return text
    parts: list[str] = []
    last = 0
    for match in _cpr_matches(text):
        parts.append(text[last : match.start()])
        parts.append(CPR_MASK)
        last = match.end()
    if last == 0:
        return text
    parts.append(text[last:])
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
