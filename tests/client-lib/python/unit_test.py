"""The awsd Python package's pure parts against boto3's and botocore's own:
names, resource paths and parameter targets, value conversion, streaming
bodies, error texts.

    unit_test.py PYTHON_DIR
"""
import datetime
import glob
import io
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
PYTHON_DIR = sys.argv.pop(1)

import boto3  # noqa: E402
import boto3.resources.params  # noqa: E402
import botocore  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.response  # noqa: E402
import jmespath  # noqa: E402
import python_path  # noqa: E402

python_path.use_built_package(PYTHON_DIR)

from awsd import _values, exceptions  # noqa: E402
from awsd.naming import xform_name  # noqa: E402
from awsd.resources import params, search  # noqa: E402
from awsd.response import IncompleteReadError, StreamingBody  # noqa: E402

BOTO3_DATA = os.path.join(os.path.dirname(boto3.__file__), "data")


def resource_definitions():
    for path in sorted(glob.glob(os.path.join(BOTO3_DATA, "*", "*", "resources-1.json"))):
        with open(path) as f:
            yield json.load(f)


def walk(value, key):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key and isinstance(v, str):
                yield v
            yield from walk(v, key)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)


class NamesTest(unittest.TestCase):
    def test_xform_name_is_botocores_for_every_name_a_resource_model_uses(self):
        names = set()
        for definition in resource_definitions():
            for key in ("name", "waiterName", "target", "operation"):
                names.update(walk(definition, key))
            for resource in definition.get("resources", {}).values():
                for section in ("actions", "batchActions", "waiters", "has", "hasMany"):
                    names.update(resource.get(section, {}))
        # botocore's table of special cases holds operation names only, which the daemon converts.
        special = {name for name, _ in botocore._xform_cache}
        names = {n for n in names if "." not in n and "[" not in n and n not in special}
        self.assertGreater(len(names), 500)
        for name in sorted(names):
            for sep in ("_", "-"):
                self.assertEqual(xform_name(name, sep), botocore.xform_name(name, sep), name)


class ResourcePathsTest(unittest.TestCase):
    SAMPLE = {
        "Buckets": [{"Name": "a"}, {"Name": "b"}],
        "Reservations": [{"Instances": [{"InstanceId": "i-1"}, {"InstanceId": "i-2"}]},
                         {"Instances": [{"InstanceId": "i-3"}]}],
        "Versions": [{"Key": "k1", "VersionId": "v1"}], "DeleteMarkers": [{"Key": "k2", "VersionId": "v2"}],
        "Addresses": [{"PublicIp": "1.2.3.4", "AllocationId": "x"}],
        "Vpc": {"VpcId": "vpc-1", "Tags": [{"Key": "k", "Value": "v"}]},
        "Nested": [[{"Id": 1}], [{"Id": 2}, {"Id": 3}]],
    }

    def test_every_resource_path_parses(self):
        for definition in resource_definitions():
            for path in walk(definition, "path"):
                search.search(path, self.SAMPLE)

    def test_paths_answer_as_jmespath(self):
        for path in ("Buckets[]", "Buckets[].Name", "Buckets[0].Name", "Buckets[-1]", "Reservations[].Instances[]",
                     "Reservations[].Instances[].InstanceId", "Reservations[0].Instances[1].InstanceId",
                     "[Versions,DeleteMarkers]|[]", "[Versions,DeleteMarkers]|[].VersionId",
                     "[Versions,DeleteMarkers]|[].Key", "Addresses[0]", "Vpc", "Vpc.VpcId", "Vpc.Tags[*].Key",
                     "Missing", "Missing[].Name", "Vpc.Missing.Deeper", "Nested[]", "Nested[].Id", "Nested[*]",
                     "Buckets[5]", "$"):
            expected = self.SAMPLE if path == "$" else jmespath.search(path, self.SAMPLE)
            self.assertEqual(search.search(path, self.SAMPLE), expected, path)


