#!/usr/bin/env python3
"""The AWS CLI v1's own answers, for awsctl's grammar and output tests.

Runs the installed awscli (1.45) on a fixed list of inputs and writes what it
does with them as JSON: xform_name of every operation and input member of a
few botocore models, the call parameters (or the error) of operation command
lines run through the real clidriver with the call stubbed out, and what its
JSON and text formatters print for responses. The C++ tests read that file
(awscli_expectations.json next to this script).

    awscli_reference.py generate FILE   # write the expectations
    awscli_reference.py check FILE      # regenerate and compare; exit 77 (skip) without awscli v1
"""

import base64
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile

MODELS = ['s3', 'ec2', 'dynamodb', 'sts', 'iam', 'sqs']


def schema_for(session, service_cli, service, operation):
    """The OperationSchema the daemon would describe (cli/arguments/operation_schema.h)."""
    from botocore import xform_name
    model = session.get_service_model(service)
    op = model.operation_model(operation)
    members = []
    shape = op.input_shape
    required = shape.required_members if shape else []
    for name, member in (shape.members.items() if shape else []):
        members.append({
            'name': name,
            'type': member.type_name,
            'list_member_type': member.member.type_name if member.type_name == 'list' else '',
            'required': name in required and not member.metadata.get('idempotencyToken', False),
            'streaming': bool(member.serialization.get('streaming')) or bool(
                getattr(member, 'metadata', {}).get('streaming')),
            'document': bool(member.metadata.get('document')),
        })
    schema = {
        'service': service_cli,
        'operation': operation,
        'cli_operation': xform_name(operation, '-'),
        'endpoint_prefix': model.endpoint_prefix,
        'input': members,
        'streaming_output': bool(op.has_streaming_output),
        'streaming_output_member': op.output_shape.serialization.get('payload', '') if op.has_streaming_output else '',
        'paginated': False,
        'paginator_input_tokens': [],
        'paginator_limit_key': '',
    }
    try:
        paginator = session.get_paginator_model(service).get_paginator(operation)
        tokens = paginator['input_token']
        schema['paginated'] = True
        schema['paginator_input_tokens'] = tokens if isinstance(tokens, list) else [tokens]
        schema['paginator_limit_key'] = paginator.get('limit_key', '')
    except Exception:
        pass
    return schema


