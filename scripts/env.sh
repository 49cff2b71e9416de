# Sourced by the project's scripts: finds a JDK 25 and a Maven >= 3.9, bootstrapping Maven from
# the local Maven repository when the machine's own is older. Never downloads by URL.
# shellcheck shell=bash

INFERSCOPE_ROOT=${INFERSCOPE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
MAVEN_BOOT_VERSION=3.9.16

die() {
  echo "inferscope: $*" >&2
  exit 1
}

java_major() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}

find_jdk25() {
  local cand
  for cand in "${INFERSCOPE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/openjdk /opt/jdk*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    local major
    major=$(java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}

use_jdk25() {
  local home
  home=$(find_jdk25) || die "no JDK 25 found (looked at \$INFERSCOPE_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm): install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it."
  export JAVA_HOME="$home"
  export PATH="$JAVA_HOME/bin:$PATH"
}

maven_version_ok() { # is the mvn at $1 >= 3.9?
  local v
  v=$("$1" -v 2>/dev/null | sed -n 's/^Apache Maven \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
  [ -n "$v" ] || return 1
  local major=${v%%.*} minor=${v#*.}
  [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 9 ]; }
}

find_maven() {
  local boot="$INFERSCOPE_ROOT/.tools/apache-maven-$MAVEN_BOOT_VERSION/bin/mvn"
  if [ -x "$boot" ]; then
    echo "$boot"
    return 0
  fi
  local sys
  sys=$(command -v mvn || true)
  if [ -n "$sys" ] && maven_version_ok "$sys"; then
    echo "$sys"
    return 0
  fi
  [ -n "$sys" ] || die "no Maven found: install Maven (any 3.x; inferscope bootstraps 3.9 from it) or put mvn on PATH."
  # An older Maven can still fetch the 3.9 distribution as an ordinary artifact.
  echo "inferscope: bootstrapping Maven $MAVEN_BOOT_VERSION with $("$sys" -v | head -1)" >&2
  mkdir -p "$INFERSCOPE_ROOT/.tools"
  "$sys" -q -B dependency:unpack \
    -Dartifact="org.apache.maven:apache-maven:$MAVEN_BOOT_VERSION:zip:bin" \
    -DoutputDirectory="$INFERSCOPE_ROOT/.tools" >&2 \
    || die "could not bootstrap Maven $MAVEN_BOOT_VERSION: check access to the Maven repository, or install Maven >= 3.9."
  [ -x "$boot" ] || die "Maven bootstrap left no $boot: remove .tools/ and retry."
  echo "$boot"
}
