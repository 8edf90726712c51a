"""Fault injection, the AWS config file rewritten half-way (scenario 9 of
issue 10). The daemon polls its AWS config files (every 2 s, by inode,
size and mtime) and reloads them when they change; a file it cannot parse
is logged and the previous one kept (daemon/app/daemon.cc,
daemon/session/session_registry.cc). So:

1. a valid config (region us-east-1, key AKIDFAULTGOODONE): a call uses it;
2. the same file rewritten in place and cut in the middle of a section
   header: the daemon logs that it cannot use it, naming the file and line,
   keeps serving the previous profile, and does not crash;
3. the complete new file (region eu-west-1, key AKIDFAULTNEWONE): the new
   key and region are used (the region in the signature's scope);
4. a daemon started on the half file answers with a clear config error
   naming the file (exit 253), and recovers once the file is complete.

    config_rewrite_test.py BIN_DIR

Lower-level tests: tests/daemon/config/ (the parser's errors) and
tests/cli/credentials_through_daemon_test.py (an edited file picked up).
"""
import json
import sys

from fault_support import (SECRET_ACCESS_KEY, Checks, FakeServer, clean_environment, list_tables_ok, run_case,
                           running_daemon, script, wait_until, work_folder)


def config_text(region, key_id):
    return (f"[default]\nregion = {region}\naws_access_key_id = {key_id}\n"
            f"aws_secret_access_key = {SECRET_ACCESS_KEY}\n"
            f"[profile other]\nregion = us-west-2\naws_access_key_id = AKIDFAULTOTHER\n"
            f"aws_secret_access_key = {SECRET_ACCESS_KEY}\n")


GOOD = config_text("us-east-1", "AKIDFAULTGOODONE")
NEW = config_text("eu-west-1", "AKIDFAULTNEWONE")
# Cut in the middle of the second section's header: "[profile ot".
HALF = NEW[:NEW.index("[profile other]") + len("[profile ot")]


def write_in_place(path, text):
    """As an editor without atomic saves would: the same inode, truncated
    and rewritten."""
    with open(path, "r+" if text else "w") as f:
        f.truncate(0)
        f.write(text)


def call(daemon, fake):
    """dynamodb list-tables with no region from awsctl's side, so the
    daemon's profile decides; (result, the attempt's credential scope)."""
    before = fake.count()
    result = daemon.ctl("dynamodb", "list-tables", env=clean_environment())
    new = fake.requests[before:]
    authorization = (new[-1].header("Authorization") or "") if new else ""
    scope = authorization.split("Credential=")[1].split(",")[0] if "Credential=" in authorization else ""
    return result, scope


def described_key(daemon):
    result = daemon.ctl("credentials", env=clean_environment())
    try:
        return json.loads(result.stdout).get("access_key_id") if result.returncode == 0 else None
    except ValueError:
        return None


def test_config_rewritten_half_way(check):
    with work_folder("awsd-fault-config-") as work, FakeServer(script([], list_tables_ok())) as fake:
        env = {"AWS_ENDPOINT_URL": fake.url, "AWS_DEFAULT_REGION": None}
        with running_daemon(work, env=env, aws_config=GOOD) as daemon:
            result, scope = call(daemon, fake)
            check("valid config: the call succeeds with its key and region",
                  result.returncode == 0 and scope.startswith("AKIDFAULTGOODONE/") and "/us-east-1/dynamodb/" in scope,
                  f"{result!r} scope {scope}")

            write_in_place(daemon.config_path, HALF)
            try:
                wait_until(lambda: "cannot be used" in daemon.log_text(), "the daemon to notice the half file", 10)
                noticed = True
            except AssertionError:
                noticed = False
            log_lines = [line for line in daemon.log_text().splitlines() if "cannot be used" in line]
            check("half file: the daemon logs that it cannot use it, naming the file",
                  noticed and daemon.config_path in (log_lines[0] if log_lines else ""), daemon.log_tail())
            result, scope = call(daemon, fake)
            check("half file: calls keep the previous good profile (key and region)",
                  result.returncode == 0 and scope.startswith("AKIDFAULTGOODONE/") and "/us-east-1/" in scope,
                  f"{result!r} scope {scope}")
            check("half file: the credentials described are still the previous ones",
                  described_key(daemon) == "AKIDFAULTGOODONE")
            check("half file: the daemon is alive", daemon.alive(), daemon.log_tail())

            write_in_place(daemon.config_path, NEW)
            try:
                wait_until(lambda: described_key(daemon) == "AKIDFAULTNEWONE", "the new file to be used", 10)
                reloaded = True
            except AssertionError:
                reloaded = False
            check("complete new file: picked up within 10 s (new key)", reloaded, daemon.log_tail())
            result, scope = call(daemon, fake)
            check("complete new file: the call uses the new key and region (eu-west-1 in the scope)",
                  result.returncode == 0 and scope.startswith("AKIDFAULTNEWONE/") and "/eu-west-1/dynamodb/" in scope,
                  f"{result!r} scope {scope}")
            check("complete new file: the daemon is alive", daemon.alive(), daemon.log_tail())

        # A daemon started while the file is half written.
        write_in_place(daemon.config_path, HALF)
        with running_daemon(work, env=env, name="awsd-half") as late:
            result, _ = call(late, fake)
            check("started on the half file: a clear config error naming the file (exit 253)",
                  result.returncode == 253 and "AWS config files" in result.stderr
                  and late.config_path in result.stderr, repr(result))
            health = late.ctl("health")
            check("started on the half file: health answers", health.returncode == 0, repr(health))
            write_in_place(late.config_path, NEW)
            try:
                wait_until(lambda: call(late, fake)[0].returncode == 0, "the completed file to be used", 10)
                recovered = True
            except AssertionError:
                recovered = False
            result, scope = call(late, fake)
            check("started on the half file: once complete, calls use it (new key, eu-west-1)",
                  recovered and scope.startswith("AKIDFAULTNEWONE/") and "/eu-west-1/" in scope,
                  f"{result!r} scope {scope}")


def main():
    check = Checks()
    run_case(check, "test_config_rewritten_half_way", test_config_rewritten_half_way)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
