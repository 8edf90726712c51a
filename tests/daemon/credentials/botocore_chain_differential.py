#!/usr/bin/env python3
"""Differential test of awsd's credential chain against botocore's.

    botocore_chain_differential.py --tool PATH/credential_chain_tool [--seed N] [--random-cases N] [--verbose]

Generates combinations of environment variables and config / credentials
files (static keys in either file, partial keys, AWS_PROFILE /
AWS_DEFAULT_PROFILE, an explicit profile, environment keys,
credential_process scripts, source_profile chains, credential_source, loops,
missing profiles): a systematic list, then seeded random mixes. Each case is
resolved by botocore (botocore.session.Session(profile=...).get_credentials(),
every case in one Python subprocess whose os.environ is replaced by exactly
the case's environment) and by credential_chain_tool (awsd's default chain,
given exactly the same environment). The two agree when both fail, or both
find nothing, or both find credentials from the same provider (`method`)
with the same access key id.

Assume-role cases call a real moto_server STS on 127.0.0.1 (signature checks
on after INITIAL_NO_AUTH_ACTION_COUNT calls that create the IAM users and
their keys). STS hands out a new key per call, so for "assume-role" both
sides must return an ASIA key id, and each key must be one moto's STS issued
(moto records a call only after it accepted its signature) for the same
role ARN.

Every case runs with AWS_EC2_METADATA_DISABLED=true, HOME and both file
variables inside the temporary directory, and no container variables, so
neither side reaches IMDS or a container endpoint. Prints every
disagreement with its inputs and "N/N cases agree"; exits non-zero on any
disagreement.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import botocore.exceptions

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
ROLES = ["role-a", "role-b", "role-c"]
PROFILES = ["default", "dev", "prod", "ops", "qa"]
# Every IAM user created in moto: one per place static keys can come from,
# so that a key id names where it was found.
KEY_SLOTS = (["cred:" + p for p in PROFILES] + ["conf:" + p for p in PROFILES] +
             ["env", "proc", "proc2"])
# Keys moto never issued (STS refuses them): the negative controls.
FAKE_ID, FAKE_SECRET = "AKIAFAKEFAKEFAKE0001", "fake-secret-not-for-use"
FAKE_ENV_ID = "AKIDENVFAKE000000001"
BOTOCORE_TIMEOUT = 240
TOOL_TIMEOUT = 30

# Runs in a subprocess: for each case, os.environ becomes exactly the case's
# environment, then botocore resolves. Prints one JSON line per case.
BOTOCORE_RUNNER = r'''
import json, os, sys
import botocore.session
with open(sys.argv[1]) as f:
    cases = json.load(f)
for case in cases:
    os.environ.clear()
    os.environ.update(case["env"])
    try:
        session = botocore.session.Session(profile=case["profile"] or None)
        creds = session.get_credentials()
        if creds is None:
            result = {"ok": True, "found": False}
        else:
            frozen = creds.get_frozen_credentials()  # assume-role calls STS here
            result = {"ok": True, "found": True, "method": creds.method, "access_key_id": frozen.access_key}
    except Exception as e:  # every botocore failure is "failed"
        result = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(result), flush=True)
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    # A TCP connect, not a request: moto counts requests against
    # INITIAL_NO_AUTH_ACTION_COUNT.
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def role_arn(name):
    return "arn:aws:iam::%s:role/%s" % (ACCOUNT, name)


ALLOW_ALL = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
TRUST_ALL = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})


def bootstrap_moto(endpoint):
    """Creates the IAM users (keys for every slot) and the roles. The first
    three calls are the unauthenticated ones; the rest are signed with the
    first user's key. Returns {slot: (key id, secret)}."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam.create_user(UserName="admin")
    iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=ALLOW_ALL)
    admin = iam.create_access_key(UserName="admin")["AccessKey"]
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id=admin["AccessKeyId"], aws_secret_access_key=admin["SecretAccessKey"])
    keys = {}
    for i, slot in enumerate(KEY_SLOTS):
        user = "user-%d" % i
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=ALLOW_ALL)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        keys[slot] = (key["AccessKeyId"], key["SecretAccessKey"])
    for role in ROLES:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_ALL)
        iam.put_role_policy(RoleName=role, PolicyName="all", PolicyDocument=ALLOW_ALL)
    # Signature checks must be on, or an accepted call would prove nothing.
    sts = boto3.client("sts", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id=admin["AccessKeyId"], aws_secret_access_key="wrong-secret")
    try:
        sts.get_caller_identity()
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "SignatureDoesNotMatch", e
    else:
        raise AssertionError("moto accepted a request signed with a wrong secret: signatures are not checked")
    return keys


