"""OASIS's own errors: a code and its text, answered as a zip holding INVALID_REQUEST.xml with HTTP
200 (see codec.error_zip). Only the rate limit answers with an HTTP error (429)."""

from __future__ import annotations

NO_DATA = 1000
BAD_DATETIME = 1002
SPAN_TOO_LONG = 1004
NO_SUCH_REPORT = 1005
EMPTY_QUERY = 1011
BEYOND_RETENTION = 1014
GROUP_IN_PROCESSING = 1015
NO_SUCH_GROUP = 1016
TOO_MANY_NODES = 1017
BAD_VERSION = 1020

DESCRIPTIONS = {
    NO_DATA: "No data returned for the specified selection",
    BAD_DATETIME: "Invalid datetime format, please use format YYYYMMDDTHH24:MI-HHMM or YYYYMMDDTHH24:MI+HHMM",
    SPAN_TOO_LONG: "Data can be requested for period of 31 days only",
    NO_SUCH_REPORT: "Report name does not exist, please check the queryname",
    EMPTY_QUERY: "Empty query",
    BEYOND_RETENTION: "Start date beyond the limit of data retention",
    GROUP_IN_PROCESSING: "GroupZip download is in processing, please submit request later",
    NO_SUCH_GROUP: "GROUPID does not exist",
    TOO_MANY_NODES: "Node list exceeds the maximum of 10 nodes, request 10 nodes or fewer or ALL",
    BAD_VERSION: "Version parameter is missing or is invalid",
}


class OasisError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(DESCRIPTIONS[code])
        self.code = code
        self.description = DESCRIPTIONS[code]
