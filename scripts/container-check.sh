#!/usr/bin/env bash
# Builds the Dockerfile's image on this machine and proves it, with no Docker daemon and no image registry:
#   1. installs buildah, debootstrap and iproute2 (apt-get, as root) where they are missing;
#   2. makes the base offline: a debootstrap of Debian bookworm with its python3.11 and pip, laid out as
#      python:3.11-slim is (Python at /usr/local/bin, pip free to install), imported as a local image;
#   3. builds the Dockerfile with BASE_IMAGE set to that base (buildah, vfs storage, chroot isolation; pip,
#      uv and apt reach PyPI and Debian from inside the build, nothing else is fetched);
#   4. checks that the image holds no file of tests/, features/, scripts/ or the training modules, no package
#      outside the engine's runtime dependencies, and no library that misses a system library;
#   5. runs the image's own command (`englivo serve`, as the image's user, by buildah's chroot isolation) in
#      production mode in a network namespace with only a loopback, and checks /health, a keyed `{ health }`
#      query (and that queries without the key or with a wrong one get 401), a text analysis (the shipped
#      models work offline), the image's HEALTHCHECK, and that the serving process is not root.
# Prints one summary line (`container-check: OK ...` or `container-check: FAILED ...`) and exits non-zero on
# any failure. Takes about 11 minutes on 2 busy cores and ~5 GiB of disk while it runs (BENCHMARKS.md): not part
# of scripts/test.sh.
# Its storage (CONTAINER_CHECK_DIR, default /var/tmp/englivo-container-check) is removed at the end unless
# CONTAINER_CHECK_KEEP=1 (a kept base is reused by the next run); the logs stay in var/container-check/.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${CONTAINER_CHECK_DIR:-/var/tmp/englivo-container-check}"
KEEP="${CONTAINER_CHECK_KEEP:-0}"
PORT="${CONTAINER_CHECK_PORT:-18001}"
MIRROR="${CONTAINER_CHECK_MIRROR:-http://deb.debian.org/debian}"
BASE=localhost/englivo-base:bookworm-python3.11
IMAGE=localhost/englivo-engine:check
NAME=englivo-container-check
LOGS="$PWD/var/container-check"
STORE=(--root "$DIR/storage" --runroot "$DIR/run" --storage-driver vfs)
BUILDAH=(buildah "${STORE[@]}")
STEP=start
START=$SECONDS
mkdir -p "$LOGS"
[ "$(id -u)" = 0 ] || { echo "container-check: FAILED: run as root (apt-get, debootstrap, buildah's vfs storage)"; exit 1; }
case "$DIR" in /?*/?*) ;; *) echo "container-check: FAILED: CONTAINER_CHECK_DIR must be a folder two levels deep"; exit 1;; esac

say() { echo "container-check: $*" >&2; }
descendants() { local child; for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done; }
fail() { echo "container-check: FAILED at $STEP: $*"; STEP=reported; exit 1; }

cleanup() {
  local rc=$?
  set +e
  [ -n "${ENGINE_PID:-}" ] && kill "$ENGINE_PID" 2>/dev/null
  if [ -n "${RUN_PID:-}" ]; then
    for child in $(descendants "$RUN_PID" 2>/dev/null); do kill "$child" 2>/dev/null; done
    kill "$RUN_PID" 2>/dev/null; wait "$RUN_PID" 2>/dev/null
  fi
  [ -n "${NETNS:-}" ] && ip netns del "$NETNS" 2>/dev/null
  "${BUILDAH[@]}" rm "$NAME" >/dev/null 2>&1 || true
  if [ "$KEEP" != 1 ] && [ -d "$DIR" ]; then
    "${BUILDAH[@]}" rm --all >/dev/null 2>&1 || true
    "${BUILDAH[@]}" rmi --all --force >/dev/null 2>&1 || true
    if findmnt -rn -o TARGET | grep -q "^$DIR"; then
      say "mounts remain under $DIR; not removing it"
    else
      rm -rf "$DIR"
    fi
  fi
  if [ "$rc" -ne 0 ] && [ "$STEP" != reported ]; then
    echo "container-check: FAILED at $STEP (exit $rc); logs in $LOGS"
  fi
}
trap cleanup EXIT

