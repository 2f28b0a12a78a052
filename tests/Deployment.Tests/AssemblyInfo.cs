// The tests start silo processes and dotnet publish; one at a time on the project's 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