class ParamTargetsTest(unittest.TestCase):
    def test_every_target_builds_as_boto3_builds_it(self):
        targets = sorted({t for d in resource_definitions() for t in walk(d, "target")})
        self.assertGreater(len(targets), 100)
        for target in targets:
            for index in (None, 0, 2):
                ours, theirs = {"Existing": 1}, {"Existing": 1}
                params.build_param_structure(ours, target, "value", index)
                boto3.resources.params.build_param_structure(theirs, target, "value", index)
                self.assertEqual(ours, theirs, (target, index))

    def test_repeated_targets_fill_one_structure(self):
        ours, theirs = {}, {}
        for i, key in enumerate(["a", "b", "c"]):
            params.build_param_structure(ours, "Delete.Objects[*].Key", key, i)
            boto3.resources.params.build_param_structure(theirs, "Delete.Objects[*].Key", key, i)
        self.assertEqual(ours, theirs)
        self.assertEqual(ours, {"Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}]}})


class ValuesTest(unittest.TestCase):
    TYPES = _values.ValueTypes(json.dumps({
        "input": "Request", "output": "Output",
        "shapes": {"Request": {"members": {"Key": "Value", "Payload": "@blob", "When": "@timestamp"}},
                   "Output": {"members": {"Item": "Attributes", "Times": "TimeList"}},
                   "Attributes": {"map": "Value"},
                   "Value": {"members": {"B": "@blob", "L": "Values", "M": "Attributes"}},
                   "Values": {"list": "Value"}, "TimeList": {"list": "@timestamp"}}}))

    def test_input_bytes_text_and_datetimes(self):
        naive = datetime.datetime(2024, 5, 1, 12, 0, 0)
        params = json.loads(self.TYPES.params_json({
            "Key": {"B": b"\x00\xff", "L": [{"B": "text"}]}, "Payload": "héllo", "When": naive, "Other": b"raw"}))
        self.assertEqual(params["Key"], {"B": "AP8=", "L": [{"B": "dGV4dA=="}]})
        self.assertEqual(params["Payload"], "aMOpbGxv")
        # botocore reads a naive datetime as UTC.
        self.assertEqual(params["When"], "2024-05-01T12:00:00+00:00")
        self.assertEqual(params["Other"], "cmF3")
        self.assertEqual(json.loads(self.TYPES.params_json({"Payload": io.BytesIO(b"file")}))["Payload"], "ZmlsZQ==")

    def test_output_recursive_blobs_and_timestamps(self):
        result = self.TYPES.result(json.dumps({
            "Item": {"a": {"B": "AP8="}, "b": {"M": {"c": {"L": [{"B": "eA=="}, {"S": "s"}]}}}},
            "Times": ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00.5+02:00", 1714564800],
            "Plain": "AP8="}))
        self.assertEqual(result["Item"]["a"]["B"], b"\x00\xff")
        self.assertEqual(result["Item"]["b"]["M"]["c"]["L"], [{"B": b"x"}, {"S": "s"}])
        utc = datetime.timezone.utc
        self.assertEqual(result["Times"], [datetime.datetime(2024, 5, 1, 12, tzinfo=utc),
                                           datetime.datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=utc),
                                           datetime.datetime(2024, 5, 1, 12, tzinfo=utc)])
        self.assertTrue(all(t.tzinfo is not None for t in result["Times"]))
        self.assertEqual(result["Plain"], "AP8=")

    def test_no_types_leaves_values_alone(self):
        types = _values.ValueTypes("")
        self.assertEqual(types.result('{"A": "AP8=", "B": [1, 2.5, true, null]}'),
                         {"A": "AP8=", "B": [1, 2.5, True, None]})


class StreamingBodyTest(unittest.TestCase):
    DATA = b"line one\nline two\r\nline three\n\nlast"

    def bodies(self):
        pieces = [self.DATA[i:i + 5] for i in range(0, len(self.DATA), 5)]
        return (StreamingBody(iter(pieces), len(self.DATA)),
                botocore.response.StreamingBody(io.BytesIO(self.DATA), len(self.DATA)))

    def test_reads_as_botocore(self):
        for method, args in (("read", ()), ("read", (7,)), ("readlines", ())):
            ours, theirs = self.bodies()
            self.assertEqual(getattr(ours, method)(*args), getattr(theirs, method)(*args), method)
        for method, args in (("iter_lines", ()), ("iter_lines", (3, True)), ("iter_chunks", (4,))):
            ours, theirs = self.bodies()
            self.assertEqual(list(getattr(ours, method)(*args)), list(getattr(theirs, method)(*args)),
                             (method, args))
        ours, theirs = self.bodies()
        self.assertEqual(list(ours), list(theirs))

    def test_a_short_body_is_an_incomplete_read(self):
        body = StreamingBody(iter([b"abc"]), 10)
        with self.assertRaises(IncompleteReadError) as raised:
            body.read()
        self.assertEqual(str(raised.exception), "3 read, but total bytes expected is 10.")


class ErrorsTest(unittest.TestCase):
    def test_client_error_text_is_botocores(self):
        responses = [{"Error": {"Code": "NoSuchKey", "Message": "gone"}, "ResponseMetadata": {}},
                     {"Error": {"Code": "Throttling", "Message": "slow"},
                      "ResponseMetadata": {"MaxAttemptsReached": True, "RetryAttempts": 4}},
                     {}]
        for response in responses:
            self.assertEqual(str(exceptions.ClientError(response, "GetObject")),
                             str(botocore.exceptions.ClientError(response, "GetObject")))

    def test_waiter_error_text_is_botocores(self):
        ours = exceptions.WaiterError("ObjectExists", "Max attempts exceeded", {"a": 1})
        theirs = botocore.exceptions.WaiterError(name="ObjectExists", reason="Max attempts exceeded",
                                                 last_response={"a": 1})
        self.assertEqual(str(ours), str(theirs))
        self.assertEqual(ours.last_response, theirs.last_response)


if __name__ == "__main__":
    unittest.main()
