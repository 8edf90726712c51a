#!/usr/bin/env python3
"""Differential test: awsd's signer against botocore's, on seeded random requests.

Generates --cases random requests (odd and Unicode paths, repeated and empty
query keys, header values with runs of whitespace, bodies, session tokens,
header and presigned forms, S3 and non-S3 services), signs each with botocore
(SigV4Auth, S3SigV4Auth, SigV4QueryAuth, S3SigV4QueryAuth) and with
sign_cases_tool at the same instant, and compares the canonical request, the
string to sign, the signature and where the signature went.

Reproducible: every case has its own seed, derived from --seed and printed on
failure; `--case-seed N` re-runs one case and prints both sides in full.

Inputs are kept to what botocore itself would send (its serializers
percent-encode paths and queries canonically). Where botocore and awsd
deliberately differ, the generator stays out of the way and the reason is
written down here:
  * presigned URLs never repeat a query key: botocore's SigV4QueryAuth runs
    the query through parse_qs and keeps only the first value, silently
    changing the request; awsd keeps every value.
  * raw '+' never appears in a query: botocore's header signer signs it as
    '+', its presigner as a space (%20); awsd signs a literal plus (%2B), as
    S3 and aws-c-auth read it.
  * header-form queries are canonically encoded (upper-case escapes, no raw
    reserved bytes): botocore's header signer copies the query into the
    canonical request without re-encoding it; awsd re-encodes, as the
    conformance suite requires (raw UTF-8 in a query is signed encoded).
  * S3 paths are encoded as botocore's serializer encodes keys, and never
    empty: awsd canonicalises raw bytes in S3 paths (as S3 does) where
    botocore copies them, and signs an empty path as "/" where botocore's S3
    signer signs it as "".
  * presigned requests carry no "application/x-www-form-urlencoded;
    charset=utf-8" Content-Type (botocore's presigner drops the one its own
    serializer adds; the conformance suite signs it) and no Authorization
    header (botocore signs it; awsd drops it).
"""

import argparse
import binascii
import datetime
import json
import random
import subprocess
import sys
from urllib.parse import parse_qsl, quote, urlsplit

import botocore.auth
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"
UNICODE_WORDS = ["ሴ", "é", "日本語", "😀", "ß", "Ω", "naïve", "€100", "\u00a0nbsp", "\u2028"]
ODD_PATH_PIECES = [" ", "%20", "%2F", "%E1%88%B4", "%7e", "%41", "%25", "100%", "%zz", "!", "$", "&", "'", "(",
                   ")", "*", "+", ",", ";", "=", ":", "@", "~", "[", "]", "{", "}", "|", "^", "`", '"', "<", ">",
                   "\\"]
HEADER_NAMES = ["X-Amz-Meta-Color", "Content-Type", "x-custom", "My-Header1", "Accept", "Content-MD5",
                "If-Match", "X-Amz-Target", "x-amz-meta-ümlaut".encode("ascii", "ignore").decode(),
                "Cache-Control", "X-Forwarded-For", "Range", "x-amz-acl"]
UNSIGNED_HEADER_NAMES = ["User-Agent", "Expect", "X-Amzn-Trace-Id", "Transfer-Encoding", "Connection",
                         "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Authorization"]
