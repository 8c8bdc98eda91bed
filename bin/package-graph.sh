#!/bin/sh
# Prints the package graph of core's compiled classes, as jdeps reads it, as a Mermaid diagram
# (docs/architecture.md holds its output), or with --dot DIR writes jdeps' own DOT files there.
# Build first: ./mvnw -B -q -pl core compile. Usage: bin/package-graph.sh [--dot DIR] [CLASSES_DIR]
set -eu
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
dot=""
if [ "${1-}" = "--dot" ]; then
  dot="$2"
  shift 2
fi
classes="${1:-core/target/classes}"
[ -d "$classes" ] || { echo "no $classes: build core first (./mvnw -B -q -pl core compile)" >&2; exit 1; }
if [ -n "$dot" ]; then
  exec "$JAVA_HOME/bin/jdeps" -verbose:package -e 'org\.multiprocessing4j\..*' --dot-output "$dot" "$classes"
fi
echo '```mermaid'
echo 'graph LR'
"$JAVA_HOME/bin/jdeps" -verbose:package -e 'org\.multiprocessing4j\..*' "$classes" \
  | awk '$1 ~ /^org\.multiprocessing4j/ && $2 == "->" && $3 ~ /^org\.multiprocessing4j/ && $1 != $3 {
      from = $1; to = $3
      sub(/^org\.multiprocessing4j\.?/, "", from); sub(/^org\.multiprocessing4j\.?/, "", to)
      if (from == "") from = "api"; if (to == "") to = "api"
      sub(/^internal\./, "", from); sub(/^internal\./, "", to)
      print "  " from " --> " to
    }' | sort -u | sed 's/^  api /  api["org.multiprocessing4j (API)"] /; s/--> api$/--> api["org.multiprocessing4j (API)"]/'
echo '```'
