#!/bin/sh
# The serializer measurements behind docs/serialization.md: JDK serialization (the core's, with its
# ObjectInputFilter) against Apache Fory, which is on the bench's class path only here (it is an
# optional dependency, kept off mp4j's). Usage: bench/serialization.sh [ROUNDS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
cd "$root"
./mvnw -B -q -pl core,bench package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$root/bench/target/classpath.txt" -Dmdep.includeScope=runtime >&2
cp="$root/bench/target/multiprocessing4j-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")"
java="$JAVA_HOME/bin/java"
echo "## Lambdas and records, no registration"
"$java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.multiprocessing4j.bench.serial.ColdStart check 2>/dev/null
echo
echo "## Cold cost in fresh JVMs"
"$java" -cp "$cp" org.multiprocessing4j.bench.serial.ColdStartBench "${1:-9}"
echo
echo "## In-JVM (JMH)"
"$java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 3 -w 1s -i 5 -r 1s \
  -jvmArgsAppend --enable-native-access=ALL-UNNAMED 'Serialization|Hmac' 2>&1 | sed -n '/^Benchmark/,$p'