STEP=tools
missing=()
for tool in buildah debootstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >"$LOGS/apt.log"
fi

STEP=base
t0=$SECONDS
if ! "${BUILDAH[@]}" inspect --type image "$BASE" >/dev/null 2>&1; then
  say "making the base with debootstrap (log: $LOGS/base.log)"
  rootfs="$DIR/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=python3.11,python3-pip,ca-certificates \
    bookworm "$rootfs" "$MIRROR" >"$LOGS/base.log" 2>&1 || fail "debootstrap (see $LOGS/base.log)"
  # As python:3.11-slim: Python and pip on /usr/local/bin, and pip allowed to install (no PEP 668 marker).
  rm -f "$rootfs/usr/lib/python3.11/EXTERNALLY-MANAGED"
  for name in python3.11 python3 python; do ln -sf /usr/bin/python3.11 "$rootfs/usr/local/bin/$name"; done
  for name in pip pip3; do ln -sf /usr/bin/pip3 "$rootfs/usr/local/bin/$name"; done
  # The certificate authorities this machine adds (an egress proxy's, say), so that pip and uv reach PyPI
  # from inside the build as they do here; uv reads SSL_CERT_FILE. Only this check's base carries them.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >>"$LOGS/base.log" 2>&1
  fi
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin
  if findmnt -rn -o TARGET | grep -q "^$rootfs"; then fail "debootstrap left mounts under $rootfs"; fi
  ctr=$("${BUILDAH[@]}" from scratch)
  mnt=$("${BUILDAH[@]}" mount "$ctr")
  cp -a "$rootfs/." "$mnt/"
  "${BUILDAH[@]}" umount "$ctr" >/dev/null
  "${BUILDAH[@]}" config --os linux --arch "$(dpkg --print-architecture)" --env LANG=C.UTF-8 \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --cmd python3 "$ctr"
  "${BUILDAH[@]}" commit --rm -q "$ctr" "$BASE" >/dev/null
  rm -rf "$rootfs"
fi
base_s=$((SECONDS - t0))

STEP=build
t0=$SECONDS
say "building the image (log: $LOGS/build.log)"
"${BUILDAH[@]}" build --isolation chroot --pull=never --format docker \
  --build-arg BASE_IMAGE="$BASE" -t "$IMAGE" -f Dockerfile . >"$LOGS/build.log" 2>&1 \
  || fail "buildah build (see $LOGS/build.log)"
build_s=$((SECONDS - t0))

STEP=contents
say "checking the image's contents"
ctr=$("${BUILDAH[@]}" from --pull=never --name "$NAME" "$IMAGE")
mnt=$("${BUILDAH[@]}" mount "$ctr")
size_mib=$(( $(du -sb "$mnt" | cut -f1) / 1048576 ))  # the image's files, uncompressed
python3 - "$mnt" <<'PY' || fail "the image holds files it should not (above)"
"""No file of this repository's tests/, features/, scripts/ or training modules is anywhere in the image."""
import hashlib
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
repo = pathlib.Path(".")
excluded = [p for d in ("tests", "features", "scripts") for p in (repo / d).rglob("*")
            if p.is_file() and not {"node_modules", "__pycache__"} & set(p.parts)]
excluded += list(repo.glob("adapters/*/training.py")) + [repo / "adapters/cefr/corpora.py",
                                                          repo / "adapters/analysis/tagger/network.py"]
shipped = {hashlib.sha256(p.read_bytes()).hexdigest()
           for d in ("domain", "application", "adapters", "entrypoints", "migrations") for p in (repo / d).rglob("*")
           if p.is_file() and p not in excluded}
wanted: dict[int, dict[str, str]] = {}
for path in excluded:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if data.strip() and digest not in shipped:  # an empty __init__.py, or a copy of a shipped file, proves nothing
        wanted.setdefault(len(data), {})[digest] = str(path)
