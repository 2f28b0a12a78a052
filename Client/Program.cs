// rnncluster: the command line of RnnCluster.
return RnnCluster.Client.Cli.Run(args, Console.Out, Console.Error);
