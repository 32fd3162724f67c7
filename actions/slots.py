"""Slot names, in one place."""

SERVICE_TYPE = "service_type"
PLACE = "place"
MUNICIPALITY = "municipality"
HOUSE_IDS = "house_ids"
AWAITING = "awaiting"
AUDIENCE = "audience"
