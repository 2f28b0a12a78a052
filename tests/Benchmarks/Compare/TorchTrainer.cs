using System.Diagnostics;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;
using static TorchSharp.torch;

namespace RnnCluster.Benchmarks.Compare;

/// <summary>
/// The same model trained with libtorch (TorchSharp-cpu), built layer by layer from the same <see cref="ModelSpec"/>:
/// SimpleRNN -> nn.RNN (tanh), LSTM -> nn.LSTM, GRU -> nn.GRU (all batch_first; a layer that does not return
/// sequences keeps its last step), Dense -> nn.Linear on the last axis, Conv1D -> nn.Conv1d (channels-first inside a
/// run of convolutions, causal padding as a left zero pad of (kernel - 1) * dilation), relu/tanh as in the spec.
/// Adam (lr 1e-3, Keras's betas and epsilon), MSE loss (mean over every target value), the same full batches of the
/// same data in the epoch order our trainer uses for epoch 1 (laid out in that order once, so a batch is a view).
/// One intra-op and one inter-op thread. Only this class and <see cref="TorchProbe"/> touch TorchSharp.
/// </summary>
internal sealed class TorchTrainer : IDisposable
{
    private readonly SpecModule _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _inputs;   // [batches * B, steps, features], epoch 1's order
    private readonly Tensor _targets;  // [batches * B, targetSize]
    private readonly int _batchSize;
    private readonly int _batches;
    private int _next;

    public TorchTrainer(CompareCase c)
    {
        var train = c.Train;
        _batchSize = c.BatchSize;
        _batches = train.Count / c.BatchSize;
        int used = _batches * c.BatchSize;
        var order = new int[train.Count];
        new EpochShuffle(train.Count).Fill(OurTrainer.Seed, 1, order);
        var x = new float[used * train.InputSize];
        var y = new float[used * train.TargetSize];
        for (int i = 0; i < used; i++)
        {
            train.Input(order[i]).CopyTo(x.AsSpan(i * train.InputSize, train.InputSize));
            train.Target(order[i]).CopyTo(y.AsSpan(i * train.TargetSize, train.TargetSize));
        }
        _inputs = tensor(x, [used, train.Steps, train.Features]);
        _targets = tensor(y, [used, train.TargetSize]);
        manual_seed(OurTrainer.Seed);
        _model = new SpecModule(c.Spec, train.Features);
        _optimizer = optim.Adam(_model.parameters(), lr: OurTrainer.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-7);
        ParameterCount = _model.parameters().Sum(p => p.numel());
    }

    public long ParameterCount { get; }

    public double LastLoss { get; private set; }

