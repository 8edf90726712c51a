"""The package's own wire format: messages (awsd._protobuf) byte for byte
against the protobuf runtime, on stubs protoc generates from the same
proto/; HPACK (awsd._hpack) against RFC 7541's examples.

    wire_test.py PYTHON_DIR PROTO_DIR
"""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR, PROTO_DIR = (os.path.abspath(path) for path in sys.argv[1:3])
del sys.argv[1:3]
sys.path.insert(0, HERE)

import python_path  # noqa: E402

python_path.use_built_package(PYTHON_DIR)
try:
    import google.protobuf  # noqa: F401
except ImportError:
    sys.path.append(python_path.DEBIAN_PACKAGES)

from awsd import _hpack, _protobuf, messages  # noqa: E402

# The protobuf runtime's classes for the same .proto files, generated here.
_STUBS = tempfile.TemporaryDirectory(prefix="awsd-wire-test-")
subprocess.run(["protoc", f"--proto_path={PROTO_DIR}", f"--python_out={_STUBS.name}",
                *(os.path.join("awsd", "v1", name) for name in sorted(os.listdir(os.path.join(PROTO_DIR, "awsd", "v1")))
                  if name.endswith(".proto"))], check=True)
sys.path.insert(0, _STUBS.name)
# Not under the name awsd: that package is ours.
os.rename(os.path.join(_STUBS.name, "awsd"), os.path.join(_STUBS.name, "reference_awsd"))
for _name in os.listdir(os.path.join(_STUBS.name, "reference_awsd", "v1")):
    _path = os.path.join(_STUBS.name, "reference_awsd", "v1", _name)
    with open(_path) as _f:
        _text = _f.read().replace("from awsd.v1 import", "from reference_awsd.v1 import")
    with open(_path, "w") as _f:
        _f.write(_text)
from reference_awsd.v1 import common_pb2, invoke_pb2, resources_pb2  # noqa: E402


def ours(name):
    return messages.message(name)