SERVICES = ["service", "execute-api", "dynamodb", "sts", "es", "lambda", "sqs"]
REGIONS = ["us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "il-central-1"]
TOKEN_CHARS = UNRESERVED + "/+="


def random_word(rng, alphabet=UNRESERVED, lo=1, hi=10):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def random_text(rng):
    """Unicode text for query keys, values and S3 keys (encoded afterwards)."""
    pieces = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.45:
            pieces.append(random_word(rng))
        elif kind < 0.65:
            pieces.append(rng.choice(UNICODE_WORDS))
        elif kind < 0.85:
            pieces.append(rng.choice([" ", "  ", "+", "=", "&", "/", "%", "?", "#", ",", ";", ":", "@", "*"]))
        else:
            pieces.append(random_word(rng, "!$'()*[]{}<>|^`\"\\", 1, 3))
    return "".join(pieces)


def percent_encode(text):
    return quote(text.encode("utf-8"), safe="-_.~")


def random_host(rng):
    kind = rng.random()
    if kind < 0.08:
        host = rng.choice(["[::1]", "[2001:DB8::1]", "[fe80::1ff:fe23:4567:890a]"])
    elif kind < 0.14:
        host = "%d.%d.%d.%d" % tuple(rng.randint(0, 255) for _ in range(4))
    else:
        labels = [random_word(rng, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", 1, 12)
                  .strip("-") or "a" for _ in range(rng.randint(1, 4))]
        host = ".".join(labels + [rng.choice(["amazonaws.com", "amazonaws.com.cn", "example.com", "localhost"])])
    return host


def random_authority(rng, scheme):
    host = random_host(rng)
    port = ""
    kind = rng.random()
    if kind < 0.15:
        port = ":" + str(443 if scheme == "https" else 80)  # default port: omitted from Host
    elif kind < 0.3:
        port = ":" + str(rng.choice([8080, 4566, 9000, 443 if scheme == "http" else 80, 1]))
    userinfo = ""
    if rng.random() < 0.05:
        userinfo = random_word(rng) + (":" + random_word(rng) if rng.random() < 0.5 else "") + "@"
    return userinfo + host + port


def random_path(rng, s3):
    segments = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        if kind < 0.12:
            segments.append(rng.choice([".", ".."]))
        elif kind < 0.2:
            segments.append("")  # a double slash
        elif s3:
            segments.append(random_text(rng).replace("/", "-"))
        elif kind < 0.55:
            segments.append(random_word(rng))
        elif kind < 0.7:
            segments.append(rng.choice(UNICODE_WORDS))
        else:
            segments.append("".join(rng.choice(ODD_PATH_PIECES) + random_word(rng, lo=0, hi=3)
                                    for _ in range(rng.randint(1, 3))))
    path = "/" + "/".join(segments)
    if rng.random() < 0.2:
        path += "/"
    if s3:
        # As botocore's serializer writes an S3 key into the URL.
        path = quote(path.encode("utf-8"), safe="/~")
    if path.endswith(" "):
        path += "x"  # urlsplit would keep it, but an HTTP client would not
    if not s3 and rng.random() < 0.05:
        path = ""  # "https://host" or "https://host?x=1"
    return path


def random_query(rng, presign):
    if rng.random() < 0.35:
        return None
    pairs = []
    used = set()
    for _ in range(rng.randint(0, 6)):
        if pairs and not presign and rng.random() < 0.2:
            key = rng.choice(pairs)[0]  # a repeated key
        else:
            key = percent_encode(random_text(rng)) if rng.random() < 0.8 else ""
        if presign and key in used:
            continue
        used.add(key)
        kind = rng.random()
        if kind < 0.15:
            pairs.append((key, None))  # bare "key"
        elif kind < 0.3:
            pairs.append((key, ""))  # "key="
        else:
            pairs.append((key, percent_encode(random_text(rng))))
    # A bare empty key is an empty piece ("a&&b"): botocore's header signer
    # signs it as "=", its presigner and awsd skip it.
    pairs = [(k, v) for k, v in pairs if k != "" or v is not None]
    return "&".join(k if v is None else k + "=" + v for k, v in pairs)


def random_header_value(rng):
    kind = rng.random()
    if kind < 0.1:
        return ""
    words = [random_word(rng, UNRESERVED + "!#$%&'*+,./:;<=>?@[]^`{|}\"()", 1, 8) for _ in range(rng.randint(1, 4))]
    value = ""
    for i, word in enumerate(words):
        if i:
            value += rng.choice([" ", "  ", "   ", "\t", " \t ", "     "])
        value += word
    if rng.random() < 0.3:
        value = rng.choice([" ", "  ", "\t"]) + value
    if rng.random() < 0.3:
        value += rng.choice([" ", "   ", "\t"])
    return value


def random_header_name(rng):
    if rng.random() < 0.3:
        return random_word(rng, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 1, 14)
    name = rng.choice(HEADER_NAMES)
    return "".join(c.upper() if rng.random() < 0.2 else c.lower() if rng.random() < 0.2 else c for c in name)


def generate_case(case_seed):
    rng = random.Random(case_seed)
    s3 = rng.random() < 0.4
    presign = rng.random() < 0.4
    scheme = "https" if rng.random() < 0.85 else "http"
    service = "s3" if s3 else rng.choice(SERVICES)
    region = rng.choice(REGIONS)
    authority = random_authority(rng, scheme)
    url = scheme + "://" + authority + random_path(rng, s3)
    query = random_query(rng, presign)
    if query is not None:
        url += "?" + query
    method = rng.choice(["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "get"])

    headers = []
    for _ in range(rng.randint(0, 6)):
        name = random_header_name(rng)
        headers.append((name, random_header_value(rng)))
        if rng.random() < 0.2:  # a repeat, maybe differently cased
            headers.append((rng.choice([name, name.lower(), name.upper()]), random_header_value(rng)))
    for _ in range(rng.randint(0, 2)):
        headers.append((rng.choice(UNSIGNED_HEADER_NAMES), random_header_value(rng)))
    if rng.random() < 0.15:
        headers.append((rng.choice(["Host", "host", "HOST"]), " " + random_host(rng).lower() + " "))
    if rng.random() < 0.1:
        headers.append(("X-Amz-Date", "20000101T000000Z"))
    if not presign and rng.random() < 0.1:
        headers.append(("Authorization", "AWS4-HMAC-SHA256 stale"))
    if rng.random() < 0.08:
        headers.append(("Date", "Mon, 01 Jan 2001 00:00:00 GMT"))
    if presign:
        headers = [(n, v) for n, v in headers
                   if not (n.lower() == "content-type" and v == "application/x-www-form-urlencoded; charset=utf-8")]

    body = b""
    if not presign and rng.random() < 0.6:
        body = bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 13, 64, 1024, rng.randint(0, 3000)])))

    access_key = "AKIA" + random_word(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 16)
    secret = random_word(rng, TOKEN_CHARS, 40, 40)
    token = random_word(rng, TOKEN_CHARS, 16, 400) if rng.random() < 0.5 else None
    if token is not None and rng.random() < 0.1:
        headers.append(("X-Amz-Security-Token", "stale-token"))
    when = rng.randint(946684800, 2145916800)  # 2000 .. 2038
    expires = rng.choice([1, 60, 3600, 604800, rng.randint(1, 604800)])

    # How each side is asked to sign, and which botocore class does it.
    tool = {"service": service, "region": region, "time": when, "access_key": access_key, "secret": secret,
            "method": method, "url": url, "headers": headers, "body_hex": binascii.hexlify(body).decode(),
            "location": "query" if presign else "headers", "expires": expires}
    if token is not None:
        tool["token"] = token
    context = {}
    if s3:
        tool.update(normalize_path=False, double_encode_path=False)
        if presign:
            signer_class = "S3SigV4QueryAuth"
            tool["payload"] = "unsigned"
        else:
            signer_class = "S3SigV4Auth"
            sign_payload = rng.random() < 0.6
            context["client_config_s3"] = {"payload_signing_enabled": sign_payload}
            tool["payload"] = "signed" if sign_payload else "unsigned"
            tool["content_sha256_header"] = True
    else:
        signer_class = "SigV4QueryAuth" if presign else "SigV4Auth"
        kind = rng.random()
        if kind < 0.15 and scheme == "https":
            context["payload_signing_enabled"] = False
            tool["payload"] = "unsigned"
        elif kind < 0.25 and not presign:
            # botocore has no streaming mode; a caller-set X-Amz-Content-SHA256
            # is what its signer signs, which is what awsd's streaming mode sets.
            headers.append(("X-Amz-Content-SHA256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"))
            tool["payload"] = "streaming"
        elif kind < 0.32:
            # A caller-set payload hash is signed as given (both sides).
            headers.append(("x-amz-content-sha256", binascii.hexlify(rng.randbytes(32)).decode()))
            tool["payload"] = "signed"
        else:
            tool["payload"] = "signed"
    return {"tool": tool, "botocore": {"class": signer_class, "context": context}}