# (service as typed, botocore service, operation, arguments, files {name: bytes})
ARGUMENT_CASES = [
    ('sts', 'sts', 'GetCallerIdentity', [], {}),
    ('sts', 'sts', 'GetCallerIdentity', ['--foo'], {}),
    ('sts', 'sts', 'GetCallerIdentity', ['--foo', 'bar', 'baz'], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'arn:aws:iam::1:role/r', '--role-session-name', 's',
                                  '--duration-seconds', '900'], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'arn:aws:iam::1:role/r'], {}),
    ('sts', 'sts', 'AssumeRole', [], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'r', '--role-session-name', 's', '--duration-seconds', 'x'], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'r', '--role-session-name', 's',
                                  '--tags', '{"Key":"a","Value":"1"}', '{"Key":"b","Value":"2"}'], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'r', '--role-session-name', 's',
                                  '--policy-arns', '[{"arn":"arn:aws:iam::aws:policy/A"}]'], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'r', '--role-session-name', 's', '--policy', 'file://policy.json'],
     {'policy.json': b'{\r\n  "Version": "2012-10-17"\r\n}\n'}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'r', '--role-session-name', 's', '--policy', 'file://missing.json'],
     {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'r', '--role-session-name', 's', '--policy', 'file://bin.dat'],
     {'bin.dat': b'\xff\xfe\x00'}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn', 'r', '--role-session-name'], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-arn=r', '--role-sess=s'], {}),
    ('sts', 'sts', 'AssumeRole', ['--role-a', 'r', '--role-session-name', 's', '--dur', '5'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--prefix', 'images/', '--max-keys', '5'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--max-keys', 'x'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--max-items', '10', '--page-size', '2',
                                      '--starting-token', 'abc'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--max-items', 'ten'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--no-paginate'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--no-paginate', '--max-items', '3'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--continuation-token', 't'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--max-keys', '5', '--starting-token', 't'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--fetch-owner'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--no-fetch-owner'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--fetch-owner=yes'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--optional-object-attributes', 'RestoreStatus'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--optional-object-attributes'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--optional-object-attributes', '["RestoreStatus"]'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--optional-object-attributes', 'file://attrs.txt'],
     {'attrs.txt': b'["RestoreStatus"]'}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--prefix', '-5'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--prefix', '-x'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--prefix', '-a b'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--bucket', 'b', '--max', '3'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--cli-input-json', '{"Bucket":"in","Prefix":"p","MaxKeys":3}',
                                      '--prefix', 'cli'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--cli-input-json', 'file://input.json'], {'input.json': b'{"Bucket": "f"}'}),
    ('s3api', 's3', 'ListObjectsV2', ['--cli-input-json', '{"Bucket": }'], {}),
    ('s3api', 's3', 'ListObjectsV2', ['--cli-input-json', 'file://nope.json'], {}),
    ('s3api', 's3', 'GetObject', ['--bucket', 'b', '--key', 'k', 'out.bin'], {}),
    ('s3api', 's3', 'GetObject', ['out.bin', '--bucket', 'b', '--key', 'k'], {}),
    ('s3api', 's3', 'GetObject', ['--bucket', 'b', '--key', 'k', 'out.bin', 'extra'], {}),
    ('s3api', 's3', 'GetObject', ['--bucket', 'b'], {}),
    ('s3api', 's3', 'GetObject', ['--bucket', 'b', '--key', 'k', '--part-number', '2',
                                  '--if-modified-since', '2024-01-02T03:04:05Z', 'o'], {}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--body', 'body.txt',
                                  '--content-length', '12', '--metadata', '{"a":"1","b":"2"}'], {'body.txt': b'hello'}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--body', 'nope.txt'], {}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--content-length', 'x'], {}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--content-md5', 'fileb://body.txt'],
     {'body.txt': b'hello'}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--website-redirect-location', 'file://x'], {}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--metadata', 'a=1'], {}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--metadata', '{"a": 1,}'], {}),
    ('s3api', 's3', 'PutObject', ['--bucket', 'b', '--key', 'k', '--metadata', '  {"a"\n:"x" "b"}'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"id":{"S":"1"}}', '--consistent-read'],
     {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"id":{"N":"1.50"}, "n": {"N": 2}}',
                                         '--attributes-to-get', 'a', 'b', 'c'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', 'file://key.json'],
     {'key.json': '{"id": {"S": "é\\u00e9\\ud83d\\ude00"}, "f": 1.5e3, "i": -7}'.encode()}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"id": "\\x"}'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"id": "a\tb"}'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"id": "abc'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"id" 1}'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"id": 1} x'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{1: 2}'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"a": [1, 2,]}'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"a": "\\u12"}'], {}),
    ('dynamodb', 'dynamodb', 'GetItem', ['--table-name', 'T', '--key', '{"a": [NaN, -Infinity, 1E+2, 0.5e-3, -0]}'],
     {}),
    ('dynamodb', 'dynamodb', 'Scan', ['--table-name', 'T', '--max-items', '5'], {}),
    ('dynamodb', 'dynamodb', 'Scan', ['--table-name', 'T', '--limit', '5'], {}),
    ('dynamodb', 'dynamodb', 'Scan', ['--table-name', 'T', '--segment', '1', '--total-segments', '4',
                                      '--exclusive-start-key', '{"id":{"S":"x"}}'], {}),
    ('sqs', 'sqs', 'SendMessage', ['--queue-url', 'https://sqs.us-east-1.amazonaws.com/1/q',
                                   '--message-body', 'file://msg.txt', '--delay-seconds', '+1_0'],
     {'msg.txt': b'line1\r\nline2\rline3\n'}),
    ('sqs', 'sqs', 'SendMessage', ['--queue-url', 'file://q', '--message-body', 'm'], {}),
    ('sqs', 'sqs', 'ReceiveMessage', ['--queue-url', 'q', '--attribute-names', 'All', 'SentTimestamp',
                                      '--max-number-of-messages', '10', '--wait-time-seconds', ' 20 '], {}),
    ('sqs', 'sqs', 'ReceiveMessage', ['--queue-url', 'q', '--attribute-names', 'file://names.txt'],
     {'names.txt': b'All'}),
    ('sqs', 'sqs', 'ReceiveMessage', ['--queue-url', 'q', '--max-number-of-messages', '1.5'], {}),
    ('ec2', 'ec2', 'DescribeInstances', ['--instance-ids', 'i-1', 'i-2', '--dry-run',
                                         '--filters', '[{"Name":"tag:Name","Values":["web"]}]'], {}),
    ('ec2', 'ec2', 'DescribeInstances', ['--filters', '{"Name":"a","Values":["b"]}', 'Name=c,Values=d'], {}),
    ('ec2', 'ec2', 'DescribeInstances', ['--filters', 'Name=c,Values=d'], {}),
    ('ec2', 'ec2', 'DescribeInstances', ['--max-results', '5', '--no-dry-run'], {}),
    ('ec2', 'ec2', 'DescribeInstances', ['--dry-run', '--no-dry-run'], {}),
    ('ec2', 'ec2', 'DescribeInstances', ['--', '--dry-run'], {}),
    ('ec2', 'ec2', 'DescribeSpotPriceHistory', ['--start-time', '2024-01-01', '--instance-types', 't3.micro'], {}),
    ('cloudwatch', 'cloudwatch', 'PutMetricAlarm', ['--alarm-name', 'a', '--evaluation-periods', '1',
                                                    '--comparison-operator', 'GreaterThanThreshold',
                                                    '--threshold', '1_000.5e-1'], {}),
    ('cloudwatch', 'cloudwatch', 'PutMetricAlarm', ['--alarm-name', 'a', '--evaluation-periods', '1',
                                                    '--comparison-operator', 'X', '--threshold', 'abc'], {}),
    ('cloudwatch', 'cloudwatch', 'PutMetricAlarm', ['--alarm-name', 'a', '--evaluation-periods', '1',
                                                    '--comparison-operator', 'X', '--threshold', '-1e400'], {}),
    ('kms', 'kms', 'Encrypt', ['--key-id', 'k', '--plaintext', 'fileb://secret.bin'], {'secret.bin': b'\x00\x01\xfe\xff'}),
    ('kms', 'kms', 'Encrypt', ['--key-id', 'k', '--plaintext', 'aGVsbG8='], {}),
    ('kms', 'kms', 'Encrypt', ['--key-id', 'k', '--plaintext', 'fileb://none.bin'], {}),
    ('iam', 'iam', 'CreateRole', ['--role-name', 'r', '--assume-role-policy-document', 'file://trust.json',
                                  '--max-session-duration', '3600', '--tags', '[{"Key":"k","Value":"v"}]'],
     {'trust.json': b'{"Version":"2012-10-17","Statement":[]}'}),
    ('bedrock-runtime', 'bedrock-runtime', 'Converse', ['--model-id', 'm', '--messages', '[]',
                                                        '--additional-model-request-fields', '{"k": [1, {"x": null}]}'],
     {}),
    ('bedrock-runtime', 'bedrock-runtime', 'Converse', ['--model-id', 'm', '--messages', '[]',
                                                        '--additional-model-request-fields', '5'], {}),
    ('bedrock-runtime', 'bedrock-runtime', 'Converse', ['--model-id', 'm', '--messages', '[]',
                                                        '--additional-model-request-fields', 'x=1'], {}),
    ('route53', 'route53', 'ListResourceRecordSets', ['--hosted-zone-id', 'Z', '--max-items', '5'], {}),
    ('route53', 'route53', 'ListResourceRecordSets', ['--hosted-zone-id', 'Z', '--max-items', '5',
                                                      '--no-paginate'], {}),
]


