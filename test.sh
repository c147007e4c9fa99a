#!/usr/bin/env bash
# Runs every test of Shipgate. Installs what the tests need when it is missing, builds in Release,
# runs each test project, and ends with one line: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v git >/dev/null || need_apt+=(git)
command -v python3 >/dev/null || need_apt+=(python3)
command -v setsid >/dev/null || need_apt+=(util-linux)
# The server runs steps in a bubblewrap sandbox (nsenter and setpriv come with util-linux).
command -v bwrap >/dev/null || need_apt+=(bubblewrap)
command -v nsenter >/dev/null || need_apt+=(util-linux)
# The store tests start a throwaway PostgreSQL cluster from Debian's server binaries.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
# The flag tests compare answers with the real unleash-client npm package, which they install with npm ci.
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
# The web UI's browser tests drive Debian's headless Chromium through Playwright (no browser download).
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
if ((${#need_apt[@]})); then
  echo "test.sh: installing ${need_apt[*]}"
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null; fi
fi
command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK is needed (dotnet on PATH)"; echo "tests: 0 passed, 1 failed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The tests run git commands in throwaway repositories; give them an identity when the machine has none.
git config --global user.email >/dev/null 2>&1 || git config --global user.email "ci@shipgate.invalid"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "Shipgate CI"

results=.test-results
rm -rf "$results"; mkdir -p "$results"

if ! dotnet build Shipgate.slnx -c Release -nologo -v quiet 2>&1 | tee "$results/build.log" | grep -E "error|warn" ; then :; fi
if [[ ${PIPESTATUS[0]} -ne 0 ]] || grep -q " error " "$results/build.log"; then
  echo "test.sh: the build failed (see above)"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; crashed=0
for proj in tests/*/; do
  name=$(basename "$proj")
  exe="$proj/bin/Release/net10.0/$name"
  [[ -x $exe ]] || { echo "test.sh: $exe was not built"; crashed=$((crashed + 1)); continue; }
  echo "== $name"
  "$exe" -xml "$results/$name.xml" -noColor 2>&1 | tee "$results/$name.log" | grep -vE "^\s*(Discover|Start|Finish)" 
  if [[ ! -s $results/$name.xml ]]; then
    echo "test.sh: $name ended without results"; crashed=$((crashed + 1)); continue
  fi
  read -r p f e < <(python3 - "$results/$name.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
a = ET.parse(sys.argv[1]).getroot().find("assembly")
print(a.get("passed", "0"), a.get("failed", "0"), a.get("errors", "0"))
PY
)
  passed=$((passed + p)); failed=$((failed + f + e))
done
failed=$((failed + crashed))
echo "tests: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