class _S3Config:
    def __init__(self, s3):
        self.s3 = s3


def sign_with_botocore(case):
    tool = case["tool"]
    spec = case["botocore"]
    credentials = Credentials(tool["access_key"], tool["secret"], tool.get("token"))
    cls = {"SigV4Auth": SigV4Auth, "S3SigV4Auth": S3SigV4Auth, "SigV4QueryAuth": SigV4QueryAuth,
           "S3SigV4QueryAuth": S3SigV4QueryAuth}[spec["class"]]
    captured = {}

    class Capturing(cls):
        def string_to_sign(self, request, canonical_request):
            captured["canonical_request"] = canonical_request
            captured["string_to_sign"] = super().string_to_sign(request, canonical_request)
            return captured["string_to_sign"]

    if spec["class"].endswith("QueryAuth"):
        signer = Capturing(credentials, tool["service"], tool["region"], expires=tool["expires"])
    else:
        signer = Capturing(credentials, tool["service"], tool["region"])
    request = AWSRequest(method=tool["method"], url=tool["url"],
                         data=binascii.unhexlify(tool["body_hex"]) or None)
    for name, value in tool["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeats are kept
    if "payload_signing_enabled" in spec["context"]:
        request.context["payload_signing_enabled"] = spec["context"]["payload_signing_enabled"]
    if "client_config_s3" in spec["context"]:
        request.context["client_config"] = _S3Config(spec["context"]["client_config_s3"])
    instant = datetime.datetime.fromtimestamp(tool["time"], datetime.timezone.utc).replace(tzinfo=None)
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: instant
    try:
        signer.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original
    captured["url"] = request.url
    captured["authorization"] = request.headers.get("Authorization")
    return captured


def auth_query_params(url):
    query = urlsplit(url).query
    return sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k.startswith("X-Amz-"))


