#!/usr/bin/env bash
# Mutation testing with PIT: which of the code's behaviour the unit tests would notice changing.
# Usage: scripts/mutation.sh [module...] [-Dmaven.option...]
#   without modules: every module whose pom sets mutation.skip to false
#   e.g. scripts/mutation.sh bgp-speaker -Dmutation.targetClasses='io.meshgw.bgp.rib.*'
# Prints the share of mutants killed per package; the HTML report of each module is in
# <module>/target/pit-reports/index.html. docs/TESTING.md says what it covers and the scores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$("$root/scripts/java-home.sh")"
export JAVA_HOME

modules=()
maven_args=()
for a in "$@"; do
  case "$a" in
    -*) maven_args+=("$a") ;;
    *) modules+=("${a%/}") ;;
  esac
done
if [ ${#modules[@]} -eq 0 ]; then
  for pom in */pom.xml; do
    if grep -q '<mutation.skip>false</mutation.skip>' "$pom"; then modules+=("$(dirname "$pom")"); fi
  done
fi
if [ ${#modules[@]} -eq 0 ]; then
  echo "[mutation] no module sets mutation.skip to false" >&2
  exit 1
fi

start=$(date +%s)
# The unit tests are not run by Surefire here: PIT runs them itself, first unmutated (it stops if
# one fails), then against each mutant. -am builds what the modules depend on without testing it.
"$root/mvnw" -B -ntp -Pmutation -pl "$(IFS=,; echo "${modules[*]}")" -am verify \
  -DskipITs -Dmaven.test.skip.exec=true ${maven_args[@]+"${maven_args[@]}"}

echo
echo "[mutation] killed/generated per package ($(date -u +%Y-%m-%d), $(($(date +%s) - start)) s)"
for m in "${modules[@]}"; do
  report="$m/target/pit-reports/mutations.xml"
  if [ ! -f "$report" ]; then
    echo "  $m: no report (is mutation.skip false in its pom?)"
    continue
  fi
  # One <mutation> element per line; KILLED, TIMED_OUT, MEMORY_ERROR and RUN_ERROR count as
  # killed (the tests noticed), SURVIVED and NO_COVERAGE as not.
  awk -v module="$m" -v q="'" '
    /<mutation / {
      status = $0; sub(".*status=" q, "", status); sub(q ".*", "", status)
      cls = $0; sub(/.*<mutatedClass>/, "", cls); sub(/<\/mutatedClass>.*/, "", cls)
      sub(/\$.*/, "", cls); pkg = cls; sub(/\.[^.]*$/, "", pkg)
      total[pkg]++; all++
      if (status == "KILLED" || status == "TIMED_OUT" || status == "MEMORY_ERROR" || status == "RUN_ERROR") {
        killed[pkg]++; allKilled++
      }
    }
    END {
      for (p in total) {
        printf "  %-12s %-32s %5d / %-5d %5.1f %%\n", module, p, killed[p], total[p], 100 * killed[p] / total[p]
      }
      if (all > 0) printf "  %-12s %-32s %5d / %-5d %5.1f %%\n", module, "~all", allKilled, all, 100 * allKilled / all
    }' "$report" | sort -k2,2
done
