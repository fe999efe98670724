#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK 25 or newer, or explains what is missing and exits 1.
# Order: $JAVA_HOME, the `java` on PATH, Temurin 25 in /usr/lib/jvm, any other JDK there.
set -euo pipefail
REQUIRED=25

major_of() { # $1 = a java binary; prints its feature version
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}
ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(major_of "$1/bin/java")" -ge "$REQUIRED" ] 2>/dev/null; }

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v javac >/dev/null; then candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"); fi
candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done

for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
{
  echo "meshgw needs a JDK $REQUIRED or newer (for the final FFM API), and none was found."
  echo "  looked at: ${candidates[*]}"
  echo "  default java: $(java -version 2>&1 | head -n1 || echo 'none')"
  echo "  fix: install Temurin 25 into /usr/lib/jvm/temurin-25-jdk-amd64, or set JAVA_HOME to a JDK $REQUIRED+."
} >&2
exit 1
