"""LMP documents as ISO-NE writes them (WIRE.md 3): XML in namespace http://WEBSERV.iso-ne.com valid
against the project's schema, items in ISO-NE's field order; JSON in the Jettison mapping (root name
wrapper, "@" attributes as strings, "$" text, numbers as numbers, one item as an object, an empty
answer as ""), the singular root on current/location; both forms give the same numbers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from lxml import etree

from tests.isone.webservices.conftest import NS, at, get, json_of, rows, xml_of

# ISO-NE's type_Lmp sequence (its XSD), written here as the oracle.
LMP_FIELDS = ["BeginDate", "Location", "LmpTotal", "EnergyComponent", "CongestionComponent", "LossComponent"]
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[45]:00$")


def test_an_hourly_lmp_item_is_iso_nes_sequence(feeds: TestClient) -> None:
    root = xml_of(feeds, "/hourlylmp/da/final/day/20210816")
    assert etree.QName(root).localname == "HourlyLmps" and root.nsmap[None] == NS["w"]
    first = root.find("w:HourlyLmp", NS)
    assert [etree.QName(child).localname for child in first] == LMP_FIELDS
    location = first.find("w:Location", NS)
    assert set(location.attrib) == {"LocId", "LocType"} and location.text
    assert TIME.match(first.findtext("w:BeginDate", namespaces=NS))


def test_json_is_the_jettison_mapping(feeds: TestClient) -> None:
    items = rows(json_of(feeds, "/hourlylmp/da/final/day/20210816"), "HourlyLmps", "HourlyLmp")
    hub = next(i for i in items if i["Location"]["@LocId"] == "4000")
    assert list(hub) == LMP_FIELDS
    assert hub["Location"] == {"@LocId": "4000", "@LocType": "HUB", "$": ".H.INTERNAL_HUB"}
    assert all(isinstance(hub[f], int | float) for f in LMP_FIELDS[2:])
    assert hub["CongestionComponent"] == 0 and isinstance(hub["CongestionComponent"], int)  # not 0.0
    assert hub["BeginDate"] == "2021-08-16T00:00:00.000-04:00"


def test_one_location_now_answers_the_singular_root_as_an_object(feeds: TestClient) -> None:
    document = json_of(feeds, "/hourlylmp/da/final/current/location/4001")
    assert list(document) == ["HourlyLmp"] and isinstance(document["HourlyLmp"], dict)
    assert document["HourlyLmp"]["Location"]["$"] == ".Z.MAINE"
    assert document["HourlyLmp"]["BeginDate"] == "2021-08-20T14:00:00.000-04:00"  # the hour in force
    root = xml_of(feeds, "/hourlylmp/da/final/current/location/4001")
    assert etree.QName(root).localname == "HourlyLmp"


def test_nothing_published_yet_is_an_empty_root(feeds: TestClient) -> None:
    at(feeds, "2021-08-16T12:00:00Z")  # 08:00 EDT: the 18th's day-ahead market has not run
    assert json_of(feeds, "/hourlylmp/da/final/day/20210818") == {"HourlyLmps": ""}
    root = xml_of(feeds, "/hourlylmp/da/final/day/20210818")
    assert len(root) == 0


def test_xml_and_json_give_the_same_numbers(feeds: TestClient) -> None:
    path = "/hourlylmp/rt/prelim/day/20210819"
    root = xml_of(feeds, path)
    from_xml = [
        (
            i.findtext("w:BeginDate", namespaces=NS),
            i.find("w:Location", NS).get("LocId"),
            *(float(i.findtext(f"w:{f}", namespaces=NS)) for f in LMP_FIELDS[2:]),
        )
        for i in root.iterfind("w:HourlyLmp", NS)
    ]
    from_json = [
        (i["BeginDate"], i["Location"]["@LocId"], *(float(i[f]) for f in LMP_FIELDS[2:]))
        for i in rows(json_of(feeds, path), "HourlyLmps", "HourlyLmp")
    ]
    assert from_xml == from_json and len(from_xml) > 24


def test_current_shows_the_hub_zones_and_external_nodes_and_all_every_priced_location(
    feeds: TestClient,
) -> None:
    current = rows(json_of(feeds, "/fiveminutelmp/current"), "FiveMinLmps", "FiveMinLmp")
    ids = sorted(int(i["Location"]["@LocId"]) for i in current)
    assert ids == [4000, *range(4001, 4009), 4010, 4011, 4012, 4013, 4014, 4017, 4018]
    everything = rows(json_of(feeds, "/fiveminutelmp/current/all"), "FiveMinLmps", "FiveMinLmp")
    kinds = {i["Location"]["@LocType"] for i in everything}
    assert kinds == {"HUB", "LOAD ZONE", "EXT. NODE", "HUB NODE", "NETWORK NODE"} and len(everything) > 300
    zones = rows(
        json_of(feeds, "/fiveminutelmp/current/locationType/LOAD%20ZONE"), "FiveMinLmps", "FiveMinLmp"
    )
    assert sorted(int(i["Location"]["@LocId"]) for i in zones) == list(range(4001, 4009))


def test_locations_are_iso_nes(feeds: TestClient) -> None:
    core = rows(json_of(feeds, "/locations"), "Locations", "Location")
    assert len(core) == 20 and all(
        set(i) == {"LocationID", "LocationType", "LocationName", "AreaType"} for i in core
    )
    assert {
        "LocationID": 4011,
        "LocationType": "EXT. NODE",
        "LocationName": ".I.ROSETON 345 1",
        "AreaType": "EXTERNAL",
    } in core
    everything = rows(json_of(feeds, "/locations/all"), "Locations", "Location")
    nodes = [i for i in everything if i["LocationType"] == "NETWORK NODE"]
    typed = [i["NetworkNodeType"] for i in nodes if "NetworkNodeType" in i]  # ISO-NE's AR.* nodes lack it
    assert len(typed) > len(nodes) * 0.9 and set(typed) == {"UNIT", "LOAD"}
    assert not any("NetworkNodeType" in i for i in everything if i["LocationType"] != "NETWORK NODE")
    assert any("  " in i["LocationName"] for i in everything)  # names keep their inner spaces
    one = json_of(feeds, "/locations/4000")
    assert one == {
        "Location": {
            "LocationID": 4000,
            "LocationType": "HUB",
            "LocationName": ".H.INTERNAL_HUB",
            "AreaType": "INTERNAL",
        }
    }
    xml_of(feeds, "/locations/all")


def test_info_says_what_was_published_last(feeds: TestClient) -> None:
    info = json_of(feeds, "/fiveminutelmp/prelim/info")["ServiceInfo"]
    assert info == {
        "LatestBeginDate": "2021-08-20T14:00:00.000-04:00",
        "CreationDate": "2021-08-20T14:00:25.000-04:00",
    }
    root = xml_of(feeds, "/hourlylmp/da/final/info")
    assert [etree.QName(c).localname for c in root] == ["LatestBeginDate", "CreationDate"]
    assert root.findtext("w:LatestBeginDate", namespaces=NS) == "2021-08-21T23:00:00.000-04:00"  # tomorrow's


def test_a_day_in_json_keeps_its_one_item_as_an_object(feeds: TestClient) -> None:
    one = get(feeds, "/fiveminutelmp/prelim/current/location/4000.json").json()
    body = one["FiveMinLmps"]["FiveMinLmp"]  # ISO-NE documents the plural root on this form
    assert isinstance(body, dict) and body["Location"]["@LocId"] == "4000"
