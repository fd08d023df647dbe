# Sourced by the project's scripts: points JAVA_HOME at a JDK 25 or newer.
# JAVA_HOME wins when it is 25+, else the newest JDK >= 25 under /usr/lib/jvm.
# The machine's default java may be older (17 here), so never trust PATH alone.

nnlab_java_major() {  # prints the feature version of the JDK at $1, or nothing
  local release="$1/release"
  [ -x "$1/bin/javac" ] && [ -f "$release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

nnlab_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(nnlab_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    major=$(nnlab_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  [ -n "$best" ] && echo "$best"
}

NNLAB_JDK=$(nnlab_find_jdk)
if [ -z "$NNLAB_JDK" ]; then
  echo "nnlab needs JDK 25 or newer. JAVA_HOME=${JAVA_HOME:-<unset>} is older or unset, and none was found under /usr/lib/jvm." >&2
  echo "Install one (for example Temurin 25: apt-get install temurin-25-jdk) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME="$NNLAB_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own Guava calls sun.misc.Unsafe; JDK 25 warns about it on every build.
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