def moto_assumed_roles(endpoint):
    """{access key id: role arn} of every AssumeRole moto's STS accepted."""
    with urllib.request.urlopen(endpoint + "/moto-api/data.json", timeout=30) as response:
        data = json.load(response)
    return {r["access_key_id"]: r["role_arn"] for r in data.get("sts", {}).get("AssumedRole", [])}


class Scripts:
    """credential_process helpers, written once into the work directory."""

    def __init__(self, root, keys):
        self.root = os.path.join(root, "scripts")
        os.makedirs(self.root)
        py = sys.executable
        proc_id, proc_secret = keys["proc"]
        proc2_id, proc2_secret = keys["proc2"]
        v1 = lambda i, s, **extra: json.dumps(dict({"Version": 1, "AccessKeyId": i, "SecretAccessKey": s}, **extra))
        self.ok = self._sh("ok.sh", "printf '%%s\\n' '%s'\n" % v1(proc_id, proc_secret))
        self.ok2 = self._py("ok2.py", "import json\nprint(json.dumps(%r))\n" % json.loads(
            v1(proc2_id, proc2_secret, Expiration="2099-01-01T00:00:00Z")))
        # A session token with a user's key: fine for the chain, refused by
        # moto's STS (so never the source of a role here).
        self.token = self._sh("token.sh", "printf '%%s\\n' '%s'\n" % v1(
            proc2_id, proc2_secret, SessionToken="process-token", Expiration="2099-01-01T00:00:00+00:00"))
        # Takes the key to print as an argument: exercises the command line split.
        self.by_arg = self._py("by arg.py", "import json, sys\nkeys = %r\n"
                               "i, s = keys[sys.argv[1]]\n"
                               "print(json.dumps({'Version': 1, 'AccessKeyId': i, 'SecretAccessKey': s}))\n"
                               % {"proc": keys["proc"], "proc2": keys["proc2"]})
        self.fail = self._sh("fail.sh", "echo 'helper failed on purpose' >&2\nexit 3\n")
        self.bad_json = self._sh("bad_json.sh", "echo 'this is not json'\n")
        self.version2 = self._sh("v2.sh", "printf '%%s\\n' '%s'\n" % json.dumps(
            {"Version": 2, "AccessKeyId": proc_id, "SecretAccessKey": proc_secret}))
        self.no_version = self._sh("noversion.sh", "printf '%%s\\n' '%s'\n" % json.dumps(
            {"AccessKeyId": proc_id, "SecretAccessKey": proc_secret}))
        self.no_secret = self._sh("nosecret.sh", "printf '%%s\\n' '%s'\n" % json.dumps(
            {"Version": 1, "AccessKeyId": proc_id}))
        self.fake = self._sh("fake.sh", "printf '%%s\\n' '%s'\n" % v1(FAKE_ID, FAKE_SECRET))
        # credential_process command lines.
        self.commands = {
            "ok": self.ok,
            "ok-sh": "/bin/sh " + self.ok,
            "ok2": '"%s" "%s"' % (py, self.ok2),
            "token": self.token,
            "by-arg": "%s '%s' proc2" % (py, self.by_arg),
            "fail": self.fail,
            "bad-json": self.bad_json,
            "version2": self.version2,
            "no-version": self.no_version,
            "no-secret": self.no_secret,
            "missing-command": os.path.join(self.root, "does-not-exist"),
            "fake": self.fake,
        }
        # What each command should produce, for the random generator's bias.
        self.good = ["ok", "ok-sh", "ok2", "by-arg", "token"]

    def _write(self, name, text):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return path

    def _sh(self, name, body):
        return self._write(name, "#!/bin/sh\n" + body)

    def _py(self, name, body):
        return self._write(name, "#!%s\n%s" % (sys.executable, body))


def render(sections, kind):
    """{profile: {key: value}} as a config (kind "config") or credentials file."""
    out = []
    for name, values in sections.items():
        if kind == "config":
            out.append("[default]" if name == "default" else "[profile %s]" % name)
        else:
            out.append("[%s]" % name)
        out.extend("%s = %s" % (k, v) for k, v in values.items())
        out.append("")
    return "\n".join(out)


class Cases:
    def __init__(self, keys, scripts):
        self.keys = keys
        self.scripts = scripts
        self.items = []

    # Profile fragments.
    def static(self, slot):
        i, s = self.keys[slot]
        return {"aws_access_key_id": i, "aws_secret_access_key": s}

    def proc(self, name):
        return {"credential_process": self.scripts.commands[name]}

    def env_keys(self, slot="env"):
        i, s = self.keys[slot]
        return {"AWS_ACCESS_KEY_ID": i, "AWS_SECRET_ACCESS_KEY": s}

    def add(self, name, config=None, credentials=None, env=None, profile="", raw_config=None,
            raw_credentials=None, region=True):
        """config / credentials: {profile: {key: value}}, None for no file."""
        case_env = dict(env or {})
        if region and "AWS_DEFAULT_REGION" not in case_env:
            case_env["AWS_DEFAULT_REGION"] = REGION
        self.items.append({
            "name": name,
            "config": raw_config if raw_config is not None else (None if config is None else render(config, "config")),
            "credentials": raw_credentials if raw_credentials is not None else (
                None if credentials is None else render(credentials, "credentials")),
            "env": case_env,
            "profile": profile,
        })