class MessagesAgainstProtobuf(unittest.TestCase):
    def same_bytes(self, mine, theirs):
        self.assertEqual(mine.encode(), theirs.SerializeToString(deterministic=True))
        # And each reads the other's bytes back to the same message.
        self.assertEqual(type(mine).decode(theirs.SerializeToString()).encode(), mine.encode())
        self.assertEqual(type(theirs).FromString(mine.encode()), theirs)

    def test_nested_messages_strings_enums_and_durations(self):
        mine = messages.InvokeRequest(
            session=messages.SessionRef(spec=messages.SessionSpec(
                profile="dev", region="eu-west-1", endpoint_url="http://127.0.0.1:5000",
                explicit_credentials=messages.ExplicitCredentials(access_key_id="AKID", secret_access_key="s"))),
            service="dynamodb", operation="ListTables", params_json='{"Limit": 5, "ExclusiveStartTableName": "é☃"}',
            options=messages.CallOptions(max_attempts=7, read_timeout=ours("google.protobuf.Duration")(
                seconds=12, nanos=500000000)),
            timestamp_format=messages.TIMESTAMP_FORMAT_WIRE)
        theirs = invoke_pb2.InvokeRequest(
            session=common_pb2.SessionRef(spec=common_pb2.SessionSpec(
                profile="dev", region="eu-west-1", endpoint_url="http://127.0.0.1:5000",
                explicit_credentials=common_pb2.ExplicitCredentials(access_key_id="AKID", secret_access_key="s"))),
            service="dynamodb", operation="ListTables", params_json='{"Limit": 5, "ExclusiveStartTableName": "é☃"}',
            options=invoke_pb2.CallOptions(max_attempts=7), timestamp_format=invoke_pb2.TIMESTAMP_FORMAT_WIRE)
        theirs.options.read_timeout.FromMilliseconds(12500)
        self.same_bytes(mine, theirs)

    def test_oneof_members_travel_even_at_their_default(self):
        self.same_bytes(messages.InvokeStreamRequest(end_of_body=False),
                        invoke_pb2.InvokeStreamRequest(end_of_body=False))
        self.same_bytes(messages.InvokeResponse(result_json=""), invoke_pb2.InvokeResponse(result_json=""))
        decoded = messages.InvokeResponse.decode(invoke_pb2.InvokeResponse(result_json="").SerializeToString())
        self.assertEqual(decoded.which_oneof("outcome"), "result_json")
        self.assertIsNone(messages.InvokeResponse().which_oneof("outcome"))

    def test_the_last_oneof_member_on_the_wire_wins(self):
        data = (invoke_pb2.InvokeResponse(result_json="{}").SerializeToString() +
                invoke_pb2.InvokeResponse(error=common_pb2.ServiceError(code="Throttling")).SerializeToString())
        decoded = messages.InvokeResponse.decode(data)
        self.assertEqual(decoded.which_oneof("outcome"), "error")
        self.assertEqual(decoded.error.code, "Throttling")
        self.assertFalse(decoded.has("result_json"))

    def test_negative_and_wide_integers(self):
        self.same_bytes(ours("awsd.v1.ServiceError")(http_status=-1, retryable=True, code="X"),
                        common_pb2.ServiceError(http_status=-1, retryable=True, code="X"))
        self.same_bytes(messages.PresignRequest(expires_in_seconds=(1 << 62) + 5),
                        invoke_pb2.PresignRequest(expires_in_seconds=(1 << 62) + 5))
        self.same_bytes(messages.PresignRequest(expires_in_seconds=-(1 << 62)),
                        invoke_pb2.PresignRequest(expires_in_seconds=-(1 << 62)))

    def test_repeated_messages_strings_and_bytes(self):
        operation = ours("awsd.v1.ServiceDescription.Operation")
        member = messages.MemberDescription
        mine = messages.ServiceDescription(service="s3", operations=[
            operation(name="PutObject", input_members=["Bucket", "Key", "Body"], streaming_input=True,
                      input=[member(name="Body", type="blob", streaming=True)]),
            operation(name="ListBuckets")], waiters=["BucketExists", "ObjectExists"])
        theirs = invoke_pb2.ServiceDescription(service="s3", operations=[
            invoke_pb2.ServiceDescription.Operation(
                name="PutObject", input_members=["Bucket", "Key", "Body"], streaming_input=True,
                input=[invoke_pb2.MemberDescription(name="Body", type="blob", streaming=True)]),
            invoke_pb2.ServiceDescription.Operation(name="ListBuckets")], waiters=["BucketExists", "ObjectExists"])
        self.same_bytes(mine, theirs)
        blob = bytes(range(256)) * 300
        self.same_bytes(messages.HttpRequest(method="PUT", body=blob, headers=[messages.Header(name="a", value="b")]),
                        common_pb2.HttpRequest(method="PUT", body=blob, headers=[common_pb2.Header(name="a", value="b")]))

    def test_maps_decode_to_dicts(self):
        theirs = resources_pb2.ResourceModel(service="s3", paginated_operations=["ListObjects"])
        theirs.shapes["Bucket"].members.extend(["Name", "CreationDate"])
        theirs.shapes["Object"].members.append("Key")
        decoded = messages.ResourceModel.decode(theirs.SerializeToString())
        self.assertEqual({name: value.members for name, value in decoded.shapes.items()},
                         {"Bucket": ["Name", "CreationDate"], "Object": ["Key"]})
        self.assertEqual(resources_pb2.ResourceModel.FromString(decoded.encode()), theirs)

    def test_enum_values_by_name(self):
        self.assertEqual(messages.PAGE_VIEW_MERGED, invoke_pb2.PAGE_VIEW_MERGED)
        self.assertEqual(messages.WaitResponse.STATE_SUCCESS, invoke_pb2.WaitResponse.STATE_SUCCESS)
        decoded = messages.WaitResponse.decode(
            invoke_pb2.WaitResponse(state=invoke_pb2.WaitResponse.STATE_TIMEOUT, attempts=3).SerializeToString())
        self.assertEqual((decoded.state, decoded.attempts), (invoke_pb2.WaitResponse.STATE_TIMEOUT, 3))

    def test_unset_fields_read_as_proto3_defaults(self):
        reply = messages.InvokeResponse()
        self.assertEqual((reply.result_json, reply.metadata.http_status, list(reply.metadata.http_headers)),
                         ("", 0, []))
        self.assertFalse(reply.has("metadata"), "reading an unset message does not set it")
        self.assertEqual(reply.encode(), b"")

    def test_fields_newer_than_the_schema_are_skipped(self):
        # A ServiceError (fields 1-7) read as a Warning (fields 1-2, the same types).
        data = common_pb2.ServiceError(code="C", message="M", http_status=400, request_id="r",
                                       retryable=True).SerializeToString()
        warning = ours("awsd.v1.Warning").decode(data)
        self.assertEqual((warning.code, warning.message), ("C", "M"))

    def test_broken_input_is_a_clear_error(self):
        good = invoke_pb2.InvokeResponse(result_json="x" * 40).SerializeToString()
        for broken in (good[:-1], good[:1], b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", b"\x0b",
                       b"\x0a\x02\xc3\x28"):
            with self.assertRaises(_protobuf.DecodeError, msg=broken.hex()):
                messages.InvokeResponse.decode(broken)
        with self.assertRaises(_protobuf.DecodeError):
            messages.InvokeResponse.decode(b"\x08\x01")  # a varint where a string is due
        with self.assertRaises(TypeError):
            messages.InvokeRequest(no_such_field=1)

    def test_random_bytes_never_escape_as_anything_but_decode_error(self):
        import random

        generator = random.Random(1234)
        for _ in range(3000):
            data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 40)))
            for cls in (messages.InvokeResponse, messages.ServiceDescription, messages.ResourceModel,
                        messages.SignResponse):
                try:
                    cls.decode(data)
                except _protobuf.DecodeError:
                    pass


