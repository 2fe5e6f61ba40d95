#!/usr/bin/env bash
# Builds the Dockerfile's image on this machine and proves it, with no Docker daemon and no image registry:
#   1. installs buildah, podman and debootstrap (apt-get, as root) where they are missing;
#   2. makes the base offline: a debootstrap of Debian bookworm with its python3.11 and pip, laid out as
#      python:3.11-slim is (Python at /usr/local/bin, pip free to install), imported as a local image;
#   3. builds the Dockerfile with BASE_IMAGE set to that base (buildah, vfs storage, chroot isolation;
#      pip and uv reach PyPI from inside the build, nothing else is fetched);
#   4. runs the image's own command (`englivo serve`) with podman, in production mode, on 127.0.0.1, and
#      checks /health, a keyed `{ health }` query (and that an unkeyed one is refused), the image's
#      HEALTHCHECK, that the serving process is not root, and that the image holds no test, training or
#      script file of this repository and no package outside the engine's runtime dependencies.
# Prints one summary line (`container-check: OK ...` or `container-check: FAILED ...`) and exits non-zero on
# any failure. Slow (about half an hour on 2 cores) and several GiB of disk: not part of scripts/test.sh.
# Its storage (CONTAINER_CHECK_DIR, default /var/tmp/englivo-container-check) is removed at the end unless
# CONTAINER_CHECK_KEEP=1; the logs stay in var/container-check/.
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
PODMAN=(podman "${STORE[@]}" --tmpdir "$DIR/tmp" --cgroup-manager cgroupfs --events-backend file)
BUILDAH=(buildah "${STORE[@]}")
STEP=start
START=$SECONDS
mkdir -p "$LOGS"
[ "$(id -u)" = 0 ] || { echo "container-check: FAILED: run as root (apt-get, debootstrap, buildah's vfs storage)"; exit 1; }
case "$DIR" in /?*/?*) ;; *) echo "container-check: FAILED: CONTAINER_CHECK_DIR must be a folder two levels deep"; exit 1;; esac

say() { echo "container-check: $*" >&2; }
fail() { echo "container-check: FAILED at $STEP: $*"; STEP=reported; exit 1; }

