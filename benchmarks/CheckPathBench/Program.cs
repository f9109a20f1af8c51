using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// scripts/bench-check-path.sh runs every benchmark and writes benchmarks/results-check-path.md;
// BenchmarkDotNet's own arguments (--filter, --job short, ...) pass through.
IConfig config = DefaultConfig.Instance;
#if DEBUG
// Only the smoke (scripts/bench-check-path.sh --smoke, run by CI) runs a Debug build: it proves the
// benchmarks run and hit the cache, and says its numbers mean nothing.
config = config.WithOptions(ConfigOptions.DisableOptimizationsValidator);
#endif
BenchmarkSwitcher.FromAssembly(typeof(Revocation.Benchmarks.CheckPath.CheckPathBenchmarks).Assembly).Run(args, config);
