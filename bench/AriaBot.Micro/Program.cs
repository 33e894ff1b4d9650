using BenchmarkDotNet.Running;

// `bench/run.sh micro` runs every benchmark here with a short job; any BenchmarkDotNet arguments pass through
// (e.g. `--filter *Recognition*`).
BenchmarkSwitcher.FromAssembly(typeof(RecognitionBenchmarks).Assembly).Run(args);
