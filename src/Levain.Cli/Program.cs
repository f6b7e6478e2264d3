using Levain.Cli;

return await LevainApp.RunAsync(args);
