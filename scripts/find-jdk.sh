# shellcheck shell=bash
# Sourced by ./tickvault, ./build and .ci/run: finds a JDK 25 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME, then the usual install locations. Prints a clear message and fails when none is found.

tickvault_java_feature() { # prints the feature version (e.g. 25) of the java at $1/bin/java, or nothing
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1)
  printf '%s' "${v%%.*}"
}

tickvault_find_jdk() {
  local candidate feature
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
    /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* /opt/java/openjdk /opt/jdk-25* \
    /Library/Java/JavaVirtualMachines/*25*/Contents/Home "$HOME"/.sdkman/candidates/java/25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    feature=$(tickvault_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "tickvault: no JDK 25 found. Install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it;" >&2
  echo "           looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm, /opt, ~/.sdkman." >&2
  return 1
}
