using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// A <see cref="TrainingState"/> as bytes: a magic, the scalars, the four float32 arrays (little-endian, bit for
/// bit), the epoch history, and a SHA-256 of all that at the end. Reading checks the length and the hash first, so a
/// truncated or altered checkpoint is refused with a message saying which, never half-restored.
/// </summary>
public static class CheckpointFormat
{
    private static readonly byte[] Magic = "RNNCKPT1"u8.ToArray();
    private const int HashBytes = 32;

    public static byte[] Write(TrainingState s)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are written little-endian");
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(s.Step);
            w.Write(s.Epoch);
            w.Write(s.BatchStart);
            w.Write(s.EpochLossSum);
            w.Write(s.BestValid);
            w.Write(s.BestEpoch);
            w.Write(s.Stopped);
            w.Write(s.Elapsed.Ticks);
            foreach (var array in new[] { s.Parameters, s.AdamM, s.AdamV, s.BestParameters })
            {
                w.Write(array.Length);
                w.Write(MemoryMarshal.AsBytes(array.AsSpan()));
            }
            w.Write(s.History.Count);
            foreach (var h in s.History)
            {
                w.Write(h.Epoch);
                w.Write(h.Epochs);
                w.Write(h.TrainLoss);
                w.Write(h.ValidMse);
                w.Write(h.Elapsed.Ticks);
            }
        }
        var body = memory.ToArray();
        var result = new byte[body.Length + HashBytes];
        body.CopyTo(result, 0);
        SHA256.HashData(body, result.AsSpan(body.Length));
        return result;
    }

    /// <summary>The state written by <see cref="Write"/>; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static TrainingState Read(ReadOnlySpan<byte> bytes, int expectedParameters)
    {
        if (bytes.Length < Magic.Length + HashBytes || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException($"not a checkpoint ({bytes.Length} bytes, no RNNCKPT1 header): truncated or overwritten");
        var body = bytes[..^HashBytes];
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(bytes[^HashBytes..]))
            throw new InvalidDataException($"checkpoint checksum mismatch ({bytes.Length} bytes): truncated or corrupted");
        using var r = new BinaryReader(new MemoryStream(body.ToArray()));
        r.ReadBytes(Magic.Length);
        long step = r.ReadInt64();
        int epoch = r.ReadInt32(), batchStart = r.ReadInt32();
        double lossSum = r.ReadDouble(), bestValid = r.ReadDouble();
        int bestEpoch = r.ReadInt32();
        bool stopped = r.ReadBoolean();
        var elapsed = TimeSpan.FromTicks(r.ReadInt64());
        var arrays = new float[4][];
        for (int i = 0; i < arrays.Length; i++)
        {
            int n = r.ReadInt32();
            if (n != expectedParameters)
                throw new InvalidDataException($"checkpoint holds {n} parameters where the model has {expectedParameters}");
            arrays[i] = new float[n];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(arrays[i].AsSpan()));
        }
        int count = r.ReadInt32();
        var history = new List<EpochReport>(count);
        for (int i = 0; i < count; i++)
            history.Add(new EpochReport(r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), TimeSpan.FromTicks(r.ReadInt64())));
        return new TrainingState
        {
            Step = step, Epoch = epoch, BatchStart = batchStart, EpochLossSum = lossSum, Parameters = arrays[0], AdamM = arrays[1],
            AdamV = arrays[2], BestParameters = arrays[3], BestValid = bestValid, BestEpoch = bestEpoch, Stopped = stopped,
            Elapsed = elapsed, History = history,
        };
    }
}
