"""Credentials resolved by the daemon for many clients, end to end: an
assume-role profile through moto_server's STS (signature checks on), shared by
concurrent awsctl processes (one AssumeRole for all of them), the assumed
credentials accepted by moto, an MFA profile refused without a code, and an
edited config file picked up without a signal.

    credentials_through_daemon_test.py BIN_DIR

Starts moto_server and awsd on 127.0.0.1 / a temporary socket, and stops both.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

import boto3

from moto_support import (BIN_DIR, REGION, Checks, awsctl, create_admin_key, free_port, listening, send, start_moto,
                          wait_until)


ROLE_ARN = "arn:aws:iam::123456789012:role/awsd-role"
TRUST = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}


def main():
    check = Checks()

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="awsd-creds-")
    socket_path = os.path.join(work, "awsd.sock")
    config_path = os.path.join(work, "config")
    moto = start_moto(port)
    daemon = None
    try:
        wait_until(lambda: listening(port), "moto_server")
        key = create_admin_key(endpoint, "awsd-base")
        signed_iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
        signed_iam.create_role(RoleName="awsd-role", AssumeRolePolicyDocument=json.dumps(TRUST))

        with open(config_path, "w") as f:
            f.write(f"[profile base]\naws_access_key_id = {key['AccessKeyId']}\n"
                    f"aws_secret_access_key = {key['SecretAccessKey']}\nregion = {REGION}\n"
                    f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = base\nregion = {REGION}\n"
                    f"[profile mfa]\nrole_arn = {ROLE_ARN}\nsource_profile = base\n"
                    f"mfa_serial = arn:aws:iam::123456789012:mfa/awsd\nregion = {REGION}\n")
        daemon_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        daemon_env.update(AWS_CONFIG_FILE=config_path, AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "none"),
                          AWS_ENDPOINT_URL_STS=endpoint, AWS_EC2_METADATA_DISABLED="true", HOME=work)
        daemon = subprocess.Popen([os.path.join(BIN_DIR, "awsd"), "--socket", socket_path], env=daemon_env,
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "awsd.log"), "w"))
        wait_until(lambda: awsctl(socket_path, "health").returncode == 0, "awsd")

        # 16 clients at once: the daemon assumes the role once for all.
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda _: awsctl(socket_path, "--profile", "role", "credentials"), range(16)))
        infos = [json.loads(r.stdout) for r in results if r.returncode == 0]
        check("16 concurrent clients all get assume-role credentials",
              len(infos) == 16 and all(i["source"] == "assume-role" for i in infos),
              [r.stderr for r in results if r.returncode != 0][:2])
        key_ids = {i["access_key_id"] for i in infos}
        check("one AssumeRole call served all of them", len(key_ids) == 1 and key_ids.pop().startswith("ASIA"),
              str(key_ids))
        check("the assumed credentials carry an expiration", all(i["expiration"] for i in infos), str(infos[:1]))

        # The assumed credentials work: moto checks the signature and says
        # who called.
        result = awsctl(socket_path, "--profile", "role", "sign", "--method", "POST", "--url", endpoint + "/",
                        "--service", "sts", "--region", REGION,
                        "--header", "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
                        "--body", "Action=GetCallerIdentity&Version=2011-06-15")
        signed = json.loads(result.stdout) if result.returncode == 0 else None
        if signed:
            signed["body"] = b"Action=GetCallerIdentity&Version=2011-06-15"
            status, body = send(signed)
        else:
            status, body = 0, result.stderr
        check("GetCallerIdentity signed with the assumed role is the role", status == 200 and "awsd-role" in body,
              f"{status} {body[:300]}")

        # No secret leaves the daemon without an export.
        check("credentials info holds no secret", key["SecretAccessKey"] not in results[0].stdout)

        result = awsctl(socket_path, "--profile", "mfa", "credentials")
        check("an MFA profile without a code is a clear error (exit 253)",
              result.returncode == 253 and "MFA code" in result.stderr and "mfa/awsd" in result.stderr,
              f"{result.returncode} {result.stderr}")

        # An edited config file is picked up within the daemon's poll.
        with open(config_path, "a") as f:
            f.write(f"[profile added]\naws_access_key_id = AKIDADDEDLATER\naws_secret_access_key = s\n")
        def added_profile_works():
            r = awsctl(socket_path, "--profile", "added", "credentials")
            return r.returncode == 0 and "AKIDADDEDLATER" in r.stdout
        try:
            wait_until(added_profile_works, "the edited config file", seconds=10)
            check("a profile added to the config file works without SIGHUP", True)
        except AssertionError as error:
            check("a profile added to the config file works without SIGHUP", False, str(error))
    finally:
        if daemon is not None:
            daemon.terminate()
            daemon.wait(timeout=20)
        moto.terminate()
        moto.wait(timeout=20)
        subprocess.run(["rm", "-rf", work])

    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
