"""A container-credentials endpoint on 127.0.0.1 handing out credentials that
expire LIFETIME seconds after each fetch, so a daemon refreshes them every
LIFETIME/2 seconds (awsd refreshes short-lived credentials at half-life).
Prints its port, then counts fetches into COUNT_FILE; runs until killed.
    python3 fake_container_endpoint.py LIFETIME COUNT_FILE
"""
import datetime
import http.server
import json
import sys
import threading

lifetime = int(sys.argv[1])
count_file = sys.argv[2]
fetches = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global fetches
        with lock:
            fetches += 1
            n = fetches
            with open(count_file, "w") as f:
                f.write(str(n))
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lifetime)
        body = json.dumps({
            "AccessKeyId": "ASIASOAKTEST%08d" % n,
            "SecretAccessKey": "soak-secret-%d" % n,
            "Token": "soak-token-%d" % n,
            "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
