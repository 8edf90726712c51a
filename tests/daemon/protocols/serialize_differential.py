#!/usr/bin/env python3
"""Differential test: awsd's validators and serializers against botocore's.

For operations drawn from real service models across all six protocols,
parameters are generated from each input shape (nested structures, lists,
maps, blobs, timestamps, Unicode), then given to botocore 1.43's
ParamValidator and serializer and to awsd (serialize_tool, one JSON line per
call). The validation reports must be equal, and so must the requests:
method, path and query, every header, and the body compared as a value
(JSON, XML, form pairs, CBOR). Services that list smithy-rpc-v2-cbor are
also serialised with it, since botocore's priority order never picks it.

usage: serialize_differential.py SERIALIZE_TOOL
"""
import base64
import io
import json
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl

import botocore.session
from botocore.model import ServiceModel
from botocore.parsers import BaseCBORParser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence
from botocore.validate import ParamValidator

SEED = int(os.environ.get("AWSD_DIFF_SEED", "20261124"))
OPS_PER_SERVICE = {"ec2": 80, "rest-xml": 30}  # per protocol; 12 otherwise
STRINGS = ["plain", "héllo wörld ✓", "a/b c", "x&y=z+1", "日本語", "with space", "UPPER", "~tilde-_.", "q?=&#"]


class Generator:
    def __init__(self, rng):
        self.rng = rng

    def value(self, shape, depth, location=None, host_label=False):
        t = shape.type_name
        r = self.rng
        if t == "structure":
            if shape.is_document_type:
                return {"doc": [1, "two", True, {"x": None}]}
            return self.structure(shape, depth)
        if t == "list":
            n = r.choice([0, 1, 2, 3]) if depth < 4 else 1
            return [self.value(shape.member, depth + 1, location) for _ in range(n)]
        if t == "map":
            n = r.choice([1, 2]) if depth < 4 else 1
            out = {}
            for _ in range(n):
                key = self.value(shape.key, depth + 1)
                out[str(key)] = self.value(shape.value, depth + 1, location)
            return out
        if t == "string":
            if shape.serialization.get("jsonvalue"):
                return {"k": [1, "v"], "n": None}
            if host_label:
                return r.choice(["abc", "a-1", "zz9"])
            if shape.enum:
                return r.choice(shape.enum)
            if location in ("header", "headers"):
                return r.choice(["plain", "with space", "v1,v2", "UPPER"])
            return r.choice(STRINGS)
        if t in ("integer", "long", "short", "byte"):
            return r.choice([0, 1, 7, 1000, 123456, -5])
        if t in ("float", "double"):
            return r.choice([1.5, -0.25, 3.0, 123.456, 1e10])
        if t == "boolean":
            return r.choice([True, False])
        if t == "timestamp":
            return r.choice(["2024-05-06T07:08:09Z", "2015-01-25T08:00:00.123Z", 1422172800, "2001-02-03T04:05:06+02:00"])
        if t == "blob":
            return bytes(r.randrange(256) for _ in range(r.choice([0, 3, 17])))
        raise ValueError(f"unknown type {t}")

    def structure(self, shape, depth):
        members = list(shape.members.items())
        required = set(shape.required_members)
        if getattr(shape, "is_tagged_union", False) and members:
            name, member = self.rng.choice(members)
            return {name: self.value(member, depth + 1)}
        out = {}
        for name, member in members:
            if member.serialization.get("eventstream") or member.type_name == "structure" and member.metadata.get("eventstream"):
                continue
            keep = name in required or (depth < 3 and self.rng.random() < 0.55)
            if not keep or (depth > 5 and name not in required):
                continue
            location = member.serialization.get("location")
            out[name] = self.value(member, depth + 1, location, member.serialization.get("hostLabel", False))
        return out


def to_tool_json(value):
    if isinstance(value, (bytes, bytearray)):
        return {"__blob__": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dict):
        return {k: to_tool_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_tool_json(v) for v in value]
    return value


def decode_cbor(body):
    if not body:
        return None
    return BaseCBORParser().parse_data_item(io.BytesIO(body))


def xml_tree(body):
    def walk(e):
        return (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), [walk(c) for c in e])
    return walk(ET.fromstring(body))


def body_value(body, content_type):
    content_type = (content_type or "").split(";")[0].strip().lower()
    if not body:
        return ("empty",)
    try:
        if "json" in content_type:
            return ("json", json.loads(body))
        if "cbor" in content_type:
            return ("cbor", decode_cbor(body))
        if content_type == "application/x-www-form-urlencoded":
            return ("form", parse_qsl(body.decode(), keep_blank_values=True))
        if body.lstrip().startswith(b"<"):
            return ("xml", xml_tree(body))
    except Exception as e:  # an unparseable body is compared as bytes
        return ("bytes", body, f"unparsed: {e}")
    return ("bytes", body)