cleanup() {
  local rc=$?
  "${PODMAN[@]}" rm -f -t 5 "$NAME" >/dev/null 2>&1 || true
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
for tool in buildah podman debootstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >"$LOGS/apt.log"
fi
mkdir -p "$DIR/tmp"

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
  "${BUILDAH[@]}" config --os linux --arch amd64 --env LANG=C.UTF-8 \
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
size_bytes=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")
size_mib=$((size_bytes / 1048576))

STEP=contents
say "checking the image's contents"
ctr=$("${BUILDAH[@]}" from --pull=never "$IMAGE")
mnt=$("${BUILDAH[@]}" mount "$ctr")
python3 - "$mnt" <<'PY' || fail "the image holds files it should not (above)"
"""No file of this repository's tests/, features/, scripts/ or training modules is anywhere in the image."""
import hashlib
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
repo = pathlib.Path(".")
excluded = [p for d in ("tests", "features", "scripts") for p in (repo / d).rglob("*") if p.is_file()]
excluded += list(repo.glob("adapters/*/training.py")) + [repo / "adapters/cefr/corpora.py"]
shipped = {hashlib.sha256(p.read_bytes()).hexdigest()
           for d in ("domain", "application", "adapters", "entrypoints", "migrations") for p in (repo / d).rglob("*")
           if p.is_file() and p not in excluded}
wanted = {}
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
print("\n".join(found) or f"none of {sum(map(len, wanted.values()))} test/training/script files found",
      file=sys.stderr)
sys.exit(1 if found else 0)
PY
"${BUILDAH[@]}" umount "$ctr" >/dev/null
"${BUILDAH[@]}" rm "$ctr" >/dev/null
"${PODMAN[@]}" run --rm -i --network none "$IMAGE" python - <<'PY' || fail "packages outside the runtime dependencies (above)"
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
print(f"{len(installed)} distributions, all runtime dependencies" if not stray else
      f"not runtime dependencies: {stray} (of the dev extra: {sorted(dev & set(stray))})", file=sys.stderr)
sys.exit(1 if stray else 0)
PY

STEP=run
say "running the image's command as a container on 127.0.0.1:$PORT"
key=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
umask 077
printf '%s\n' ENGLIVO_ENVIRONMENT=production "ENGLIVO_SECURITY__API_KEYS=$key" ENGLIVO_DATABASE__AUTO_MIGRATE=true \
  ENGLIVO_HOST=127.0.0.1 "ENGLIVO_PORT=$PORT" >"$DIR/engine.env"
umask 022
"${PODMAN[@]}" run -d --name "$NAME" --network host --env-file "$DIR/engine.env" "$IMAGE" >/dev/null
python3 - "$PORT" "$NAME" "${PODMAN[@]}" <<'PY' || { "${PODMAN[@]}" logs "$NAME" >"$LOGS/engine.log" 2>&1; fail "the service did not answer /health in 240 s (see $LOGS/engine.log)"; }
import subprocess, sys, time, urllib.request
port, name, podman = sys.argv[1], sys.argv[2], sys.argv[3:]
deadline = time.monotonic() + 240
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as response:
            sys.exit(0 if response.status == 200 else 1)
    except OSError:
        state = subprocess.run([*podman, "inspect", "--format", "{{.State.Running}}", name],
                               capture_output=True, text=True).stdout.strip()
        if state != "true":
            sys.exit(1)
        time.sleep(2)
sys.exit(1)
PY

STEP=http
say "checking /health and a keyed { health } query"
python3 - "$PORT" "$key" <<'PY' || fail "HTTP checks (above)"
import json, sys, urllib.error, urllib.request
port, key = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"


def post(headers):
    request = urllib.request.Request(f"{base}/graphql", data=json.dumps({"query": "{ health }"}).encode(),
                                     headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


with urllib.request.urlopen(f"{base}/health", timeout=10) as response:
    assert response.status == 200, response.status
status, body = post({"x-api-key": key})
assert status == 200 and body and not body.get("errors") and body["data"]["health"], (status, body)
unkeyed, _ = post({})
assert unkeyed == 401, f"a query without a key answered {unkeyed}, not 401"
wrong, _ = post({"x-api-key": "x" * 32})
assert wrong == 401, f"a query with a wrong key answered {wrong}, not 401"
print(f"/health 200; keyed {{ health }}: {body['data']}; without a key: {unkeyed}; wrong key: {wrong}",
      file=sys.stderr)
PY

STEP=healthcheck
"${PODMAN[@]}" healthcheck run "$NAME" >/dev/null || fail "the image's HEALTHCHECK failed"

STEP=user
pid=$("${PODMAN[@]}" inspect --format '{{.State.Pid}}' "$NAME")
uid=$(awk '/^Uid:/ {print $2 ":" $3}' "/proc/$pid/status")
cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
config_user=$("${PODMAN[@]}" image inspect --format '{{.Config.User}}' "$IMAGE")
case "$cmd" in *englivo\ serve*) ;; *) fail "the container's process is '$cmd', not the image's 'englivo serve'";; esac
[ "${uid%%:*}" != 0 ] && [ "${uid##*:}" != 0 ] || fail "the serving process runs as root (uid $uid)"
[ -n "$config_user" ] && [ "$config_user" != root ] && [ "$config_user" != 0 ] || fail "the image's USER is root"
say "'$cmd' runs as uid $uid (image user $config_user)"
"${PODMAN[@]}" logs "$NAME" >"$LOGS/engine.log" 2>&1 || true

STEP=done
echo "container-check: OK in $((SECONDS - START)) s (base ${base_s} s, build ${build_s} s): image $IMAGE ${size_mib} MiB," \
  "serves /health and a keyed { health } on 127.0.0.1:$PORT as uid ${uid%%:*}, no test/training code or dev packages"
