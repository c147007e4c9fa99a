#!/usr/bin/env bash
# local-deploy.sh: a STAND-IN for `shipgate/deploy` and the edge, which do not exist yet (see
# docs/workflows.md). It keeps releases of hello-service in directories on this machine, starts an
# instance only for as long as a command needs one (there is no supervisor to keep it running), and
# records canary weights in a file (there is no proxy to apply them). When the deploy action lands,
# the sample workflows call it instead of this script.
#
# Layout under $DEPLOY_ROOT (default: $RUNNER_TEMP/hello-service-deployments):
#   ENV/releases/NNNN-VERSION-COMMIT/   an unpacked artifact (one per install, never changed)
#   ENV/current, ENV/previous, ENV/canary   links to releases
#   ENV/canary-weight                   the share of traffic (percent) the canary would get
#   ENV/history.log                     one line per change
#
# Commands (ENV is staging, production, ...; SOURCE is a build directory or a .tar.gz):
#   install ENV SOURCE            unpack, start, check /health, stop; make it current (prints the release id)
#   verify ENV [RETRIES]          start the current release and check /health, retrying
#   smoke ENV VERSION [COMMIT]    start the current release; / must show VERSION (and COMMIT)
#   rollback ENV RELEASE          if RELEASE is current, restore the previous release
#   canary ENV SOURCE             install a release as the canary next to current (weight 0)
#   weight ENV PERCENT            record the canary's share of traffic
#   monitor ENV REQUESTS MAX_ERROR_PERCENT
#                                 send REQUESTS to / split by the weight; fail when the canary's
#                                 error rate is above MAX_ERROR_PERCENT
#   promote ENV                   the canary becomes current
#   abort ENV                     drop the canary; current keeps all traffic
#   status ENV                    print current, previous, canary and weight
# Environment: DEPLOY_ROOT; CANARY_FAILURE_RATE (0..1, passed to the canary instance as
# HELLO_FAILURE_RATE to make it fail on purpose); HEALTH_TIMEOUT (seconds to wait for an instance).
set -euo pipefail

root="${DEPLOY_ROOT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/hello-service-deployments}"
health_timeout="${HEALTH_TIMEOUT:-10}"

log() { echo "local-deploy: $*" >&2; }
die() { echo "local-deploy: error: $*" >&2; exit 1; }