def botocore_request(serializer, op, params):
    request = serializer.serialize_to_request(params, op)
    body = request["body"]
    if isinstance(body, dict):
        body = percent_encode_sequence(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    target = request["url_path"]
    query = percent_encode_sequence(request["query_string"]) if request["query_string"] else ""
    if query:
        target += ("&" if "?" in target else "?") + query
    headers = {k.lower(): str(v) for k, v in request["headers"].items()}
    return {"method": request["method"], "target": target, "headers": headers, "body": body or b"",
            "host_prefix": request.get("host_prefix") or ""}


def choose_cases(session):
    loader = session.get_component("data_loader")
    rng = random.Random(SEED)
    by_protocol = {}
    models = {}
    for name in loader.list_available_services("service-2"):
        raw = loader.load_service_model(name, "service-2")
        model = ServiceModel(raw, name)
        models[name] = raw
        by_protocol.setdefault(model.resolved_protocol, []).append(name)
        if "smithy-rpc-v2-cbor" in raw["metadata"].get("protocols", []):
            by_protocol.setdefault("smithy-rpc-v2-cbor", []).append(name)
    plan = []
    quotas = {"rest-xml": 99, "ec2": 99, "query": 99, "smithy-rpc-v2-cbor": 99, "json": 10, "rest-json": 12}
    for protocol, services in sorted(by_protocol.items()):
        services = sorted(services)
        rng.shuffle(services)
        for service in sorted(services[: quotas.get(protocol, 10)]):
            plan.append((service, protocol))
    return plan, models, rng


def main():
    tool = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    session = botocore.session.get_session()
    plan, models, rng = choose_cases(session)
    gen = Generator(rng)
    validator = ParamValidator()
    totals = {}
    services_seen = set()
    operations_seen = set()
    failures = []
    for service, protocol in plan:
        raw = json.loads(json.dumps(models[service]))
        raw["metadata"]["protocol"] = protocol
        raw["metadata"]["protocols"] = [protocol]
        model = ServiceModel(raw, service)
        serializer = create_serializer(protocol, include_validation=False)
        names = sorted(model.operation_names)
        rng.shuffle(names)
        for op_name in sorted(names[: OPS_PER_SERVICE.get(protocol, 12)]):
            op = model.operation_model(op_name)
            if op.has_event_stream_input:
                continue
            params = gen.structure(op.input_shape, 0) if op.input_shape else {}
            variants = [("valid", params)]
            if op.input_shape and op.input_shape.members and rng.random() < 0.3:
                bad = dict(params)
                bad["NotAMember"] = 1
                if op.input_shape.required_members:
                    bad.pop(op.input_shape.required_members[0], None)
                variants.append(("invalid", bad))
            for kind, p in variants:
                line = {"service": service, "operation": op_name, "protocol": protocol, "params": to_tool_json(p)}
                tool.stdin.write(json.dumps(line) + "\n")
                tool.stdin.flush()
                ours = json.loads(tool.stdout.readline())
                report = validator.validate(p, op.input_shape).generate_report() if op.input_shape else ""
                key = f"{protocol} {service}.{op_name} ({kind})"
                problems = []
                if ours.get("validation") != report:
                    problems.append(f"validation:\n  botocore: {report!r}\n  awsd:     {ours.get('validation')!r}")
                if kind == "valid":
                    try:
                        expected = botocore_request(serializer, op, p)
                    except Exception as e:
                        expected = {"error": f"{type(e).__name__}: {e}"}
                    if "error" in expected or "error" in ours:
                        if ("error" in expected) != ("error" in ours):
                            problems.append(f"error: botocore {expected.get('error')!r} awsd {ours.get('error')!r}")
                    else:
                        for field in ("method", "target", "headers", "host_prefix"):
                            if expected[field] != (ours[field] if field != "headers" else {k.lower(): v for k, v in ours[field].items()}):
                                problems.append(f"{field}:\n  botocore: {expected[field]!r}\n  awsd:     {ours[field]!r}")
                        content_type = expected["headers"].get("content-type", "")
                        ours_body = base64.b64decode(ours["body_b64"])
                        if body_value(expected["body"], content_type) != body_value(ours_body, content_type):
                            problems.append(f"body:\n  botocore: {expected['body'][:600]!r}\n  awsd:     {ours_body[:600]!r}")
                totals.setdefault(protocol, [0, 0])
                totals[protocol][1] += 1
                if problems:
                    failures.append(f"{key}\n  params: {json.dumps(to_tool_json(p))[:800]}\n  " + "\n  ".join(problems))
                else:
                    totals[protocol][0] += 1
                services_seen.add(service)
                operations_seen.add((protocol, service, op_name))
    tool.stdin.close()
    tool.wait(timeout=60)
    for failure in failures[:40]:
        print("FAIL", failure)
    passed = sum(t[0] for t in totals.values())
    total = sum(t[1] for t in totals.values())
    for protocol, (p, t) in sorted(totals.items()):
        print(f"serialize-differential {protocol}: passed {p} / {t}")
    print(f"serialize-differential: passed {passed} / {total} calls, {len(operations_seen)} operations, "
          f"{len(services_seen)} services")
    ok = not failures and len(operations_seen) >= 500 and len(services_seen) >= 40 and len(totals) == 6
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