def systematic(c):
    k, p, env = c.static, c.proc, c.env_keys
    fake_env = {"AWS_ACCESS_KEY_ID": FAKE_ENV_ID, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET}

    # Static keys, partial keys, environment keys, no selection.
    c.add("no files, no env")
    c.add("empty files", config={}, credentials={})
    c.add("env keys", env=env())
    c.add("env keys with a session token", env=dict(env(), AWS_SESSION_TOKEN="env-token"))
    c.add("env keys with the old token name", env=dict(env(), AWS_SECURITY_TOKEN="env-token"))
    c.add("credentials default", credentials={"default": k("cred:default")})
    c.add("config default", config={"default": k("conf:default")})
    c.add("both files default: credentials wins", config={"default": k("conf:default")},
          credentials={"default": k("cred:default")})
    c.add("env beats credentials default", env=env(), credentials={"default": k("cred:default")})
    c.add("env beats config default", env=env(), config={"default": k("conf:default")})
    c.add("credentials default with session token",
          credentials={"default": dict(k("cred:default"), aws_session_token="file-token")})
    c.add("credentials: access key only", credentials={"default": {"aws_access_key_id": c.keys["cred:default"][0]}})
    c.add("credentials: secret only, nothing else",
          credentials={"default": {"aws_secret_access_key": c.keys["cred:default"][1]}})
    c.add("credentials: secret only, config has keys", config={"default": k("conf:default")},
          credentials={"default": {"aws_secret_access_key": c.keys["cred:default"][1]}})
    c.add("config: access key only", config={"default": {"aws_access_key_id": c.keys["conf:default"][0]}})
    c.add("credentials partial, config full", config={"default": k("conf:default")},
          credentials={"default": {"aws_access_key_id": c.keys["cred:default"][0]}})
    c.add("credentials: empty access key id",
          credentials={"default": {"aws_access_key_id": "", "aws_secret_access_key": "x"}})
    c.add("env: access key only", env={"AWS_ACCESS_KEY_ID": c.keys["env"][0]})
    c.add("env: access key only, credentials default", env={"AWS_ACCESS_KEY_ID": c.keys["env"][0]},
          credentials={"default": k("cred:default")})
    c.add("env: secret only", env={"AWS_SECRET_ACCESS_KEY": c.keys["env"][1]})
    c.add("env: secret only, credentials default", env={"AWS_SECRET_ACCESS_KEY": c.keys["env"][1]},
          credentials={"default": k("cred:default")})
    c.add("env: empty access key, secret set", env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "x"},
          credentials={"default": k("cred:default")})
    c.add("env: access key set, empty secret", env={"AWS_ACCESS_KEY_ID": c.keys["env"][0],
                                                     "AWS_SECRET_ACCESS_KEY": ""})
    c.add("env: both empty, credentials default", env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
          credentials={"default": k("cred:default")})
    c.add("credentials [profile default] is not default",
          raw_credentials="[profile default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % c.keys[
              "cred:default"])
    c.add("config [profile default] is default",
          raw_config="[profile default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % c.keys[
              "conf:default"])
    c.add("config file missing, credentials default", credentials={"default": k("cred:default")})
    c.add("credentials file missing, config default", config={"default": k("conf:default")})
    c.add("default has only a region", config={"default": {"region": "eu-west-1"}})

    # Profile selection.
    dev_cred = {"dev": k("cred:dev")}
    dev_conf = {"dev": k("conf:dev")}
    both = {"default": k("cred:default"), "dev": k("cred:dev"), "prod": k("cred:prod")}
    c.add("AWS_PROFILE=dev, credentials", credentials=dev_cred, env={"AWS_PROFILE": "dev"})
    c.add("AWS_PROFILE=dev, config", config=dev_conf, env={"AWS_PROFILE": "dev"})
    c.add("AWS_PROFILE=dev, both files", config=dev_conf, credentials=dev_cred, env={"AWS_PROFILE": "dev"})
    c.add("AWS_PROFILE=dev with env keys: env wins", credentials=dev_cred, env=dict(env(), AWS_PROFILE="dev"))
    c.add("explicit dev with env keys: profile wins", credentials=dev_cred, env=env(), profile="dev")
    c.add("explicit dev (config) with env keys", config=dev_conf, env=env(), profile="dev")
    c.add("explicit dev beats AWS_PROFILE=prod", credentials=both, env={"AWS_PROFILE": "prod"}, profile="dev")
    c.add("AWS_DEFAULT_PROFILE beats AWS_PROFILE", credentials=both,
          env={"AWS_DEFAULT_PROFILE": "dev", "AWS_PROFILE": "prod"})
    c.add("AWS_DEFAULT_PROFILE alone", credentials=both, env={"AWS_DEFAULT_PROFILE": "prod"})
    c.add("explicit default with env keys", credentials=both, env=env(), profile="default")
    c.add("AWS_PROFILE=missing", credentials=both, env={"AWS_PROFILE": "missing"})
    c.add("AWS_PROFILE=missing with env keys", credentials=both, env=dict(env(), AWS_PROFILE="missing"))
    c.add("explicit missing", credentials=both, profile="missing")
    c.add("explicit missing with env keys", credentials=both, env=env(), profile="missing")
    c.add("explicit missing, AWS_PROFILE=dev", credentials=both, env={"AWS_PROFILE": "dev"}, profile="missing")
    c.add("AWS_PROFILE=missing, no files", env={"AWS_PROFILE": "missing"})
    c.add("AWS_PROFILE empty", credentials=both, env={"AWS_PROFILE": ""})
    c.add("AWS_PROFILE=default, no default profile", credentials=dev_cred, env={"AWS_PROFILE": "default"})
    c.add("AWS_PROFILE=default, no default, env keys", credentials=dev_cred,
          env=dict(env(), AWS_PROFILE="default"))
    c.add("explicit default, no default profile", credentials=dev_cred, profile="default")
    c.add("explicit default, no default profile, env keys", credentials=dev_cred, env=env(), profile="default")
    c.add("explicit default, no files", profile="default")
    c.add("AWS_PROFILE=dev: [profile dev] in credentials is another profile",
          raw_credentials="[profile dev]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % c.keys["cred:dev"],
          env={"AWS_PROFILE": "dev"})
    c.add("AWS_PROFILE=dev without keys", config={"dev": {"region": "eu-west-1"}}, env={"AWS_PROFILE": "dev"})
    c.add("AWS_PROFILE=dev without keys, env keys", config={"dev": {"region": "eu-west-1"}},
          env=dict(env(), AWS_PROFILE="dev"))
    c.add("explicit dev without keys, env keys", config={"dev": {"region": "eu-west-1"}}, env=env(), profile="dev")
    c.add("explicit dev only in credentials file", credentials=dev_cred, profile="dev")
    c.add("explicit dev, partial keys in credentials", credentials={"dev": {"aws_access_key_id": "AKIDPARTIAL"}},
          env=env(), profile="dev")
    c.add("AWS_PROFILE=dev, partial keys in credentials, env keys",
          credentials={"dev": {"aws_access_key_id": "AKIDPARTIAL"}}, env=dict(env(), AWS_PROFILE="dev"))

    # credential_process.
    c.add("process", config={"default": p("ok")})
    c.add("process through /bin/sh", config={"default": p("ok-sh")})
    c.add("process with expiry", config={"default": p("ok2")})
    c.add("process with token and expiry", config={"default": p("token")})
    c.add("process with a quoted argument", config={"default": p("by-arg")})
    c.add("process in the credentials file", credentials={"default": p("ok")})
    c.add("credentials-file keys beat process", config={"default": p("ok")}, credentials={"default": k("cred:default")})
    c.add("process beats config-file keys", config={"default": dict(k("conf:default"), **p("ok"))})
    c.add("env beats process", config={"default": p("ok")}, env=env())
    c.add("explicit profile: process, env ignored", config={"dev": p("ok")}, env=env(), profile="dev")
    c.add("AWS_PROFILE: process", config={"dev": p("ok2")}, env={"AWS_PROFILE": "dev"})
    c.add("process fails", config={"default": p("fail")})
    c.add("process fails, config keys present", config={"default": dict(k("conf:default"), **p("fail"))})
    c.add("process prints no JSON", config={"default": p("bad-json")})
    c.add("process Version 2", config={"default": p("version2")})
    c.add("process without Version", config={"default": p("no-version")})
    c.add("process without secret", config={"default": p("no-secret")})
    c.add("process command missing", config={"default": p("missing-command")})
    c.add("process empty", config={"default": {"credential_process": ""}})
    c.add("partial credentials keys before process", config={"default": p("ok")},
          credentials={"default": {"aws_access_key_id": "AKIDPARTIAL"}})
    c.add("partial config keys after process", config={"default": dict(p("ok"), aws_access_key_id="AKIDPARTIAL")})
    c.add("process fails but env keys win", config={"default": p("fail")}, env=env())

    # Assume role through source_profile.
    base = {"base": k("cred:ops")}
    role = lambda name, source, **extra: dict({"role_arn": role_arn(name), "source_profile": source}, **extra)
    c.add("assume role: AWS_PROFILE, source keys in credentials", config={"r": role("role-a", "base")},
          credentials=base, env={"AWS_PROFILE": "r"})
    c.add("assume role: source keys in config", config={"r": role("role-a", "base"), "base": k("conf:ops")},
          env={"AWS_PROFILE": "r"})
    c.add("assume role: explicit profile", config={"r": role("role-b", "base")}, credentials=base, profile="r")
    c.add("assume role: env keys win when not explicit", config={"r": role("role-a", "base")}, credentials=base,
          env=dict(env(), AWS_PROFILE="r"))
    c.add("assume role: explicit ignores env keys", config={"r": role("role-a", "base")}, credentials=base,
          env=env(), profile="r")
    c.add("assume role: default profile", config={"default": role("role-a", "base")}, credentials=base)
    c.add("assume role: role in the credentials file",
          credentials={"r": role("role-c", "base"), "base": k("cred:ops")}, env={"AWS_PROFILE": "r"})
    c.add("assume role: source has credential_process", config={"r": role("role-a", "base"), "base": p("ok")},
          env={"AWS_PROFILE": "r"})
    c.add("assume role: source process fails", config={"r": role("role-a", "base"), "base": p("fail")},
          env={"AWS_PROFILE": "r"})
    c.add("assume role: source has no credentials", config={"r": role("role-a", "base"),
                                                           "base": {"region": REGION}}, env={"AWS_PROFILE": "r"})
    c.add("assume role: source has partial keys", config={"r": role("role-a", "base")},
          credentials={"base": {"aws_access_key_id": c.keys["cred:ops"][0]}}, env={"AWS_PROFILE": "r"})
    c.add("assume role: source ignores env keys", config={"r": role("role-a", "base"), "base": {"region": REGION}},
          env=env(), profile="r")
    c.add("assume role: source profile missing", config={"r": role("role-a", "nope")}, env={"AWS_PROFILE": "r"})
    c.add("assume role: source_profile and credential_source",
          config={"r": role("role-a", "base", credential_source="Environment")}, credentials=base, env=dict(
              env(), AWS_PROFILE="r"), profile="r")
    c.add("assume role: role_arn alone", config={"r": {"role_arn": role_arn("role-a")}}, env={"AWS_PROFILE": "r"})
    c.add("assume role: role_arn alone with keys", config={"r": dict(k("conf:dev"), role_arn=role_arn("role-a"))},
          env={"AWS_PROFILE": "r"})
    c.add("assume role: self reference with static keys", config={"r": dict(role("role-a", "r"), **k("conf:dev"))},
          env={"AWS_PROFILE": "r"})
    c.add("assume role: self reference, keys in credentials file", config={"r": role("role-b", "r")},
          credentials={"r": k("cred:dev")}, env={"AWS_PROFILE": "r"})
    c.add("assume role: self reference without keys", config={"r": role("role-a", "r")}, env={"AWS_PROFILE": "r"})
    c.add("assume role: loop a -> b -> a", config={"a": role("role-a", "b"), "b": role("role-b", "a")},
          env={"AWS_PROFILE": "a"})
    c.add("assume role: loop a -> b -> c -> b",
          config={"a": role("role-a", "b"), "b": role("role-b", "c"), "c": role("role-c", "b")},
          env={"AWS_PROFILE": "a"})
    c.add("assume role: two hops", config={"r2": role("role-b", "r1"), "r1": role("role-a", "base")},
          credentials=base, env={"AWS_PROFILE": "r2"})
    c.add("assume role: three hops",
          config={"r3": role("role-c", "r2"), "r2": role("role-b", "r1"), "r1": role("role-a", "base")},
          credentials=base, profile="r3")
    c.add("assume role: middle profile's own keys end the chain",
          config={"r2": role("role-b", "r1"), "r1": dict(role("role-a", "missing-never-read"), **k("conf:dev"))},
          env={"AWS_PROFILE": "r2"})
    c.add("assume role: chain ends in a process", config={"r2": role("role-b", "r1"), "r1": role("role-a", "base"),
                                                         "base": p("ok2")}, env={"AWS_PROFILE": "r2"})
    c.add("assume role: chain to credential_source Environment",
          config={"r2": role("role-b", "r1"), "r1": {"role_arn": role_arn("role-a"),
                                                     "credential_source": "Environment"}},
          env=dict(env(), AWS_PROFILE="r2"), profile="r2")
    c.add("assume role: options", config={"r": role("role-a", "base", role_session_name="awsd-diff",
                                                    external_id="ext-1", duration_seconds="900")},
          credentials=base, env={"AWS_PROFILE": "r"})
    c.add("assume role: non-numeric duration", config={"r": role("role-a", "base", duration_seconds="soon")},
          credentials=base, env={"AWS_PROFILE": "r"})
    c.add("assume role: region in the profile", config={"r": role("role-a", "base", region=REGION)},
          credentials=base, env={"AWS_PROFILE": "r"}, region=False)
    c.add("assume role: no region anywhere", config={"r": role("role-a", "base")}, credentials=base,
          env={"AWS_PROFILE": "r"}, region=False)
    c.add("assume role: role profile also has static keys", config={"r": dict(role("role-a", "base"),
                                                                              **k("conf:dev"))},
          credentials=base, env={"AWS_PROFILE": "r"})
    c.add("assume role: role_arn with web_identity_token_file is not assume-role",
          config={"r": dict(role("role-a", "base"), web_identity_token_file="/nonexistent/token")},
          credentials=base, profile="r")
    c.add("assume role: fake source key refused by STS", config={"r": role("role-a", "base")},
          credentials={"base": {"aws_access_key_id": FAKE_ID, "aws_secret_access_key": FAKE_SECRET}},
          env={"AWS_PROFILE": "r"})
    c.add("assume role: wrong secret refused by STS", config={"r": role("role-a", "base")},
          credentials={"base": {"aws_access_key_id": c.keys["cred:ops"][0], "aws_secret_access_key": "wrong"}},
          env={"AWS_PROFILE": "r"})
    c.add("assume role: process with fake key refused by STS", config={"r": role("role-a", "base"),
                                                                      "base": p("fake")}, env={"AWS_PROFILE": "r"})

    # credential_source.
    cs = lambda source, name="role-a": {"role_arn": role_arn(name), "credential_source": source}
    c.add("credential_source Environment", config={"r": cs("Environment")}, env=dict(env(), AWS_PROFILE="r"))
    c.add("credential_source Environment, explicit profile", config={"r": cs("Environment", "role-b")}, env=env(),
          profile="r")
    c.add("credential_source Environment, default profile", config={"default": cs("Environment")}, env=env())
    c.add("credential_source Environment, AWS_DEFAULT_PROFILE and explicit", config={"r": cs("Environment")},
          env=dict(env(), AWS_DEFAULT_PROFILE="r"), profile="r")
    c.add("credential_source Environment, token refused by STS", config={"r": cs("Environment")},
          env=dict(env(), AWS_SESSION_TOKEN="not-an-sts-token"), profile="r")
    c.add("credential_source Environment, no env keys", config={"r": cs("Environment")}, env={"AWS_PROFILE": "r"})
    c.add("credential_source Environment, no env keys, explicit", config={"r": cs("Environment")}, profile="r")
    c.add("credential_source Environment, access key only", config={"r": cs("Environment")},
          env={"AWS_ACCESS_KEY_ID": c.keys["env"][0]}, profile="r")
    c.add("credential_source Environment, secret only", config={"r": cs("Environment")},
          env={"AWS_SECRET_ACCESS_KEY": c.keys["env"][1]}, profile="r")
    c.add("credential_source Environment, fake env keys", config={"r": cs("Environment")}, env=fake_env, profile="r")
    c.add("credential_source Environment, profile has static keys",
          config={"r": dict(cs("Environment"), **k("conf:dev"))}, env=env(), profile="r")
    c.add("credential_source EcsContainer", config={"r": cs("EcsContainer")}, profile="r")
    c.add("credential_source Ec2InstanceMetadata", config={"r": cs("Ec2InstanceMetadata")}, profile="r")
    c.add("credential_source invalid", config={"r": cs("Bogus")}, env=env(), profile="r")
    c.add("credential_source lowercase environment", config={"r": cs("environment")}, env=env(), profile="r")