env_dir() {
  [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "'$1' is not an environment name"
  mkdir -p "$root/$1/releases"
  echo "$root/$1"
}

# The release a link points at (its directory name), or nothing.
link_target() { if [[ -L $1 ]]; then basename "$(readlink "$1")"; fi; }

# Points link $2 at releases/$1, atomically (a reader sees the old or the new target, never none).
set_link() {
  ln -sfn "releases/$1" "$2.tmp"
  mv -Tf "$2.tmp" "$2"
}

# history ENV_DIR TEXT...: appends a timestamped line to ENV_DIR/history.log.
history() {
  local d=$1
  shift
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >>"$d/history.log"
}

# --- instances: started for one command, stopped when it ends --------------------------------------
declare -A instance_pid=() instance_port=()
instance_dir=""

stop_all() {
  local name
  for name in "${!instance_pid[@]}"; do
    kill -TERM "${instance_pid[$name]}" 2>/dev/null || true
    wait "${instance_pid[$name]}" 2>/dev/null || true
  done
  instance_pid=()
  [[ -z $instance_dir ]] || rm -rf "$instance_dir"
  instance_dir=""
}
trap stop_all EXIT

# start_instance NAME RELEASE_DIR [VAR=VALUE...]: starts the service on a free port (PORT=0) and
# waits until it listens; sets instance_port[NAME].
start_instance() {
  local name=$1 dir=$2 release
  shift 2
  release=$(basename "$(readlink -f "$dir")")
  [[ -n $instance_dir ]] || instance_dir=$(mktemp -d)
  local port_file="$instance_dir/$name.port" out="$instance_dir/$name.log"
  (cd "$dir" && exec env PORT=0 PORT_FILE="$port_file" "$@" node server.js) >"$out" 2>&1 &
  instance_pid[$name]=$!
  local deadline=$((SECONDS + health_timeout))
  until [[ -s $port_file ]]; do
    if ! kill -0 "${instance_pid[$name]}" 2>/dev/null || ((SECONDS >= deadline)); then
      cat "$out" >&2
      die "the $name instance of $release did not start listening"
    fi
    sleep 0.05
  done
  instance_port[$name]=$(<"$port_file")
  log "started $name instance of $release on port ${instance_port[$name]} (pid ${instance_pid[$name]})"
}

# check_health NAME [RETRIES]: GET /health must answer 200 "ok".
check_health() {
  local url="http://127.0.0.1:${instance_port[$1]}/health" body
  if ! body=$(curl -fsS --max-time 5 --retry "${2:-3}" --retry-delay 1 --retry-connrefused "$url"); then
    die "$1 instance: $url failed"
  fi
  [[ $body == ok ]] || die "$1 instance: $url answered '$body', not 'ok'"
  log "$1 instance: $url is healthy"
}

# --- releases -------------------------------------------------------------------------------------
# unpack ENV_DIR SOURCE: copies or extracts SOURCE into a new release directory; prints its id.
unpack() {
  local d=$1 src=$2 tmp
  tmp=$(mktemp -d "$d/releases/.incoming.XXXXXX")
  if [[ -d $src ]]; then
    cp -R "$src/." "$tmp/"
  elif [[ -f $src && $src == *.tar.gz ]]; then
    if [[ -f $src.sha256 ]]; then
      (cd "$(dirname "$src")" && sha256sum --quiet -c "$(basename "$src").sha256") >&2 ||
        { rm -rf "$tmp"; die "$src does not match its checksum $src.sha256"; }
    fi
    tar -xzf "$src" -C "$tmp"
  else
    rm -rf "$tmp"
    die "$src is neither a build directory nor a .tar.gz"
  fi
  [[ -f $tmp/server.js && -f $tmp/VERSION ]] || { rm -rf "$tmp"; die "$src has no server.js and VERSION: not a hello-service build"; }

  local version commit count id
  version=$(sed -n 's/^version=//p' "$tmp/VERSION")
  commit=$(sed -n 's/^commit=//p' "$tmp/VERSION")
  count=$(find "$d/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
  id=$(printf '%04d-%s-%.7s' $((count + 1)) "${version:-unknown}" "${commit:-unknown}")
  mv "$tmp" "$d/releases/$id"
  echo "$id"
}

# make_current ENV_DIR RELEASE: RELEASE becomes current, and what was current becomes previous.
make_current() {
  local old
  old=$(link_target "$1/current")
  [[ -z $old ]] || set_link "$old" "$1/previous"
  set_link "$2" "$1/current"
}

need_link() { [[ -L $1/$2 ]] || die "$(basename "$1") has no $2 release"; }

cmd_install() {
  (($# == 2)) || die "usage: install ENV SOURCE"
  local d id old
  d=$(env_dir "$1")
  id=$(unpack "$d" "$2")
  start_instance "$1" "$d/releases/$id"
  check_health "$1"
  stop_all
  old=$(link_target "$d/current")
  make_current "$d" "$id"
  history "$d" "installed $id (previous: ${old:-none})"
  log "$1 now runs $id (previous: ${old:-none}; stand-in: no instance is kept running)"
  echo "$id"
}

cmd_verify() {
  (($# >= 1 && $# <= 2)) || die "usage: verify ENV [RETRIES]"
  local d
  d=$(env_dir "$1")
  need_link "$d" current
  start_instance "$1" "$d/current"
  check_health "$1" "${2:-5}"
}

cmd_smoke() {
  (($# >= 2 && $# <= 3)) || die "usage: smoke ENV VERSION [COMMIT]"
  local d page shown_version shown_commit
  d=$(env_dir "$1")
  need_link "$d" current
  start_instance "$1" "$d/current"
  page=$(curl -fsS --max-time 5 "http://127.0.0.1:${instance_port[$1]}/") || die "smoke test: GET / failed"
  shown_version=$(sed -n 's/.*<span id="version">\([^<]*\)<.*/\1/p' <<<"$page")
  shown_commit=$(sed -n 's/.*<span id="commit">\([^<]*\)<.*/\1/p' <<<"$page")
  [[ $shown_version == "$2" ]] || die "smoke test: / shows version '$shown_version', expected '$2'"
  [[ $# -lt 3 || $shown_commit == "$3" ]] || die "smoke test: / shows commit '$shown_commit', expected '$3'"
  log "smoke test: / shows version $shown_version, commit $shown_commit"
}

cmd_rollback() {
  (($# == 2)) || die "usage: rollback ENV RELEASE"
  local d current previous
  d=$(env_dir "$1")
  current=$(link_target "$d/current")
  previous=$(link_target "$d/previous")
  if [[ $current != "$2" ]]; then
    log "$1 runs ${current:-nothing}, not $2: nothing to roll back"
    return
  fi
  if [[ -z $previous ]]; then
    rm -f "$d/current"
    history "$d" "rolled back $2 (no previous release: $1 has none now)"
    log "rolled back $2; there is no previous release, so $1 has no release now"
    return
  fi
  start_instance "$1" "$d/releases/$previous"
  check_health "$1"
  set_link "$previous" "$d/current"
  rm -f "$d/previous"
  history "$d" "rolled back $2 to $previous"
  log "rolled back $2: $1 runs $previous again"
}

cmd_canary() {
  (($# == 2)) || die "usage: canary ENV SOURCE"
  local d id stable
  d=$(env_dir "$1")
  [[ ! -L $d/canary ]] || die "$1 already has a canary ($(link_target "$d/canary")): promote or abort it first"
  id=$(unpack "$d" "$2")
  start_instance canary "$d/releases/$id" HELLO_FAILURE_RATE="${CANARY_FAILURE_RATE:-0}"
  check_health canary
  set_link "$id" "$d/canary"
  echo 0 >"$d/canary-weight"
  stable=$(link_target "$d/current")
  history "$d" "canary $id next to ${stable:-no stable release}"
  log "$1: canary $id installed next to ${stable:-no stable release} with weight 0%"
  echo "$id"
}

cmd_weight() {
  (($# == 2)) || die "usage: weight ENV PERCENT"
  local d weight
  d=$(env_dir "$1")
  need_link "$d" canary
  if ! [[ $2 =~ ^[0-9]{1,3}$ ]] || ((10#$2 > 100)); then
    die "the weight must be a whole percentage from 0 to 100, not '$2'"
  fi
  weight=$((10#$2))
  echo "$weight" >"$d/canary-weight"
  history "$d" "canary $(link_target "$d/canary") weight $weight%"
  log "$1: canary $(link_target "$d/canary") gets $weight% of traffic (stand-in: recorded in $d/canary-weight; the edge will apply it)"
}

cmd_monitor() {
  (($# == 3)) || die "usage: monitor ENV REQUESTS MAX_ERROR_PERCENT"
  local d requests=$2 max=$3 weight
  d=$(env_dir "$1")
  need_link "$d" canary
  [[ $requests =~ ^[1-9][0-9]*$ ]] || die "REQUESTS must be a positive whole number, not '$requests'"
  [[ $max =~ ^[0-9]+([.][0-9]+)?$ ]] || die "MAX_ERROR_PERCENT must be a number, not '$max'"
  weight=$(<"$d/canary-weight")
  local has_stable=0
  if [[ -L $d/current ]]; then
    has_stable=1
    start_instance stable "$d/current"
  else
    log "$1 has no stable release: all traffic goes to the canary"
  fi
  start_instance canary "$d/canary" HELLO_FAILURE_RATE="${CANARY_FAILURE_RATE:-0}"

  # The monitor plays the proxy: it spreads the canary's requests evenly, so that exactly
  # floor(REQUESTS * weight / 100) of them go to the canary.
  declare -A sent=([stable]=0 [canary]=0) failed=([stable]=0 [canary]=0)
  local i target code
  for ((i = 0; i < requests; i++)); do
    if ((has_stable == 0 || (i + 1) * weight / 100 > i * weight / 100)); then target=canary; else target=stable; fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:${instance_port[$target]}/") || true
    sent[$target]=$((sent[$target] + 1))
    [[ $code == [23]?? ]] || failed[$target]=$((failed[$target] + 1))
  done

  local rate verdict
  ((sent[canary] > 0)) || die "the canary got no traffic at weight $weight%: raise the weight or send more requests"
  rate=$(awk -v f="${failed[canary]}" -v n="${sent[canary]}" 'BEGIN { printf "%.2f", 100 * f / n }')
  verdict=$(awk -v r="$rate" -v m="$max" 'BEGIN { print (r > m) ? "fail" : "pass" }')
  for target in stable canary; do
    ((sent[$target] == 0)) || log "$target: ${sent[$target]} requests, ${failed[$target]} errors"
  done
  log "canary error rate ${rate}% (threshold ${max}%, weight ${weight}%): $verdict"
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    {
      echo "| version | requests | errors |"
      echo "| --- | --- | --- |"
      echo "| stable $(link_target "$d/current") | ${sent[stable]} | ${failed[stable]} |"
      echo "| canary $(link_target "$d/canary") | ${sent[canary]} | ${failed[canary]} |"
      echo
      echo "Canary error rate ${rate}% at weight ${weight}% (threshold ${max}%): **$verdict**"
    } >>"$GITHUB_STEP_SUMMARY"
  fi
  [[ $verdict == pass ]] || die "the canary's error rate ${rate}% is above ${max}%"
}

cmd_promote() {
  (($# == 1)) || die "usage: promote ENV"
  local d canary old
  d=$(env_dir "$1")
  need_link "$d" canary
  canary=$(link_target "$d/canary")
  old=$(link_target "$d/current")
  make_current "$d" "$canary"
  rm -f "$d/canary" "$d/canary-weight"
  history "$d" "promoted canary $canary (previous: ${old:-none})"
  log "$1: promoted canary $canary to 100% (previous: ${old:-none})"
}

cmd_abort() {
  (($# == 1)) || die "usage: abort ENV"
  local d canary stable
  d=$(env_dir "$1")
  canary=$(link_target "$d/canary")
  stable=$(link_target "$d/current")
  if [[ -z $canary ]]; then
    log "$1 has no canary: nothing to abort"
    return
  fi
  rm -f "$d/canary" "$d/canary-weight"
  history "$d" "aborted canary $canary"
  log "$1: rolled back canary $canary; ${stable:-no release} keeps all traffic"
}

cmd_status() {
  (($# == 1)) || die "usage: status ENV"
  local d
  d=$(env_dir "$1")
  echo "current=$(link_target "$d/current")"
  echo "previous=$(link_target "$d/previous")"
  echo "canary=$(link_target "$d/canary")"
  echo "canary-weight=$(cat "$d/canary-weight" 2>/dev/null || echo 0)"
}

command=${1:-}
[[ -n $command ]] || die "usage: local-deploy.sh install|verify|smoke|rollback|canary|weight|monitor|promote|abort|status ENV ..."
shift
case $command in
  install | verify | smoke | rollback | canary | weight | monitor | promote | abort | status) "cmd_$command" "$@" ;;
  *) die "unknown command '$command'" ;;
esac
