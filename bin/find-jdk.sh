# Sourced (POSIX sh) by ./mvnw, ./mp4j and .ci/run: sets and exports JAVA_HOME to a JDK 25 or newer.
# Order: $JAVA_HOME if it is 25+, else the newest 25+ JDK under /usr/lib/jvm, else a clear failure.
# The default `java` on PATH is never assumed (it is 17 on these machines).

mp4j_java_feature() {
  # Prints the feature version (17, 21, 25 …) of the JDK at $1, or nothing if it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}

mp4j_find_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(mp4j_java_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      printf '%s\n' "$JAVA_HOME"
      return 0
    fi
  fi
  best= bestv=0
  case $- in *f*) mp4j_noglob=1; set +f ;; *) mp4j_noglob= ;; esac # mvnw runs with `set -f`
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    v=$(mp4j_java_feature "$d")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$bestv" ]; then
      best=$d bestv=$v
    fi
  done
  [ -z "$mp4j_noglob" ] || set -f
  [ -n "$best" ] && printf '%s\n' "$best"
}

if MP4J_JDK=$(mp4j_find_jdk) && [ -n "$MP4J_JDK" ]; then
  JAVA_HOME=$MP4J_JDK
  export JAVA_HOME
else
  echo "multiprocessing4j needs a JDK 25 or newer." >&2
  echo "JAVA_HOME is '${JAVA_HOME-}' and no JDK 25+ was found under /usr/lib/jvm." >&2
  echo "Install one (for example: apt-get install openjdk-25-jdk, or Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
