#!/usr/bin/env bash
# Counts the classes a no-op `mvn package msbuild:image` of the seed webserver loads, against
# `mvn package` alone, with the JVM's own class-load log (-Xlog:class+load): the whole JVM, and
# the plugin's class path by jar. Class counts do not depend on the machine's load, unlike times.
# Prints a table and appends it with the date and machine to target/bench/classes.txt.
NAME=classes
source "$(dirname "$0")/lib.sh"
WEB=$BENCH/classes-webserver
CACHE=$BENCH/classes-cache

bench_setup
rm -rf "$WEB" "$CACHE"
cp -r examples/seed-000-webserver "$WEB"
args=(-B -q "-Dmsbuild.cacheDirectory=$CACHE" "-Dmsbuild.registryMirrors=docker.io=$REGISTRY"
  -Dmsbuild.allowInsecureRegistries=true "-Dmsbuild.to.image=$REGISTRY/bench/classes:1")

(cd "$WEB" && mvn "${args[@]}" package msbuild:image) > "$BENCH/classes-first.log" 2>&1 \
  || { log "the first build failed ($BENCH/classes-first.log)"; tail -n 40 "$BENCH/classes-first.log" >&2; exit 1; }
(cd "$WEB" && MAVEN_OPTS="-Xlog:class+load=info:file=$BENCH/classes-noop.txt" mvn "${args[@]}" package msbuild:image) \
  > "$BENCH/classes-noop.log" 2>&1 || { log "the no-op failed"; exit 1; }
grep -q '"pushedBytes" *: *0[,}]' "$WEB/target/msbuild/image.json" || { log "the second build pushed something: not a no-op"; exit 1; }
(cd "$WEB" && MAVEN_OPTS="-Xlog:class+load=info:file=$BENCH/classes-package.txt" mvn -B -q package) \
  > "$BENCH/classes-package.log" 2>&1 || { log "mvn package failed"; exit 1; }

total_noop=$(grep -c . "$BENCH/classes-noop.txt")
total_package=$(grep -c . "$BENCH/classes-package.txt")
by_jar() { # the plugin's class path, by artifact
  grep -o 'source: jar:file:[^!]*\|source: file:[^ ]*' "$BENCH/classes-noop.txt" \
    | sed 's|.*/repository/||; s|/[^/]*\.jar$||' | grep -v '^source: ' | sort | uniq -c | sort -rn
}
jdk_http=$(grep -c ' java\.net\.http\.\| jdk\.internal\.net\.http\.' "$BENCH/classes-noop.txt" || true)
table="| Classes loaded | count |
|---|---|
| \`mvn package\` alone, whole JVM | $total_package |
| \`mvn package msbuild:image\` no-op, whole JVM | $total_noop |
| the difference: what the goal loads | $((total_noop - total_package)) |
| of which the JDK's HTTP client (\`java.net.http\`) | $jdk_http |"
while read -r count jar; do
  table+="
| from \`$jar\` | $count |"
done < <(by_jar)
record "$BENCH/classes.txt" "$table"
