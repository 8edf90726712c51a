#!/usr/bin/env python3
"""botocore's side of credentials_lookup_bench: the lookup a botocore client
makes before every signature (get_frozen_credentials on the session's
credentials), for static keys and for refreshing credentials. Prints JSON
{name: ns per lookup}."""
import json
import os
import stat
import sys
import tempfile
import timeit

import botocore.session

with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "credentials"), "w") as f:
        f.write("[static]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = secret\n")
    script = os.path.join(tmp, "process.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS\", \"SecretAccessKey\": \"s\", "
                "\"SessionToken\": \"t\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n")
    os.chmod(script, stat.S_IRWXU)
    with open(os.path.join(tmp, "config"), "w") as f:
        f.write("[profile refreshing]\ncredential_process = %s\n" % script)
    os.environ.update(AWS_CONFIG_FILE=os.path.join(tmp, "config"),
                      AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
                      AWS_EC2_METADATA_DISABLED="true")
    results = {}
    for name, profile in (("SessionLookup_StaticKeys", "static"), ("SessionLookup_Refreshing", "refreshing")):
        credentials = botocore.session.Session(profile=profile).get_credentials()
        number = 200000
        seconds = min(timeit.repeat(credentials.get_frozen_credentials, number=number, repeat=3))
        results[name] = seconds / number * 1e9
    json.dump(results, sys.stdout)
