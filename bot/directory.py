"""Where can I get X near Y: houses offering a service, the place's own first.

Reads the services database through a session passed in (2.0-style `select()`)
and returns plain dataclasses holding the ORM rows. A house is *at* a place
when it lies in one of the place's municipalities, or when its `serves` list
names one of them. When no house at the place offers the service, the nearest
houses that do are returned with `nearby=True`, so the answer can say so
honestly ("Der er ikke et sundhedshus med X i Y. Nærmeste er ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.models import EntryPoint, House, Service
from bot.places import Place, distance_km, municipality_centre, place_centre
from bot.vocabulary import is_service_type

Audience = Literal["citizen", "staff"]
MatchKind = Literal["in_place", "serves_place", "nearby", "anywhere"]
Reason = Literal["unknown_service", "no_house_offers_service"]


@dataclass(frozen=True)
class HouseOffer:
    """A house and the service(s) of the asked type it offers."""

    house: House
    services: tuple[Service, ...]  # in catalogue order; usually one
    match: MatchKind
    distance_km: float | None  # from the place's municipality centre; None without a place

    @property
    def service(self) -> Service:
        return self.services[0]

    @property
    def hours(self) -> dict[str, Any] | None:
        """The hours that apply: the service's own, else the house's opening hours, else None."""
        return self.service.hours if self.service.hours is not None else self.house.opening_hours

    @property
    def hours_source(self) -> Literal["service", "house"] | None:
        if self.service.hours is not None:
            return "service"
        return "house" if self.house.opening_hours is not None else None


@dataclass(frozen=True)
class DirectoryResult:
    service_code: str
    place: Place | None
    offers: tuple[HouseOffer, ...]
    nearby: bool = False  # True: none at the place; `offers` are the nearest elsewhere
    reason: Reason | None = None  # why `offers` is empty
    total: int = 0  # how many houses matched before `limit`

    @property
    def found(self) -> bool:
        return bool(self.offers)

    @property
    def at_place(self) -> bool:
        return self.found and not self.nearby


def visible_to(service: Service, audience: Audience) -> bool:
    """Staff see every service; citizens those without an audience or marked `citizen`."""
    if audience == "staff":
        return True
    return not service.audience or audience in service.audience


def _house_point(house: House) -> tuple[float, float] | None:
    if house.lat is not None and house.lon is not None:
        return house.lat, house.lon
    return municipality_centre(house.municipality)


def house_distance_km(place: Place | None, house: House) -> float | None:
    """Kilometres from the place's centre to the house (its own point, else its municipality's)."""
    origin = place_centre(place) if place else None
    point = _house_point(house)
    if origin is None or point is None:
        return None
    return round(distance_km(origin, point), 1)


def _place_tier(place: Place, house: House) -> tuple[int, int] | None:
    """(0, k): in the place's k-th municipality; (1, k): serves it; None: not at the place."""
    if house.municipality in place.municipalities:
        return 0, place.municipalities.index(house.municipality)
    served = [place.municipalities.index(m) for m in (house.serves or []) if m in place.municipalities]
    return (1, min(served)) if served else None


def _match_kind(place: Place, house: House) -> MatchKind:
    tier = _place_tier(place, house)
    if tier is None:
        return "nearby"
    return "in_place" if tier[0] == 0 else "serves_place"


def _in_postcode_area(place: Place, house: House) -> bool:
    return house.postcode == place.postcode or house.postcode in place.postcodes


def _rank_at_place(place: Place, house: House) -> tuple:
    tier = _place_tier(place, house)
    distance = house_distance_km(place, house)
    return (
        tier if tier is not None else (2, 0),
        0 if _in_postcode_area(place, house) else 1,
        distance if distance is not None else float("inf"),
        house.position,
    )


def _houses_query():
    return select(House).options(selectinload(House.services), selectinload(House.entry_point))


def _all_houses(session: Session) -> list[House]:
    return list(session.execute(_houses_query().order_by(House.position, House.id)).scalars())


