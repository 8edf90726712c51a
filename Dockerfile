# syntax=docker/dockerfile:1
# awsd container image: docker build -t awsd .
# Sidecar example: deploy/compose.yaml; details: docs/deployment.md.

# ---- build ------------------------------------------------------------------
FROM debian:12 AS build
ENV DEBIAN_FRONTEND=noninteractive
# Dependencies first, so editing sources does not reinstall them.
COPY scripts/install-deps.sh /src/scripts/install-deps.sh
# python3-botocore only to copy its data/ folder into the runtime stage.
RUN bash /src/scripts/install-deps.sh \
 && apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends python3-botocore \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=Release \
      -DAWSD_BUILD_TESTS=OFF -DAWSD_BUILD_BENCH=OFF \
 && cmake --build /build -j"$(nproc)" \
 && cmake --install /build --prefix /staging/usr --strip

# ---- runtime ----------------------------------------------------------------
FROM debian:12-slim AS runtime
# The packages of the shared libraries awsd and awsctl load (apt pulls in
# their dependencies); tests/deploy/check_dockerfile_runtime.sh checks it.
# ca-certificates: STS and SSO are HTTPS (libcurl4 only recommends it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      libabsl20220623 \
      libcurl4 \
      libfmt9 \
      libgrpc++1.51 \
      libgrpc29 \
      libprotobuf32 \
      libpugixml1v5 \
      libsimdjson14 \
      libspdlog1.10 \
      libssl3 \
      libsystemd0 \
      libtomlplusplus3 \
      zlib1g \
 && rm -rf /var/lib/apt/lists/*

# Service models: only botocore's data/ folder (~75 MB of JSON), copied from
# the build stage. Installing python3-botocore here would add the same data
# plus a Python 3 interpreter, its standard library and nine python3-*
# dependencies (~27 MB more) that awsd never runs.
COPY --from=build /usr/lib/python3/dist-packages/botocore/data /usr/share/awsd/models
COPY --from=build /staging/usr/bin/awsd /staging/usr/bin/awsctl /usr/bin/

# Non-root, fixed uid/gid 10001 so the app container can share the socket
# by joining group 10001. $HOME/.aws is where credentials get mounted.
# The config makes the socket 0660 (awsd's default is 0600, owner only).
RUN groupadd --system --gid 10001 awsd \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/awsd --create-home \
      --shell /usr/sbin/nologin awsd \
 && install -d -o 10001 -g 10001 -m 0750 /run/awsd \
 && install -d -m 0755 /etc/awsd \
 && printf '%s\n' '# awsd in a container: socket on the shared /run/awsd volume.' \
      '[server]' 'socket = "/run/awsd/awsd.sock"' 'socket_mode = "0660"' \
      '[logging]' 'format = "json"' > /etc/awsd/awsd.toml

ENV AWSD_SOCKET=/run/awsd/awsd.sock \
    AWSD_MODELS_DIR=/usr/share/awsd/models \
    HOME=/home/awsd
# Share this with the app container (named volume or Kubernetes emptyDir).
VOLUME /run/awsd
USER 10001:10001

# SIGTERM (docker stop) drains and exits 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/bin/awsctl", "health"]
ENTRYPOINT ["/usr/bin/awsd"]
# Mount your own file over /etc/awsd/awsd.toml to change it.
CMD ["--config", "/etc/awsd/awsd.toml"]