def random_cases(c, rng, count):
    """Random worlds: which profiles exist, in which file, with which keys,
    process or role, then a random environment and selection (biased towards
    profiles that exist, so that most cases get past ProfileNotFound)."""
    good = c.scripts.good
    bad = ["fail", "bad-json", "version2", "no-secret"]
    for n in range(count):
        names = [p for p in PROFILES if rng.random() < 0.75] or ["default"]
        pick = lambda: rng.choice(names) if rng.random() < 0.9 else rng.choice(PROFILES + ["missing"])
        config, credentials = {}, {}
        for name in names:
            where = rng.random()
            if where < 0.8:
                section = config.setdefault(name, {})
                r = rng.random()
                if r < 0.3:
                    section.update(c.static("conf:" + name))
                elif r < 0.35:
                    section["aws_access_key_id"] = "AKIDPARTIAL%d" % n
                if rng.random() < 0.15:
                    section.update(c.proc(rng.choice(good) if rng.random() < 0.8 else rng.choice(bad)))
                if rng.random() < 0.4:
                    section["role_arn"] = role_arn(rng.choice(ROLES))
                    r = rng.random()
                    if r < 0.85:
                        section["source_profile"] = pick()
                    elif r < 0.95:
                        section["credential_source"] = rng.choice(["Environment"] * 3 + ["EcsContainer", "Bogus"])
                    elif r < 0.98:
                        section["source_profile"] = pick()
                        section["credential_source"] = "Environment"
                if rng.random() < 0.1:
                    section["region"] = rng.choice([REGION, "eu-west-1"])
            if where > 0.5:
                section = credentials.setdefault(name, {})
                r = rng.random()
                if r < 0.75:
                    section.update(c.static("cred:" + name))
                elif r < 0.85:
                    section["aws_access_key_id"] = "AKIDPARTIAL%d" % n
                elif r < 0.9:
                    section["aws_secret_access_key"] = "lonely-secret"
                elif r < 0.95:
                    section.update(c.proc(rng.choice(good)))
                else:
                    section["role_arn"] = role_arn(rng.choice(ROLES))
                    section["source_profile"] = pick()
        env = {}
        r = rng.random()
        if r < 0.3:
            env.update(c.env_keys())
        elif r < 0.33:
            env["AWS_ACCESS_KEY_ID"] = c.keys["env"][0]
        elif r < 0.35:
            env["AWS_SECRET_ACCESS_KEY"] = c.keys["env"][1]
        if rng.random() < 0.5:
            env["AWS_PROFILE"] = pick()
        if rng.random() < 0.08:
            env["AWS_DEFAULT_PROFILE"] = pick()
        profile = pick() if rng.random() < 0.4 else ""
        c.add("random %d" % n, config=config if rng.random() < 0.95 else None,
              credentials=credentials if rng.random() < 0.95 else None, env=env, profile=profile,
              region=rng.random() < 0.93)


