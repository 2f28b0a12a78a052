namespace RnnCluster.Grains;

/// <summary>
/// Every grain call that fails because storage did not answer (<see cref="StorageFailedException"/>, after its retries)
/// fails to its caller as an <see cref="OrleansException"/> with the same message: a cluster failure, which the client
/// names and a sweep retries. Callers have no codec for this project's own exception types: without this they got
/// "Could not find a codec for type ...", and a sweep whose trial's start met it failed as a whole.
/// </summary>
internal sealed class StorageFailureFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (StorageFailedException e)
        {
            throw ToCaller(context.TargetId, e);
        }
    }

    /// <summary>The failure as a caller receives it (also for a failed activation, which no filter sees).</summary>
    public static OrleansException ToCaller(GrainId grain, StorageFailedException e) => new($"{grain}: {e.Message}");
}
