"""botocore's default CRC32 of a body this process can read twice, which
the daemon cannot add to a body it receives as a stream. (S3's CopySource,
dict or string, is quoted by the daemon, as botocore's handler quotes it.)"""
import base64
import zlib


def default_checksum(operation, params, body):
    """botocore's request_checksum_calculation=when_supported: a CRC32 unless
    the caller chose a checksum. Only for a body held in memory; a stream is
    sent as it comes, without one."""
    if "ChecksumCRC32" not in operation.input_members:
        return
    if any(name.startswith("Checksum") or name == "ContentMD5" for name in params):
        return
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, (bytes, bytearray, memoryview)):
        return
    crc = zlib.crc32(body) & 0xFFFFFFFF
    params["ChecksumCRC32"] = base64.b64encode(crc.to_bytes(4, "big")).decode("ascii")
    if "ChecksumAlgorithm" in operation.input_members:
        params["ChecksumAlgorithm"] = "CRC32"
