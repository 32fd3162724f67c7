"""Slot names, in one place (domain.yml declares them); `REQUESTED_SLOT` is rasa_sdk's own."""

from rasa_sdk.forms import REQUESTED_SLOT

__all__ = ["REQUESTED_SLOT"]  # re-exported, so actions name every slot through this module

# --- the conversation: what was asked about, where, and what was shown
SERVICE_TYPE = "service_type"
PLACE = "place"  # a stable place key from bot.places (Place.key), never a display name
MUNICIPALITY = "municipality"
HOUSE_IDS = "house_ids"
AWAITING = "awaiting"
AUDIENCE = "audience"
CONTACT_SERVICE = "contact_service"  # the service a contact question named while the place is asked for

# --- events: registration and cancellation
EVENT_ID = "event_id"
REG_WAITING_LIST = "reg_waiting_list"
REG_NAME = "reg_name"
REG_EMAIL = "reg_email"
REG_ORGANISATION = "reg_organisation"
REG_ROLE = "reg_role"
REG_NOTE = "reg_note"
REG_CONFIRM = "reg_confirm"
CANCEL_EMAIL = "cancel_email"
CANCEL_EVENT = "cancel_event"  # set from the registration the e-mail and code belong to
CANCEL_CODE = "cancel_code"  # the cancellation code as typed (normalised); checked again on submit
CANCEL_ATTEMPTS = "cancel_attempts"  # wrong e-mail/code pairs in this cancellation
CANCEL_CONFIRM = "cancel_confirm"

# --- call-back requests and their withdrawal
CALLBACK_NAME = "callback_name"
CALLBACK_PHONE = "callback_phone"
CALLBACK_TOPIC = "callback_topic"
CALLBACK_CONSENT = "callback_consent"
CALLBACK_REFERENCE = "callback_reference"  # the request made in this conversation
WITHDRAW_REFERENCE = "withdraw_reference"
WITHDRAW_PHONE = "withdraw_phone"

# --- each form's slots, cleared when the form is stopped
REGISTRATION_FORM_SLOTS = (REG_NAME, REG_EMAIL, REG_ORGANISATION, REG_ROLE, REG_NOTE, REG_CONFIRM)
CANCELLATION_FORM_SLOTS = (CANCEL_EMAIL, CANCEL_CODE, CANCEL_EVENT, CANCEL_ATTEMPTS, CANCEL_CONFIRM)
CALLBACK_FORM_SLOTS = (CALLBACK_NAME, CALLBACK_PHONE, CALLBACK_TOPIC, CALLBACK_CONSENT)
WITHDRAW_FORM_SLOTS = (WITHDRAW_REFERENCE, WITHDRAW_PHONE)