def run_cli(service_cli, operation_cli, args, files):
    from awscli.clidriver import create_clidriver
    workdir = tempfile.mkdtemp(prefix='awscli-ref-')
    for name, content in files.items():
        with open(os.path.join(workdir, name), 'wb') as f:
            f.write(content)
    old_cwd = os.getcwd()
    os.chdir(workdir)
    try:
        driver = create_clidriver()
        captured = {}

        def capture(call_parameters, parsed_args, parsed_globals, **kwargs):
            captured['params'] = call_parameters
            captured['args'] = vars(parsed_args)
            captured['paginate'] = parsed_globals.paginate
            return 0

        driver.session.get_component('event_emitter').register_last('calling-command.*', capture)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                rc = driver.main([service_cli, operation_cli] + list(args))
            except SystemExit as e:
                rc = e.code
    finally:
        os.chdir(old_cwd)
        shutil.rmtree(workdir, ignore_errors=True)
    result = {'rc': rc}
    stderr = err.getvalue()
    if 'params' not in captured:
        if ': error: ' in stderr:  # argparse's error()
            result['error'] = stderr.split(': error: ', 1)[1].rstrip('\n')
        elif 'usage: ' in stderr:  # the usage, then the error
            result['error'] = stderr.rsplit('<subcommand> help\n', 1)[1].strip('\n')
        else:
            result['error'] = stderr.strip('\n')
        result['help'] = rc == 0
        return result
    params = {}
    for key, value in captured['params'].items():
        if key == 'PaginationConfig':
            for k, v in value.items():
                result[{'MaxItems': 'max_items', 'PageSize': 'page_size', 'StartingToken': 'starting_token'}[k]] = v
        elif hasattr(value, 'read'):
            result['streaming_input_member'] = key
            result['streaming_input_path'] = value.name
            value.close()
        else:
            params[key] = value
    result['params'] = params
    result['no_paginate'] = not captured['paginate']
    if captured['args'].get('outfile') is not None:
        result['outfile'] = captured['args']['outfile']
    return result