def case_environment(case, case_dir, endpoint):
    """Exactly what both sides see."""
    env = {
        "HOME": os.path.join(case_dir, "home"),
        "PATH": "/usr/bin:/bin",
        "AWS_CONFIG_FILE": os.path.join(case_dir, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(case_dir, "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL_STS": endpoint,
    }
    env.update(case["env"])
    return env


def agree(theirs, ours, assumed):
    """(True, note) when the results agree, else (False, why)."""
    if "crash" in ours:
        return False, "credential_chain_tool did not answer: " + ours["crash"]
    if not theirs["ok"] or not ours["ok"]:
        if theirs["ok"] == ours["ok"]:
            return True, "both failed"
        return False, "only one side failed"
    if theirs["found"] != ours["found"]:
        return False, "found differs"
    if not theirs["found"]:
        return True, "both found nothing"
    if theirs["method"] != ours["method"]:
        return False, "method differs"
    if theirs["method"] != "assume-role":
        if theirs["access_key_id"] != ours["access_key_id"]:
            return False, "access key id differs"
        return True, theirs["method"]
    b_key, a_key = theirs["access_key_id"], ours["access_key_id"]
    if not (b_key.startswith("ASIA") and a_key.startswith("ASIA")):
        return False, "assume-role key ids are not both ASIA keys"
    if a_key not in assumed:
        return False, "awsd's assume-role key %s was not issued by moto's STS" % a_key
    if b_key not in assumed:
        return False, "botocore's assume-role key %s was not issued by moto's STS" % b_key
    if assumed[a_key] != assumed[b_key]:
        return False, "different roles assumed: botocore %s, awsd %s" % (assumed[b_key], assumed[a_key])
    return True, "assume-role"


def redact(text, secrets):
    for slot, secret in secrets.items():
        text = text.replace(secret, "<secret of %s>" % slot)
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--seed", type=int, default=20240607)
    parser.add_argument("--random-cases", type=int, default=150)
    parser.add_argument("--verbose", action="store_true", help="print every case's two results")
    args = parser.parse_args()
    started = time.time()
    # ctest stops a test past its TIMEOUT with SIGTERM: unwind through the
    # finally below so that moto_server is stopped and the files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))

    work = tempfile.mkdtemp(prefix="awsd-chain-diff-")
    port = free_port()
    endpoint = "http://127.0.0.1:%d" % port
    moto_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    moto_env.update(INITIAL_NO_AUTH_ACTION_COUNT="3", AWS_DEFAULT_REGION=REGION)
    moto_log = open(os.path.join(work, "moto.log"), "w")
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            env=moto_env, stdout=moto_log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while not listening(port):
            assert moto.poll() is None, "moto_server exited with %s" % moto.returncode
            assert time.time() < deadline, "moto_server did not start listening on %d" % port
            time.sleep(0.1)
        keys = bootstrap_moto(endpoint)
        secrets = {slot: secret for slot, (_, secret) in keys.items()}

        cases = Cases(keys, Scripts(work, keys))
        systematic(cases)
        n_systematic = len(cases.items)
        random_cases(cases, random.Random(args.seed), args.random_cases)
        all_cases = cases.items
        assert len(all_cases) >= 200, "only %d cases" % len(all_cases)

        inputs = []
        for i, case in enumerate(all_cases):
            case_dir = os.path.join(work, "case-%03d" % i)
            os.makedirs(os.path.join(case_dir, "home"))
            for kind in ("config", "credentials"):
                if case[kind] is not None:
                    with open(os.path.join(case_dir, kind), "w") as f:
                        f.write(case[kind])
            env = case_environment(case, case_dir, endpoint)
            path = os.path.join(case_dir, "case.json")
            with open(path, "w") as f:
                json.dump({"env": env, "profile": case["profile"]}, f)
            inputs.append((path, env))

        # botocore: every case in one subprocess.
        runner = os.path.join(work, "botocore_runner.py")
        with open(runner, "w") as f:
            f.write(BOTOCORE_RUNNER)
        batch = os.path.join(work, "botocore_cases.json")
        with open(batch, "w") as f:
            json.dump([{"env": env, "profile": case["profile"]} for (_, env), case in zip(inputs, all_cases)], f)
        botocore_started = time.time()
        out = subprocess.run([sys.executable, runner, batch], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=BOTOCORE_TIMEOUT, check=False)
        botocore_results = [json.loads(line) for line in out.stdout.decode().splitlines() if line.strip()]
        assert out.returncode == 0 and len(botocore_results) == len(all_cases), (
            "botocore runner: rc=%d, %d of %d answers\n%s" % (out.returncode, len(botocore_results), len(all_cases),
                                                                out.stderr.decode()[-2000:]))
        botocore_seconds = time.time() - botocore_started

        # awsd: one tool run per case, with the same environment.
        awsd_started = time.time()
        awsd_results = []
        for path, env in inputs:
            try:
                run = subprocess.run([args.tool, path], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     timeout=TOOL_TIMEOUT, check=False)
                lines = [line for line in run.stdout.decode("utf-8", "replace").splitlines() if line.strip()]
                if run.returncode != 0 or len(lines) != 1:
                    awsd_results.append({"ok": False, "crash": "rc=%d stdout=%r stderr=%r" % (
                        run.returncode, run.stdout[-500:], run.stderr[-500:])})
                else:
                    awsd_results.append(json.loads(lines[0]))
            except subprocess.TimeoutExpired:
                awsd_results.append({"ok": False, "crash": "timed out after %ds" % TOOL_TIMEOUT})
        awsd_seconds = time.time() - awsd_started

        assumed = moto_assumed_roles(endpoint)

        disagreements = []
        outcomes = {}
        for case, theirs, ours in zip(all_cases, botocore_results, awsd_results):
            same, note = agree(theirs, ours, assumed)
            if args.verbose:
                print("%-8s %s\n  botocore: %s\n  awsd:     %s" % (
                    "agree" if same else "DISAGREE", case["name"], redact(json.dumps(theirs, sort_keys=True), secrets),
                    redact(json.dumps(ours, sort_keys=True), secrets)))
            if same:
                outcomes[note] = outcomes.get(note, 0) + 1
            else:
                disagreements.append((case, theirs, ours, note))

        for case, theirs, ours, note in disagreements:
            print("DISAGREE %s: %s" % (case["name"], note))
            print("  explicit profile: %r" % case["profile"])
            print("  env (besides HOME, PATH, file paths, AWS_EC2_METADATA_DISABLED, AWS_ENDPOINT_URL_STS): %s"
                  % redact(json.dumps(case["env"], sort_keys=True), secrets))
            for kind in ("config", "credentials"):
                text = "<no file>" if case[kind] is None else redact(case[kind], secrets)
                print("  %s:\n    %s" % (kind, text.rstrip("\n").replace("\n", "\n    ")))
            print("  botocore: %s" % redact(json.dumps(theirs, sort_keys=True), secrets))
            print("  awsd:     %s" % redact(json.dumps(ours, sort_keys=True), secrets))

        total = len(all_cases)
        print("outcomes of agreeing cases: %s" % json.dumps(outcomes, sort_keys=True))
        print("%d systematic + %d random cases; botocore %.1fs, awsd %.1fs, total %.1fs" % (
            n_systematic, total - n_systematic, botocore_seconds, awsd_seconds, time.time() - started))
        print("%d/%d cases agree" % (total - len(disagreements), total))

        # The generator must reach every provider, and assume-role must really
        # have gone through moto: agreement on failures alone proves little.
        for method in ("env", "shared-credentials-file", "config-file", "custom-process", "assume-role"):
            if outcomes.get(method, 0) < 5:
                print("FAIL: only %d agreeing cases resolved through %s" % (outcomes.get(method, 0), method))
                return 1
        return 1 if disagreements else 0
    finally:
        moto.terminate()
        try:
            moto.wait(timeout=10)
        except subprocess.TimeoutExpired:
            moto.kill()
            moto.wait()
        moto_log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