def find_houses(
    session: Session,
    service_code: str,
    place: Place | None,
    audience: Audience = "citizen",
    limit: int = 3,
) -> DirectoryResult:
    """Houses offering `service_code` at `place`, best first; else the nearest ones.

    Without a place: every house offering it, in catalogue order (`match="anywhere"`).
    """
    if not is_service_type(service_code):
        return DirectoryResult(service_code, place, (), reason="unknown_service")
    query = _houses_query().where(House.services.any(Service.type == service_code))
    offers = []
    for house in session.execute(query.order_by(House.position, House.id)).scalars():
        services = tuple(s for s in house.services if s.type == service_code and visible_to(s, audience))
        if services:
            offers.append((house, services))
    if not offers:
        return DirectoryResult(service_code, place, (), reason="no_house_offers_service")
    if place is None:
        chosen = [HouseOffer(h, s, "anywhere", None) for h, s in offers]
        return DirectoryResult(service_code, None, tuple(chosen[:limit]), total=len(chosen))

    at_place = [(h, s) for h, s in offers if _place_tier(place, h) is not None]
    if at_place:
        at_place.sort(key=lambda pair: _rank_at_place(place, pair[0]))
        chosen = [HouseOffer(h, s, _match_kind(place, h), house_distance_km(place, h)) for h, s in at_place]
        return DirectoryResult(service_code, place, tuple(chosen[:limit]), total=len(chosen))

    offers.sort(key=lambda pair: _rank_at_place(place, pair[0]))
    chosen = [HouseOffer(h, s, "nearby", house_distance_km(place, h)) for h, s in offers]
    return DirectoryResult(service_code, place, tuple(chosen[:limit]), nearby=True, total=len(chosen))


def houses_at(session: Session, place: Place) -> list[House]:
    """Houses in the place's municipalities or serving them; own municipality and postcode first."""
    houses = [h for h in _all_houses(session) if _place_tier(place, h) is not None]
    return sorted(houses, key=lambda h: _rank_at_place(place, h))


def nearest_houses(session: Session, place: Place, limit: int = 3) -> list[House]:
    """All houses ranked for the place: those at it first, then by distance."""
    return sorted(_all_houses(session), key=lambda h: _rank_at_place(place, h))[:limit]


def get_house(session: Session, house_id: str) -> House | None:
    return session.execute(_houses_query().where(House.id == house_id)).scalars().first()


def entry_point_for(
    session: Session,
    place: Place | None = None,
    house_id: str | None = None,
    nearest: bool = False,
) -> tuple[House, EntryPoint] | None:
    """The single entry point to send a person to.

    A named house wins; else the first house at the place; with `nearest=True`
    the nearest house when none is at the place. None when there is none (or
    neither a house nor a place was given and the catalogue has several houses).
    """
    if house_id:
        house = get_house(session, house_id)
        return (house, house.entry_point) if house and house.entry_point else None
    if place is not None:
        candidates = houses_at(session, place)
        if not candidates and nearest:
            candidates = nearest_houses(session, place, limit=1)
    else:
        everything = _all_houses(session)
        candidates = everything if len(everything) == 1 else []
    for house in candidates:
        if house.entry_point is not None:
            return house, house.entry_point
    return None


def services_of_house(
    session: Session,
    house_id_or_place: str | Place,
    audience: Audience = "citizen",
) -> list[HouseOffer]:
    """The services a house (by id) or the houses at a place offer, one offer per service.

    Staff see staff-only services too. Unknown house or no house at the place: empty.
    """
    if isinstance(house_id_or_place, Place):
        place: Place | None = house_id_or_place
        houses: Sequence[House] = houses_at(session, house_id_or_place)
    else:
        place = None
        house = get_house(session, house_id_or_place)
        houses = [house] if house else []
    offers = []
    for house in houses:
        match = _match_kind(place, house) if place else "anywhere"
        for service in house.services:
            if visible_to(service, audience):
                offers.append(HouseOffer(house, (service,), match, house_distance_km(place, house)))
    return offers