def to_json(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, float) and (value != value or value in (float('inf'), float('-inf'))):
        return {'$float': repr(value)}
    return value


JSON_OUTPUT_CASES = [
    '{}',
    '{"ResponseMetadata":{"RequestId":"r","HTTPStatusCode":200}}',
    '{"UserId":"AIDA","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/me",'
    '"ResponseMetadata":{"RequestId":"r"}}',
    '[]',
    '[1,2.5,"x",null,true,false,{},[],{"a":[]}]',
    '"just a string"',
    'null',
    '{"a":{"b":{"c":[1,[2,[3,{}]]]}},"e":[],"f":{}}',
    '{"floats":[100.0,1e+20,1e-05,0.0001,1.5,-0.0,123456789012345680.0,1E5,2.50,0.1,1e16,1e15,'
    '3.141592653589793,NaN,Infinity,-Infinity],"ints":[0,-1,12345678901234567890123]}',
    '{"s":"quote \\" backslash \\\\ slash \\/ nl \\n cr \\r tab \\t bs \\b ff \\f ctl \\u0001 \\u001f del \\u007f"}',
    '{"u":"caf\\u00e9 \\u2028 \\u2029 \\ud83d\\ude00 snow \\u2603 end","raw":"café ☃ 😀 \u2028"}',
    '{"ключ":"значение","emoji":"😀"}',
    '{"Contents":[{"Key":"a.txt","LastModified":"2024-01-02T03:04:05+00:00","ETag":"\\"abc\\"",'
    '"Size":12,"StorageClass":"STANDARD"}],"KeyCount":1,"IsTruncated":false}',
    '  {"spaced" : [ 1 , 2 ] }  ',
]

TEXT_OUTPUT_CASES = [
    '{"UserId":"AIDAEXAMPLE","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/me",'
    '"ResponseMetadata":{"RequestId":"r"}}',
    '{"IsTruncated":false,"Contents":[{"Key":"a.txt","LastModified":"2024-01-02T03:04:05+00:00",'
    '"ETag":"\\"abc\\"","Size":12,"StorageClass":"STANDARD","Owner":{"DisplayName":"me","ID":"id1"}},'
    '{"Key":"b/c.txt","LastModified":"2024-01-03T00:00:00+00:00","ETag":"\\"def\\"","Size":0,'
    '"StorageClass":"GLACIER","RestoreStatus":{"IsRestoreInProgress":true}}],"Name":"bucket","Prefix":"",'
    '"MaxKeys":1000,"EncodingType":"url","KeyCount":2,"CommonPrefixes":[{"Prefix":"b/"}]}',
    '{"Reservations":[{"ReservationId":"r-1","OwnerId":"123","Groups":[],"Instances":[{"InstanceId":"i-1",'
    '"ImageId":"ami-1","State":{"Code":16,"Name":"running"},"Tags":[{"Key":"Name","Value":"web"},'
    '{"Key":"env","Value":"prod"}],"SecurityGroups":[{"GroupName":"default","GroupId":"sg-1"}],'
    '"CpuOptions":{"CoreCount":1,"ThreadsPerCore":2},"EbsOptimized":false,"LaunchTime":"2024-01-01T00:00:00+00:00",'
    '"BlockDeviceMappings":[{"DeviceName":"/dev/xvda","Ebs":{"VolumeId":"vol-1","DeleteOnTermination":true}}],'
    '"ProductCodes":[],"Monitoring":{"State":"disabled"}}]}]}',
    '{"Items":[{"id":{"S":"1"},"n":{"N":"1.5"},"tags":{"SS":["a","b"]}},{"id":{"S":"2"},"m":{"M":{"x":{"BOOL":true}}},'
    '"l":{"L":[{"S":"x"},{"N":"2"}]},"nul":{"NULL":true}}],"Count":2,"ScannedCount":2,'
    '"ConsumedCapacity":{"TableName":"T","CapacityUnits":0.5}}',
    '{"QueueUrls":["https://q/1","https://q/2"]}',
    '{"a":[["x","y"],"z",["w"]],"b":[1,[2,3]]}',
    '[1,2.0,"x",null,true]',
    '[[1,2],[3,4]]',
    '{"f":[1e-05,1e+20,100.0,0.0001,1e16,1e15,-0.0,NaN,Infinity]}',
    '{"mixed":[{"a":1,"b":[1,2]},{"a":[3],"c":"x"},{"b":2}]}',
    '"scalar"',
    'null',
    '{}',
    '[]',
    '{"Attributes":{"Policy":"{\\"a\\": 1}","VisibilityTimeout":"30"},"e":{}, "l":[]}',
    '{"unicode":"café ☃","tab":"a\\tb","dict":{"k":"v\\nw"}}',
    '{"lower":[{"key":"v"}],"x":{"nested":{"deeper":[{"z":1}]}}}',
]


