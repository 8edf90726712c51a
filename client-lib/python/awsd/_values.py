"""Python values to the daemon's JSON and back, as boto3 has them: datetimes
and bytes, placed by the operation's value types (the daemon describes where
timestamps and blobs sit; the client holds no model)."""
import base64
import json
import sys

TIMESTAMP = "@timestamp"
BLOB = "@blob"


class ValueTypes:
    """One operation's value types (ServiceDescription.Operation.value_types_json)."""

    def __init__(self, text):
        parsed = json.loads(text) if text else {}
        self.input = parsed.get("input")
        self.output = parsed.get("output")
        self.shapes = parsed.get("shapes", {})

    def params_json(self, params):
        return json.dumps(_to_json(params, self.input, self.shapes), separators=(",", ":"))

    def result(self, text):
        return from_json(json.loads(text), self.output, self.shapes)


def _to_json(value, ref, shapes):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    # A date or datetime value means its module is loaded: a program without
    # timestamps never pays for importing it.
    datetime = sys.modules.get("datetime")
    if datetime is not None and isinstance(value, datetime.date):
        # botocore reads a naive datetime as UTC.
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.isoformat()
    if ref == BLOB:
        if isinstance(value, str):
            return base64.b64encode(value.encode("utf-8")).decode("ascii")
        if hasattr(value, "read"):
            return _to_json(value.read(), ref, shapes)
        return value
    node = shapes.get(ref) if isinstance(ref, str) else None
    if isinstance(value, dict):
        members = node.get("members") if node else None
        inner = node.get("map") if node else None
        return {k: _to_json(v, members.get(k) if members is not None else inner, shapes) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        inner = node.get("list") if node else None
        return [_to_json(v, inner, shapes) for v in value]
    return value


def from_json(value, ref, shapes):
    """A JSON value from the daemon with its timestamps as aware datetimes and
    its blobs as bytes."""
    if ref is None or value is None:
        return value
    if ref == TIMESTAMP:
        return parse_timestamp(value)
    if ref == BLOB:
        return base64.b64decode(value) if isinstance(value, str) else value
    node = shapes.get(ref)
    if node is None:
        return value
    if isinstance(value, dict):
        members = node.get("members")
        if members is not None:
            for key, member_ref in members.items():
                if key in value:
                    value[key] = from_json(value[key], member_ref, shapes)
        elif "map" in node:
            for key in value:
                value[key] = from_json(value[key], node["map"], shapes)
    elif isinstance(value, list) and "list" in node:
        for i, item in enumerate(value):
            value[i] = from_json(item, node["list"], shapes)
    return value


def parse_timestamp(value):
    import datetime

    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)
    return value


def response_metadata(metadata):
    """botocore's ResponseMetadata from the daemon's."""
    result = {"RequestId": metadata.request_id} if metadata.request_id else {}
    if metadata.host_id:
        result["HostId"] = metadata.host_id
    result["HTTPStatusCode"] = metadata.http_status
    result["HTTPHeaders"] = {h.name.lower(): h.value for h in metadata.http_headers}
    result["RetryAttempts"] = metadata.retry_attempts
    return result