    /// <summary>One step: zero_grad, forward, MSE, backward, Adam; every temporary tensor freed at the end.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        var (x, y) = NextBatch();
        _optimizer.zero_grad();
        var loss = nn.functional.mse_loss(_model.call(x), y);
        loss.backward();
        _optimizer.step();
        LastLoss = loss.item<float>();
    }

    public Timing Run(double seconds, int minSteps)
    {
        var clock = Stopwatch.StartNew();
        int steps = 0;
        while (steps < minSteps || clock.Elapsed.TotalSeconds < seconds)
        {
            Step();
            steps++;
        }
        return new Timing(steps, _batchSize, clock.Elapsed.TotalSeconds, 0);
    }

    /// <summary>Milliseconds per step in forward (with the loss), backward and Adam (with zero_grad), summed over steps of about <paramref name="seconds"/>.</summary>
    public Breakdown MeasureBreakdown(double seconds)
    {
        double forward = 0, backward = 0, update = 0;
        int steps = 0;
        var total = Stopwatch.StartNew();
        var clock = new Stopwatch();
        while (steps < 3 || total.Elapsed.TotalSeconds < seconds)
        {
            using var scope = NewDisposeScope();
            var (x, y) = NextBatch();
            clock.Restart();
            var loss = nn.functional.mse_loss(_model.call(x), y);
            forward += clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            loss.backward();
            backward += clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            _optimizer.step();
            _optimizer.zero_grad();
            update += clock.Elapsed.TotalMilliseconds;
            steps++;
        }
        return new Breakdown(forward / steps, backward / steps, 0, update / steps);
    }

    private (Tensor X, Tensor Y) NextBatch()
    {
        long start = (long)_next * _batchSize;
        _next = (_next + 1) % _batches;
        return (_inputs.narrow(0, start, _batchSize), _targets.narrow(0, start, _batchSize));
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _inputs.Dispose();
        _targets.Dispose();
    }

    /// <summary>libtorch's own single-thread sgemm rate on n x n by n x n (GFLOP/s, 2n^3 per product), for reference.</summary>
    public static double SgemmGflops(int n, double seconds)
    {
        using var a = rand(n, n);
        using var b = rand(n, n);
        for (int i = 0; i < 2; i++) a.mm(b).Dispose();
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 3 || clock.Elapsed.TotalSeconds < seconds)
        {
            a.mm(b).Dispose();
            calls++;
        }
        return calls * 2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>A sequential model of torch layers following a <see cref="ModelSpec"/>; input [B, T, F], output [B, targetSize].</summary>
    private sealed class SpecModule : nn.Module<Tensor, Tensor>
    {
        private readonly List<Func<Tensor, Tensor>> _steps = [];

        public SpecModule(ModelSpec spec, int features) : base("spec")
        {
            bool channelsFirst = false; // the layout of the running tensor: [B, T, F] or, inside convolutions, [B, F, T]
            int index = 0;
            foreach (var layer in spec.Layers)
            {
                string name = $"{layer.Kind}_{index++}";
                bool wantsChannelsFirst = layer is Conv1DSpec;
                if (wantsChannelsFirst != channelsFirst)
                {
                    _steps.Add(t => t.transpose(1, 2));
                    channelsFirst = wantsChannelsFirst;
                }
                switch (layer)
                {
                    case SimpleRnnSpec r:
                        {
                            var rnn = nn.RNN(features, r.Units, batchFirst: true) /* tanh by default */;
                            register_module(name, rnn);
                            _steps.Add(t => LastStepUnless(r.ReturnSequences, rnn.call(t, null).Item1));
                            features = r.Units;
                            break;
                        }
                    case LstmSpec r:
                        {
                            var lstm = nn.LSTM(features, r.Units, batchFirst: true);
                            register_module(name, lstm);
                            _steps.Add(t => LastStepUnless(r.ReturnSequences, lstm.call(t, null).Item1));
                            features = r.Units;
                            break;
                        }
                    case GruSpec r:
                        {
                            var gru = nn.GRU(features, r.Units, batchFirst: true);
                            register_module(name, gru);
                            _steps.Add(t => LastStepUnless(r.ReturnSequences, gru.call(t, null).Item1));
                            features = r.Units;
                            break;
                        }
                    case DenseSpec d:
                        {
                            var linear = nn.Linear(features, d.Units);
                            register_module(name, linear);
                            _steps.Add(t => linear.call(t));
                            features = d.Units;
                            break;
                        }
                    case Conv1DSpec c:
                        {
                            var conv = nn.Conv1d(features, c.Filters, c.KernelSize, stride: c.Strides, dilation: c.DilationRate);
                            register_module(name, conv);
                            long pad = c.Padding == "causal" ? (long)(c.KernelSize - 1) * c.DilationRate : 0;
                            Func<Tensor, Tensor> activation = c.Activation switch
                            {
                                "relu" => t => nn.functional.relu(t),
                                "tanh" => t => t.tanh(),
                                _ => t => t,
                            };
                            _steps.Add(t => activation(conv.call(pad > 0 ? nn.functional.pad(t, [pad, 0]) : t)));
                            features = c.Filters;
                            break;
                        }
                    default:
                        throw new NotSupportedException($"no libtorch counterpart for layer kind {layer.Kind}");
                }
            }
            if (channelsFirst) _steps.Add(t => t.transpose(1, 2));
        }

        public override Tensor forward(Tensor input)
        {
            var t = input;
            foreach (var step in _steps) t = step(t);
            return t.reshape(t.shape[0], -1); // [B, T', F'] -> [B, targetSize], as our targets are laid out
        }

        // [B, T, U] -> [B, 1, U] (the last step) when the layer does not return sequences
        private static Tensor LastStepUnless(bool returnSequences, Tensor output) =>
            returnSequences ? output : output.narrow(1, output.shape[1] - 1, 1);
    }
}