found = []
for path in root.rglob("*"):
    if path.is_symlink() or not path.is_file():
        continue
    by_size = wanted.get(path.stat().st_size)
    if by_size and (digest := hashlib.sha256(path.read_bytes()).hexdigest()) in by_size:
        found.append(f"{by_size[digest]} as /{path.relative_to(root)}")
print("\n".join(found) or f"none of the {sum(map(len, wanted.values()))} test, training and script files is in the image",
      file=sys.stderr)
sys.exit(1 if found else 0)
PY
"${BUILDAH[@]}" umount "$ctr" >/dev/null
# From here on commands run inside the image, as its user, by buildah's chroot isolation.
RUN=("${BUILDAH[@]}" run --isolation chroot --network host)
"${RUN[@]}" "$ctr" -- python - <<'PY' || fail "packages outside the runtime dependencies (above)"
"""Every installed distribution is a runtime dependency of the engine: no dev extra (pytest, ruff, mypy...)."""
import importlib.metadata as md
import re
import sys

from packaging.requirements import Requirement


def key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


installed = {key(d.metadata["Name"]): d for d in md.distributions()}
needed, todo = set(), [("englivo-engine", frozenset())]
while todo:
    name, extras = todo.pop()
    if (name, extras) in needed or name not in installed:
        continue
    needed.add((name, extras))
    for line in installed[name].requires or []:
        req = Requirement(line)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
            todo.append((key(req.name), frozenset(req.extras)))
required = {name for name, _ in needed}
dev = {key(Requirement(r).name) for r in md.requires("englivo-engine") or [] if 'extra == "dev"' in r}
stray = sorted(set(installed) - required)
print(f"{len(installed)} distributions, all runtime dependencies of the engine" if not stray else
      f"not runtime dependencies: {stray} (of the dev extra: {sorted(dev & set(stray))})", file=sys.stderr)
