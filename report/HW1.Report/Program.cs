// HW1.Report: runs the experiments for the pipeline and assembles the HW1 report from the sections they stored. The commands, their
// options and their help are declared in Cli.cs; the command bodies are in Commands.cs and PipelineCommands.cs.
return HW1.Report.Cli.Run(args);
