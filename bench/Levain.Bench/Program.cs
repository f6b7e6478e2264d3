using Levain.Bench;

return BenchRegistry.Run(args);