# A response that is not a dict only reaches the formatters through --query,
# after ResponseMetadata is removed: those are formatted directly.
def format_json(text):
    from awscli.formatter import JSONFormatter
    import argparse
    out = io.StringIO()
    formatter = JSONFormatter(argparse.Namespace(query=None))
    value = json.loads(text)
    if isinstance(value, dict):
        formatter('op', value, out)
    else:
        formatter._format_response('op', value, out)
    return out.getvalue()


def format_text(text):
    from awscli.formatter import TextFormatter
    import argparse
    out = io.StringIO()
    formatter = TextFormatter(argparse.Namespace(query=None))
    value = json.loads(text)
    if isinstance(value, dict):
        formatter('op', value, out)
    else:
        formatter._format_response(value, out)
    return out.getvalue()


def generate():
    os.environ.update(AWS_CONFIG_FILE='/dev/null', AWS_SHARED_CREDENTIALS_FILE='/dev/null',
                      AWS_DEFAULT_REGION='us-east-1', AWS_ACCESS_KEY_ID='AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY='x')
    import awscli
    import botocore
    import botocore.session
    from botocore import xform_name
    session = botocore.session.get_session()
    xform = {}
    for service in MODELS:
        model = session.get_service_model(service)
        for operation in model.operation_names:
            xform[operation] = xform_name(operation, '-')
            shape = model.operation_model(operation).input_shape
            for member in (shape.members if shape else []):
                xform[member] = xform_name(member, '-')
    for name in ('ListObjectsV2', 'SSEKMSKeyId', 'ListARNs', 'DescribeCachediSCSIVolumes', 'ExecutePartiQLStatement',
                 'already-kebab', 'HTTPSEndpoint', 'IPv6Address', 'DBInstanceARNs', 'Ss', 'ABs', 'X', ''):
        xform[name] = xform_name(name, '-')
    arguments = []
    for service_cli, service, operation, args, files in ARGUMENT_CASES:
        schema = schema_for(session, service_cli, service, operation)
        result = run_cli(service_cli, schema['cli_operation'], args, files)
        arguments.append({
            'schema': schema,
            'args': args,
            'files': {k: base64.b64encode(v).decode() for k, v in files.items()},
            'expected': to_json(result),
        })
    return {
        'generated_by': 'tests/cli/formatting/awscli_reference.py generate (awscli %s, botocore %s)'
                        % (awscli.__version__, botocore.__version__),
        'xform_name': xform,
        'arguments': arguments,
        'json_output': [{'input': t, 'expected': format_json(t)} for t in JSON_OUTPUT_CASES],
        'text_output': [{'input': t, 'expected': format_text(t)} for t in TEXT_OUTPUT_CASES],
    }


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('generate', 'check'):
        sys.exit(__doc__)
    try:
        import awscli
        if not awscli.__version__.startswith('1.'):
            raise ImportError
    except ImportError:
        print('awscli v1 is not installed: skipped')
        sys.exit(77)
    data = generate()
    text = json.dumps(data, indent=1, ensure_ascii=False) + '\n'
    if sys.argv[1] == 'generate':
        with open(sys.argv[2], 'w', encoding='utf-8') as f:
            f.write(text)
        return
    with open(sys.argv[2], encoding='utf-8') as f:
        stored = json.load(f)
    fresh = json.loads(text)
    stored.pop('generated_by', None)
    fresh.pop('generated_by', None)
    if stored != fresh:
        for key in fresh:
            if stored.get(key) != fresh[key]:
                print('%s differs from the installed AWS CLI; regenerate with: %s generate %s'
                      % (key, sys.argv[0], sys.argv[2]))
        sys.exit(1)
    print('expectations match the installed AWS CLI')


if __name__ == '__main__':
    main()