sys.exit(1 if stray else 0)
PY
# Every shared library in the environment finds the system libraries it links (a missing one fails only
# when its module is first imported); a "not found" next to the library itself is found through its rpath.
unresolved=$("${RUN[@]}" "$ctr" -- sh -c 'find /opt/venv -name "*.so*" -type f | while read -r f; do
  ldd "$f" 2>/dev/null | awk "/not found/ {print \$1}" | while read -r lib; do
    [ -e "$(dirname "$f")/$lib" ] || echo "$f needs $lib"; done; done')
[ -z "$unresolved" ] || fail "system libraries missing from the image: $unresolved"

STEP=run
# The image's own command, in a network namespace of its own with only a loopback: the service must start
# and answer with no network at all (every model inside the image, nothing downloaded at run time).
NETNS="englivo-check-$$"
ip netns add "$NETNS"
ip netns exec "$NETNS" ip link set lo up
IN_NS=(ip netns exec "$NETNS")
mapfile -d '' -t command < <("${BUILDAH[@]}" inspect --type image "$IMAGE" | python3 -c '
import json, sys
config = json.load(sys.stdin)["Docker"]["config"]
sys.stdout.write("\0".join((config.get("Entrypoint") or []) + (config.get("Cmd") or [])))')
key=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
ENGINE_ENV=(-e ENGLIVO_ENVIRONMENT=production -e "ENGLIVO_SECURITY__API_KEYS=$key" -e ENGLIVO_DATABASE__AUTO_MIGRATE=true
            -e ENGLIVO_HOST=127.0.0.1 -e "ENGLIVO_PORT=$PORT")
say "running the image's command '${command[*]}' with no network but its own loopback, port $PORT"
"${IN_NS[@]}" "${RUN[@]}" "${ENGINE_ENV[@]}" "$ctr" -- "${command[@]}" </dev/null >"$LOGS/engine.log" 2>&1 &
RUN_PID=$!
"${IN_NS[@]}" python3 - "$PORT" "$RUN_PID" <<'PY' || fail "the service did not answer /health in 240 s (see $LOGS/engine.log)"
import os, sys, time, urllib.request
port, run_pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 240
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as response:
            sys.exit(0 if response.status == 200 else 1)
    except OSError:
        if not os.path.exists(f"/proc/{run_pid}"):
            sys.exit(1)
        time.sleep(2)
sys.exit(1)
PY

STEP=http
say "checking /health, a keyed { health } query and a text analysis"
"${IN_NS[@]}" python3 - "$PORT" "$key" <<'PY' || fail "HTTP checks (above)"
import json, sys, urllib.error, urllib.request
port, key = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"


def post(query, headers):
    request = urllib.request.Request(f"{base}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


with urllib.request.urlopen(f"{base}/health", timeout=10) as response:
    assert response.status == 200, response.status
status, body = post("{ health }", {"x-api-key": key})
assert status == 200 and body and not body.get("errors") and body["data"]["health"] == "ok", (status, body)
health = body["data"]["health"]
unkeyed, _ = post("{ health }", {})
assert unkeyed == 401, f"a query without a key answered {unkeyed}, not 401"
wrong, _ = post("{ health }", {"x-api-key": "x" * 32})
assert wrong == 401, f"a query with a wrong key answered {wrong}, not 401"
# The shipped models load and work offline: spaCy, the grammar checker and the CEFR model.
status, body = post('mutation { analyzeText(input: {text: "Yesterday I go to the school and I buyed two book.", '
                    'learner: {userId: "container-check"}}) { __typename ... on TextAnalysis { errors { correctedText } } } }',
                    {"x-api-key": key})
analysis = (body or {}).get("data", {}).get("analyzeText") or {}
corrections = [e["correctedText"] for e in analysis.get("errors", [])]
assert analysis.get("__typename") == "TextAnalysis" and corrections, (status, body)
print(f"/health 200; keyed {{ health }}: {health}; without a key: {unkeyed}; wrong key: {wrong}; "
      f"analysis offline corrects to {corrections}", file=sys.stderr)
PY

STEP=healthcheck
mapfile -d '' -t healthcheck < <("${BUILDAH[@]}" inspect --type image "$IMAGE" | python3 -c '
import json, sys
test = (json.load(sys.stdin)["Docker"]["config"].get("Healthcheck") or {}).get("Test") or []
sys.stdout.write("\0".join(test[1:] if test[:1] == ["CMD"] else ["sh", "-c", *test[1:]]))')
[ "${#healthcheck[@]}" -gt 0 ] || fail "the image has no HEALTHCHECK"
"${IN_NS[@]}" "${RUN[@]}" -e "ENGLIVO_PORT=$PORT" "$ctr" -- "${healthcheck[@]}" >/dev/null 2>&1 \
  || fail "the image's HEALTHCHECK failed"

STEP=user
ENGINE_PID=
for pid in $(descendants "$RUN_PID"); do  # the command's own process (not buildah's), in the container's root
  case "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" in buildah-*) ;; *"${command[*]}"*)
    [ "/proc/$pid/root" -ef "$mnt" ] && ENGINE_PID=$pid;; esac
done
[ -n "$ENGINE_PID" ] || fail "no process of '${command[*]}' under the container"
cmd=$(tr '\0' ' ' <"/proc/$ENGINE_PID/cmdline")
uid=$(awk '/^Uid:/ {print $2 ":" $3}' "/proc/$ENGINE_PID/status")
config_user=$("${BUILDAH[@]}" inspect --type image --format '{{.Docker.Config.User}}' "$IMAGE")
[ "${uid%%:*}" != 0 ] && [ "${uid##*:}" != 0 ] || fail "the serving process runs as root (uid $uid)"
[ -n "$config_user" ] && [ "$config_user" != root ] && [ "$config_user" != 0 ] || fail "the image's USER is root"
say "'$cmd' runs as uid $uid (image user $config_user) in the container's root"

STEP=done
echo "container-check: OK in $((SECONDS - START)) s (base ${base_s} s, build ${build_s} s): image ${size_mib} MiB;" \
  "'${command[*]}' as uid ${uid%%:*} with no network serves /health, a keyed { health } and a text analysis;" \
  "HEALTHCHECK passes; no test/training code, dev packages or missing libraries"
