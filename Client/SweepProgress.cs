using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// Shows a followed sweep's progress. On a terminal: a block (the header, the status line, a line per running trial)
/// redrawn in place at each poll. Anywhere else (output redirected, a writer that is not the console's): the header
/// once, then the status line only when its counts or best change, at most every <see cref="QuietInterval"/>, and
/// never an escape sequence. Messages (a cluster outage) go above the block.
/// </summary>
public sealed class SweepProgress
{
    public static readonly TimeSpan QuietInterval = TimeSpan.FromSeconds(2);

    /// <summary>The most running trials the terminal block lists one by one.</summary>
    public const int MaxTrialLines = 16;

    private readonly TextWriter _writer;
    private readonly bool _live;
    private int _drawnLines;
    private string? _header;
    private string? _printedCounts;
    private DateTime _printedAt = DateTime.MinValue;

    /// <param name="writer">Where progress goes.</param>
    /// <param name="live">Whether to redraw in place; by default when the writer is the console's and it is a terminal.</param>
    public SweepProgress(TextWriter writer, bool? live = null)
    {
        _writer = writer;
        _live = live ?? IsTerminal(writer);
    }

    /// <summary>Whether the writer is the console's stdout (or stderr) and that is not redirected.</summary>
    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>Shows the sweep as it is at <paramref name="now"/>.</summary>
    public void Show(SweepStatus s, DateTime now)
    {
        if (_live)
        {
            Draw(s);
            return;
        }
        WriteHeader(s);
        string counts = SweepText.Counts(s);
        if (counts == _printedCounts || now - _printedAt < QuietInterval) return;
        _writer.WriteLine(SweepText.Line(s));
        _printedCounts = counts;
        _printedAt = now;
    }

    /// <summary>Shows the final status (its status line unless the last one printed says the same) and leaves it there.</summary>
    public void Finish(SweepStatus s)
    {
        if (_live)
        {
            Draw(s);
            _drawnLines = 0;
            return;
        }
        WriteHeader(s);
        if (SweepText.Counts(s) != _printedCounts) _writer.WriteLine(SweepText.Line(s));
        _printedCounts = SweepText.Counts(s);
    }

    /// <summary>A line of its own (a cluster outage, a retry), above the block on a terminal.</summary>
    public void Message(string line)
    {
        Erase();
        _writer.WriteLine(line);
    }

    private void WriteHeader(SweepStatus s)
    {
        string header = SweepText.Header(s);
        if (header == _header) return;
        _writer.WriteLine(header);
        _header = header;
    }

    private void Draw(SweepStatus s)
    {
        var lines = new List<string> { SweepText.Header(s), SweepText.Line(s) };
        var running = s.Trials.Where(t => t.State == TrialState.Running).ToList();
        lines.AddRange(running.Take(MaxTrialLines).Select(TrialLine));
        if (running.Count > MaxTrialLines) lines.Add($"  ... and {running.Count - MaxTrialLines} more running");
        int width = Width();
        Erase();
        // a line wider than the terminal would wrap and the cursor would no longer go back to the block's top
        foreach (var line in lines) _writer.WriteLine(line.Length < width ? line : line[..Math.Max(1, width - 1)]);
        _writer.Flush();
        _drawnLines = lines.Count;
    }

    /// <summary>"  trial   3  epoch   2  valid_mse 0.012345  lr=0.01".</summary>
    private static string TrialLine(TrialResult t) =>
        $"  trial {t.Index,3}  epoch {t.ValidMse.Length,3}  valid_mse {(t.ValidMse.Length > 0 ? StatusText.Figure(t.ValidMse[^1]) : "-"),10}  {t.Config}";

    // back to the first line of the block (CSI n F) and clear to the end of the screen (CSI J)
    private void Erase()
    {
        if (_drawnLines > 0) _writer.Write($"\u001b[{_drawnLines}F\u001b[J");
        _drawnLines = 0;
    }

    private static int Width()
    {
        try
        {
            return Console.WindowWidth > 10 ? Console.WindowWidth : 120;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 120;
        }
    }
}