class Hpack(unittest.TestCase):
    def test_rfc7541_c4_requests_with_huffman_and_the_dynamic_table(self):
        decoder = _hpack.Decoder()
        self.assertEqual(decoder.decode(bytes.fromhex("828684418cf1e3c2e5f23a6ba0ab90f4ff")),
                         [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")])
        self.assertEqual(decoder.decode(bytes.fromhex("828684be5886a8eb10649cbf"))[-1], ("cache-control", "no-cache"))
        self.assertEqual(decoder.decode(bytes.fromhex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf")),
                         [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"),
                          (":authority", "www.example.com"), ("custom-key", "custom-value")])
        self.assertEqual(decoder._size, 164)

    def test_rfc7541_c6_responses_evict_from_a_256_byte_table(self):
        decoder = _hpack.Decoder(256)
        first = decoder.decode(bytes.fromhex(
            "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3"))
        self.assertEqual(first, [(":status", "302"), ("cache-control", "private"),
                                 ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")])
        second = decoder.decode(bytes.fromhex("4883640effc1c0bf"))
        self.assertEqual(second[0], (":status", "307"))
        self.assertEqual(second[1:], first[1:])
        self.assertEqual(decoder._size, 222)
        self.assertNotIn((":status", "302"), decoder._dynamic, "the oldest entry was evicted")

    def test_our_literals_decode(self):
        block = _hpack.encode_literal(":path", "/awsd.v1.InvokeService/Invoke") + _hpack.encode_literal(
            "x-long", "v" * 300)
        self.assertEqual(_hpack.Decoder().decode(block),
                         [(":path", "/awsd.v1.InvokeService/Invoke"), ("x-long", "v" * 300)])

    def test_broken_blocks_are_errors(self):
        for broken in ("be",  # a dynamic index into an empty table
                       "418cf1e3c2e5f23a6ba0ab90f4",  # a truncated string
                       "4181f0",  # Huffman padding that is not EOS's prefix
                       "3fe1ffffffff0f",  # a table size over the agreed maximum
                       "ff80808080808080"):  # an endless integer
            with self.assertRaises(_hpack.HpackError, msg=broken):
                _hpack.Decoder().decode(bytes.fromhex(broken))


if __name__ == "__main__":
    unittest.main()