def compare(case, ours, theirs):
    """Returns a list of differences (empty when the two agree)."""
    problems = []
    if not ours.get("ok"):
        return ["awsd refused the request: %s" % ours.get("error")]
    for field in ("canonical_request", "string_to_sign"):
        if ours[field] != theirs[field]:
            problems.append("%s differs:\n--- botocore\n%s\n--- awsd\n%s" % (field, theirs[field], ours[field]))
    if case["tool"]["location"] == "headers":
        authorization = [v for n, v in ours["headers"] if n.lower() == "authorization"]
        if authorization != [theirs["authorization"]]:
            problems.append("Authorization differs: botocore %r, awsd %r" % (theirs["authorization"], authorization))
    else:
        if auth_query_params(ours["url"]) != auth_query_params(theirs["url"]):
            problems.append("presign parameters differ:\n botocore %s\n awsd     %s" %
                            (auth_query_params(theirs["url"]), auth_query_params(ours["url"])))
    return problems


def run_tool(tool_path, cases):
    lines = []
    for index, case in enumerate(cases):
        line = dict(case["tool"])
        line["id"] = index
        lines.append(json.dumps(line))
    completed = subprocess.run([tool_path], input="\n".join(lines) + "\n", capture_output=True, text=True,
                               check=True)
    results = [json.loads(line) for line in completed.stdout.split("\n") if line.strip()]
    if len(results) != len(cases):
        raise SystemExit("sign_cases_tool answered %d of %d cases" % (len(results), len(cases)))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="path to sign_cases_tool")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20150830)
    parser.add_argument("--case-seed", type=int, help="run only the case with this seed, verbosely")
    args = parser.parse_args()

    if args.case_seed is not None:
        case_seeds = [args.case_seed]
    else:
        master = random.Random(args.seed)
        case_seeds = [master.getrandbits(63) for _ in range(args.cases)]
    cases = [generate_case(seed) for seed in case_seeds]
    ours = run_tool(args.tool, cases)

    failures = 0
    kinds = {}
    for seed, case, our in zip(case_seeds, cases, ours):
        kind = case["botocore"]["class"]
        kinds[kind] = kinds.get(kind, 0) + 1
        theirs = sign_with_botocore(case)
        problems = compare(case, our, theirs)
        if args.case_seed is not None:
            print(json.dumps(case, indent=1, ensure_ascii=False))
            print("botocore:", json.dumps(theirs, indent=1, ensure_ascii=False))
            print("awsd:", json.dumps(our, indent=1, ensure_ascii=False))
        if problems:
            failures += 1
            if failures <= 10:
                print("MISMATCH (--seed %d, --case-seed %d, %s, %s %s):" %
                      (args.seed, seed, kind, case["tool"]["method"], case["tool"]["url"]))
                for problem in problems:
                    print("  " + problem.replace("\n", "\n  "))
    total = len(cases)
    print("botocore differential: %d/%d cases agree (seed %d; %s)" %
          (total - failures, total, args.seed, ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
