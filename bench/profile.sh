#!/usr/bin/env bash
# Where the time of a no-op and of a one-line change goes: the seed webserver built once, then a
# no-op and a one-line change each recorded with Java Flight Recorder (settings=profile). Prints,
# for each: the wall time, Maven's own "Total time" (the rest is the JVM and Maven starting), the
# plugin's per-step summary, and the CPU samples grouped by where they were taken (the innermost
# frame's package) and by the plugin step they served (the outermost frame of the plugin's own).
# Appends the tables to target/bench/profile.txt; the recordings stay in target/bench/profile/.
NAME=profile
source "$(dirname "$0")/lib.sh"
WORK=$BENCH/profile
WEB=$WORK/webserver
CACHE=$WORK/cache
JFR=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/jfr
[[ -x $JFR ]] || { log "no jfr tool next to java ($JFR)"; exit 1; }

bench_setup
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r examples/seed-000-webserver "$WEB"
args=(-B "-Dmsbuild.cacheDirectory=$CACHE" "-Dmsbuild.registryMirrors=docker.io=$REGISTRY"
  -Dmsbuild.allowInsecureRegistries=true "-Dmsbuild.to.image=$REGISTRY/bench/profile:1" package msbuild:image)
(cd "$WEB" && mvn "${args[@]}") > "$WORK/first.log" 2>&1 || { log "the first build failed ($WORK/first.log)"; exit 1; }
# A first no-op and change unrecorded: the JVM's and the OS's caches as a developer's are.
(cd "$WEB" && mvn "${args[@]}") > "$WORK/warm.log" 2>&1 || { log "the warm-up no-op failed"; exit 1; }

# The profile settings, with Java code sampled every 5 ms instead of 10 (a no-op is short).
"$JFR" configure --input profile --output "$WORK/sampling.jfc" jdk.ExecutionSample#period=5ms > /dev/null
recorded() { # recorded CASE: one build under JFR; prints its tables
  local case=$1 start end
  start=$(date +%s.%N)
  (cd "$WEB" && MAVEN_OPTS="-XX:StartFlightRecording=filename=$WORK/$case.jfr,settings=$WORK/sampling.jfc" mvn "${args[@]}") \
    > "$WORK/$case.log" 2>&1 || { log "the $case build failed ($WORK/$case.log)"; exit 1; }
  end=$(date +%s.%N)
  "$JFR" print --events jdk.ExecutionSample --stack-depth 200 "$WORK/$case.jfr" > "$WORK/$case.samples"
  python3 - "$case" "$WORK/$case.log" "$WORK/$case.samples" "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')" <<'PY'
import re, sys, collections
case, log, samples, wall = sys.argv[1:5]
text = open(log).read()
total = re.search(r"Total time: +([0-9.]+) s", text)
print(f"**{case}**: {wall} s wall, Maven's Total time {total.group(1) if total else '?'} s"
      f" (the rest: the JVM starting and Maven reading the project)\n")
summary = re.findall(r"\[INFO\]   (base image|builder stage|final stage|push|total) +([0-9.]+ s) +(.*)", text)
if summary:
    print("| Plugin step | time | what |\n|---|---|---|")
    for step, t, what in summary:
        print(f"| {step} | {t} | {what} |")
    print()
stacks = [s for s in open(samples).read().split("jdk.ExecutionSample") if "stackTrace" in s]
inner, steps = collections.Counter(), collections.Counter()
for s in stacks:
    frames = re.findall(r"^\s+([\w$.]+)\.([\w$<>]+)\(", s, re.M)
    if not frames:
        continue
    cls = frames[0][0]
    inner[".".join(cls.split(".")[:3]) if "." in cls else cls] += 1
    ours = [f for f in frames if f[0].startswith("dev.msbuild.")]
    if ours:
        # The innermost plugin frame: the plugin code that ran, or called what ran.
        f = ours[0]
        steps[f"{f[0].rsplit('.', 1)[-1].split('$')[0]}.{f[1]}"] += 1
    else:
        steps["(Maven and the JVM, outside the plugin)"] += 1
n = sum(inner.values()) or 1
print(f"| CPU samples ({n}, Java threads only; JIT and GC threads are not sampled) by package | share |\n|---|---|")
for k, v in inner.most_common(10):
    print(f"| {k} | {100 * v / n:.0f}% |")
print()
print("| by the plugin code that ran or called it (innermost plugin frame) | share |\n|---|---|")
for k, v in steps.most_common(12):
    print(f"| {k} | {100 * v / n:.0f}% |")
print()
PY
}
noop=$(recorded no-op)
sed -i "s/Hola Multibuild Docker[^:\"]*:/Hola Multibuild Docker (profile $(date +%s)):/" "$WEB/main.go"
change=$(recorded change)
record "$BENCH/profile.txt" "$noop

$change
Machine load (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
