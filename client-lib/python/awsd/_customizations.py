"""botocore's parameter handlers that run before serialisation and that the
daemon does not apply: S3's CopySource (a dict, or a string to quote), and
the default CRC32 of a body this process can read twice."""
import base64
import re
import zlib
from urllib.parse import quote

_VERSION_ID_SUFFIX = re.compile(r"\?versionId=[^\s]+$")
_S3_ARN = re.compile(r"^arn:(aws).*:s3:[a-z\-0-9]*:[0-9]{12}:accesspoint[:/][^/]+/?$")
_SAFE = "-._~/"


def adjust_params(service_name, operation, params):
    source = params.get("CopySource")
    if service_name == "s3" and source is not None and "CopySource" in operation.input_members:
        params["CopySource"] = _quote_copy_source(source)


def _quote_copy_source(source):
    if isinstance(source, str):
        suffix = _VERSION_ID_SUFFIX.search(source)
        if suffix is None:
            return quote(source, safe=_SAFE)
        return quote(source[:suffix.start()], safe=_SAFE) + source[suffix.start():]
    if isinstance(source, dict):
        from .exceptions import ParamValidationError

        try:
            bucket, key = source["Bucket"], source["Key"]
        except KeyError as missing:
            raise ParamValidationError(None, f"Parameter validation failed:\nMissing required parameter: {missing}")
        final = quote(f"{bucket}/object/{key}" if _S3_ARN.search(bucket) else f"{bucket}/{key}", safe=_SAFE)
        if source.get("VersionId") is not None:
            final += f"?versionId={source['VersionId']}"
        return final
    return source


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
