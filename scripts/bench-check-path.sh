#!/usr/bin/env bash
# The in-process cost of a revocation check answered by the near cache, beside its floor (JWT
# validation alone): BenchmarkDotNet (benchmarks/CheckPathBench), every benchmark with its mean
# time and the bytes it allocates per operation. Nothing outside the process: no cluster, no
# database.
#   scripts/bench-check-path.sh            full run (Release, BenchmarkDotNet's default job, ≈ 2–3 min)
#                                          → benchmarks/results-check-path.md
#   scripts/bench-check-path.sh --smoke    one invocation of each (in process, Debug): proves the
#                                          benchmark still runs and still hits the cache; report under /tmp
# Other arguments go to BenchmarkDotNet (e.g. --filter '*CheckAlone*').
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=no
passthrough=()
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=yes ;;
    *) passthrough+=("$arg") ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ $smoke = yes ]; then
  configuration=Debug; job=(--job dry --inProcess); out="${TMPDIR:-/tmp}/results-check-path.md"
else
  configuration=Release; job=(); out=benchmarks/results-check-path.md
fi

dotnet build -c "$configuration" benchmarks/CheckPathBench/CheckPathBench.csproj -v q -nologo >/dev/null
dotnet "benchmarks/CheckPathBench/bin/$configuration/net10.0/CheckPathBench.dll" --filter '*' "${job[@]}" \
  --exporters json --artifacts "$work" "${passthrough[@]}" >"$work/run.log" 2>&1 \
  || { tail -n 40 "$work/run.log" >&2; echo "bench-check-path.sh: BenchmarkDotNet failed (log above)" >&2; exit 1; }
json="$(ls "$work"/results/*-report-full-compressed.json)"
grep -q "Exception" "$work/run.log" && { grep -m5 -A3 "Exception" "$work/run.log" >&2; echo "bench-check-path.sh: a benchmark threw" >&2; exit 1; }

{
  echo "# A check answered by the near cache, in process, against JWT validation alone"
  echo
  [ $smoke = yes ] && { echo "**Smoke run: one invocation each, Debug; numbers are not meaningful.**"; echo; }
  echo "\`scripts/bench-check-path.sh\` (BenchmarkDotNet, benchmarks/CheckPathBench), commit $(git rev-parse --short HEAD 2>/dev/null || echo none), $(date -u +%Y-%m-%dT%H:%MZ)."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }')."
  echo "The library's own services (\`AddRevocationCheck()\`, Grain mode with its near cache), a lease held and"
  echo "1 024 distinct tokens (HS256, each its own jti and subject) answered \"not revoked\" from the cache, as a warm API node at"
  echo "steady state answers them: no network, no grain call (the setup fails if any check would miss the cache)."
  echo
  python3 - "$json" <<'PY'
import json, sys
rows = {b["Method"]: b for b in json.load(open(sys.argv[1]))["Benchmarks"]}
what = {
    "JwtValidationAlone": "JWT validation alone (signature and claims, as JwtBearer does): the floor",
    "JwtValidationAndCheck": "the same validation, then the revocation check (jti and subject)",
    "CheckAlone": "the check alone: input rules, the near cache's answer, its metrics",
    "NearCacheLookupAlone": "the near cache's lookup alone (jti and subject)",
}
print("| benchmark | what it runs | mean ns | allocated B/op |")
print("|---|---|---:|---:|")
for name, text in what.items():
    b = rows[name]
    print(f"| {name} | {text} | {b['Statistics']['Mean']:.0f} | {b['Memory']['BytesAllocatedPerOperation']} |")
floor = rows["JwtValidationAlone"]["Statistics"]["Mean"]
both = rows["JwtValidationAndCheck"]["Statistics"]["Mean"]
check = rows["CheckAlone"]["Statistics"]["Mean"]
print()
print(f"- Validation with the check: {both / floor:.2f}× the floor's time ({both - floor:+.0f} ns); the check alone "
      f"costs {check:.0f} ns, {check / floor:.1%} of validating the token.")
print(f"- Allocated per request by the check: {rows['CheckAlone']['Memory']['BytesAllocatedPerOperation']} B "
      f"(the near cache's lookup: {rows['NearCacheLookupAlone']['Memory']['BytesAllocatedPerOperation']} B), "
      f"against {rows['JwtValidationAlone']['Memory']['BytesAllocatedPerOperation']} B for the validation.")
PY
} >"$out"
cat "$out"
