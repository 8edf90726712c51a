#!/usr/bin/env python3
"""Differential test of the botocore dialect against botocore itself.

Feeds the same config/credentials texts to botocore (configloader.load_config
for the config file, raw_config_parse for the credentials file, merged as
Session.full_config does) and to profile_cases_tool, and compares profiles,
sso_sessions and services, or that both fail. Cases: every input of the
smithy-rs profile-parser suite, botocore's sample files, and seeded random
files built from fragments that exercise the grammar's corners.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

import botocore.configloader as configloader
import botocore.exceptions


def botocore_result(config, credentials, tmp):
    try:
        result = {'profiles': {}, 'sso_sessions': {}, 'services': {}}
        if config is not None:
            path = os.path.join(tmp, 'config')
            with open(path, 'wb') as f:
                f.write(config.encode('utf-8', 'surrogateescape'))
            loaded = configloader.load_config(path)
            for key in result:
                result[key] = loaded[key]
        if credentials is not None:
            path = os.path.join(tmp, 'credentials')
            with open(path, 'wb') as f:
                f.write(credentials.encode('utf-8', 'surrogateescape'))
            for name, values in configloader.raw_config_parse(path).items():
                if name not in result['profiles']:
                    result['profiles'][name] = values
                else:
                    result['profiles'][name].update(values)
        return dict(ok=True, **result)
    except botocore.exceptions.ConfigParseError:
        return {'ok': False}


FRAGMENTS = [
    '[default]', '[profile foo]', '[profile  foo ]', '[ profile bar]', '[profile "a b"]', "[profile 'q']",
    '[profile x y]', '[profile]', '[profilez w]', '[sso-session s]', '[services svc]', '[DEFAULT]',
    '[profile default]', '[other]', '[profile foo] # c', '[profile a]]', '[]', '[profile "open]',
    'region = us-east-1', 'Region=eu', 'key : value', 'url = http://h:1/p?a=b', 'k = v # not a comment',
    'k2 = v ; x', 'empty =', 's3 =', '  addressing_style = path', '  x=1', '\tnested = y', '  = noname',
    '  bad line', '    -continued', '# comment', '; comment', '   # indented comment', '', '   ',
    'no equals here', '= value', 'dup = 1', 'dup = 2', 'a=b=c', 'ünï = cödé', 'k\t=\tv\t',
    '[profile foo]; c', 'x = "quoted"', "role_arn = arn:aws:iam::123:role/r",
]
NEWLINES = ['\n', '\r\n', '\r']


def random_file(rng):
    lines = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 9))]
    if rng.random() < 0.7 and not lines[0].startswith('['):
        lines.insert(0, rng.choice(['[default]', '[profile foo]', '[foo]']))
    nl = rng.choice(NEWLINES) if rng.random() < 0.2 else '\n'
    return nl.join(lines) + (nl if rng.random() < 0.5 else '')


def cases(conformance, count, seed):
    with open(os.path.join(conformance, 'profile-files', 'profile-parser-tests.json')) as f:
        for test in json.load(f)['tests']:
            yield test['name'], test['input'].get('configFile'), test['input'].get('credentialsFile')
    samples = os.path.join(conformance, 'config-files')
    for name in sorted(os.listdir(samples)):
        with open(os.path.join(samples, name), 'rb') as f:
            text = f.read().decode('utf-8', 'surrogateescape')
        yield 'sample ' + name, text, None
        yield 'sample-as-credentials ' + name, None, text
    rng = random.Random(seed)
    for i in range(count):
        config = random_file(rng) if rng.random() < 0.8 else None
        credentials = random_file(rng) if rng.random() < 0.5 else None
        yield 'random %d' % i, config, credentials


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--tool', required=True)
    parser.add_argument('--conformance', required=True)
    parser.add_argument('--cases', type=int, default=3000)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()

    all_cases = list(cases(args.conformance, args.cases, args.seed))
    def hexed(text):
        # surrogateescape gives back the sample files' bad bytes as they were.
        return None if text is None else text.encode('utf-8', 'surrogateescape').hex()
    stdin = ''.join(json.dumps({'config': hexed(c), 'credentials': hexed(k)}) + '\n' for _, c, k in all_cases)
    out = subprocess.run([args.tool], input=stdin.encode(),
                         stdout=subprocess.PIPE, check=True).stdout.decode('utf-8', 'replace')
    tool_results = [json.loads(line) for line in out.splitlines()]
    assert len(tool_results) == len(all_cases), 'tool answered %d of %d' % (len(tool_results), len(all_cases))

    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for (name, config, credentials), ours in zip(all_cases, tool_results):
            theirs = botocore_result(config, credentials, tmp)
            ours.pop('error', None)
            if ours != theirs:
                failures += 1
                if failures <= 20:
                    print('MISMATCH %s\n  config=%r\n  credentials=%r\n  botocore=%s\n  awsd    =%s' % (
                        name, config, credentials, json.dumps(theirs), json.dumps(ours)))
    print('%d/%d cases agree with botocore' % (len(all_cases) - failures, len(all_cases)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
