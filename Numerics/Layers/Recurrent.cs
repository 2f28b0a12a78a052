using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// A recurrent layer, as Keras's RNN(cell): it runs a <see cref="RecurrentCell"/> (SimpleRNN, LSTM, GRU, the
/// layer-normalised SimpleRNN) through time, h_{-1} = 0, and returns h for every step when <c>returnSequences</c>,
/// else only the last h. Trained by backpropagation through time. The layer owns the time loop, the states h_t, the
/// output, the dropout masks and the products with the two kernels; the cell owns one step forward and backward.
/// The block's samples advance through time together, batch-minor inside the layer so that SIMD lanes run across
/// the samples: x is transposed once into x^T [T, F, B], the states are h_t^T [T, U, B], and step t is
/// z_t^T [G, B] = b + K^T x_t^T + R^T h_{t-1}^T, one <see cref="BlockProduct"/> (G rows, B columns) over the stacked
/// [x_t^T; h_{t-1}^T] where the cell adds both products in one place (read in two parts where they lie, where the block's
/// shape allows it, else copied into one block; two products, one each, for the GRU), then one
/// call of the cell over the whole block; y is transposed back at the end, dy in at the start of backward (between two
/// recurrent layers of a network, x^T and dy^T pass from one to the other as they are: see <see cref="Previous"/>; the
/// first then leaves its sample-major y unwritten where nothing reads it: see <see cref="Next"/>). Blocks of
/// few samples (4 or 8, a batch split over shards) take each product sample-major instead, G (or U, F) columns wide, and
/// transpose only its small result into the batch-minor layout (<see cref="ProductAdd"/>). Every
/// element keeps its operation sequence (bias, then x K over f in order, then h R over u in order: a transposed product
/// gives the same bits), so the layout does not change the results. The weight gradients are products over
/// (sample, step) taken after backpropagation from row-by-row copies of dz (made step by step) and of the states (see SampleRows), sample after sample,
/// last step first (<see cref="RecurrentGradients"/>): the same sums, in the same order, as accumulating them step by step.
/// Dropout (training only, inverted): <c>dropout</c> multiplies x_t by a mask [F] and <c>recurrent_dropout</c> multiplies
/// h_{t-1} by a mask [U] where they enter x_t K and h_{t-1} R (one mask each, shared by all gates: Keras's
/// implementation 2); each mask is drawn once per sequence (the same at every step) by <see cref="DropoutMask"/> from
/// the seed, the epoch and the sample's id (stream 0 for the inputs, 1 for the state), so it does not depend on the
/// sample's row in the block. The input mask is applied sample-major before x is transposed (and to dx after dx^T is
/// transposed back); the recurrent mask is transposed to [U, B] and multiplies h_t^T and dL/dh_{t-1}^T in the lanes.
/// B = batch, T = steps, F = input features, U = units, G = the cell's width (gates x units).
/// </summary>
public sealed class Recurrent : Layer
{
    private readonly RecurrentCell _cell;
    private readonly bool _returnSequences;
    private readonly float _dropout, _recurrentDropout;
    private readonly AlignedFloats _states;          // [T, U, B]: h_t^T of the last forward, for backward
    private readonly AlignedFloats _input;           // [T, F, B]: x^T as it enters K^T x_t^T (masked when dropping)
    private readonly AlignedFloats _inputMasks;      // [B, F]: the dropout mask of each sample's x_t
    private readonly AlignedFloats _recurrentMasks;  // [B, U]: the recurrent dropout mask of each sample's h_{t-1}
    private readonly AlignedFloats _recurrentMasksT; // [U, B]: _recurrentMasks transposed
    private readonly AlignedFloats _maskedInputs;    // [B, T, F]: x_t * mask, when dropping
    private readonly AlignedFloats _maskedStates;    // [T, U, B]: h_t^T * recurrent mask (what enters step t+1), when dropping
    private readonly AlignedFloats _enteringStates;  // h_t as it entered step t+1, row by row (EnteringRows), for the weight gradients
    private readonly AlignedFloats _dState;          // [U, B]: dL/dh_t^T of the block at the step being backpropagated
    private readonly AlignedFloats _dOutput;         // [T, U, B] or [1, U, B]: dy transposed
    private readonly AlignedFloats _dInput;          // [T, F, B]: dx^T, before it is transposed into dx
    private readonly AlignedFloats _sampleProduct;   // [B, G]: a step's product sample-major, for blocks of fewer than SampleMajorBelow samples
    private readonly AlignedFloats _recurrentT;      // [G, U]: R^T, for sample-major dh = dz R^T
    private readonly AlignedFloats _kernelT;         // [G, F]: K^T, for sample-major dx = dz K^T
    private readonly AlignedFloats _stacked;         // [F + U, B]: x_t^T over h_{t-1}^T, what enters a step's one product
    private readonly AlignedFloats _zeroStarts;      // [U]: zeros, where dL/dh_{t-1}^T's rows start in pair blocks
    private bool _inputDropped, _stateDropped; // whether the last forward applied the masks
    private bool _inputFromPrevious;           // whether the last forward read x^T from Previous's states
    private bool _dOutputWritten;              // whether the next layer wrote dy^T into _dOutput for this backward
    private bool _outputSkipped;               // whether the last forward left y unwritten (see Next)

    // Blocks of fewer samples than this compute their products sample-major: batch-minor, a product's columns are the
    // block's B samples, and 4 or 8 columns fill one vector per row block (most of BlockProduct's registers idle);
    // sample-major its columns are G (or U, F) wide. The results are transposed into the batch-minor layout (same bits:
    // each element starts from the same value and adds the same terms in the same order). Measured with 20 units:
    // sample-major is 1.4-1.7x faster at 4 samples, up to 1.3x at 8, and 15-35% slower at 16 and 32.
    private const int SampleMajorBelow = 16;

    public Recurrent(string name, int maxBatch, int steps, RecurrentCell cell, bool returnSequences,
        float dropout = 0, float recurrentDropout = 0)
        : base(name, maxBatch, steps, cell.InputFeatures, returnSequences ? steps : 1, cell.Units)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "allowed [0, 1)");
        if (!(recurrentDropout >= 0 && recurrentDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(recurrentDropout), recurrentDropout, "allowed [0, 1)");
        _cell = cell;
        _returnSequences = returnSequences;
        _dropout = dropout;
        _recurrentDropout = recurrentDropout;
        _states = new AlignedFloats(steps * U * maxBatch);
        _input = new AlignedFloats(steps * F * maxBatch);
        _inputMasks = new AlignedFloats(maxBatch * F);
        _recurrentMasks = new AlignedFloats(maxBatch * U);
        _recurrentMasksT = new AlignedFloats(U * maxBatch);
        _maskedInputs = dropout > 0 ? new AlignedFloats(maxBatch * steps * F) : AlignedFloats.Empty;
        _maskedStates = recurrentDropout > 0 ? new AlignedFloats(steps * U * maxBatch) : AlignedFloats.Empty;
        _enteringStates = new AlignedFloats(maxBatch * steps * U);
        _dState = new AlignedFloats(U * maxBatch);
        _dOutput = new AlignedFloats(OutputSteps * U * maxBatch);
        _dInput = new AlignedFloats(steps * F * maxBatch);
        _sampleProduct = new AlignedFloats(Math.Min(maxBatch, SampleMajorBelow - 1) * Math.Max(cell.Width, cell.Units));
        _recurrentT = new AlignedFloats(cell.Width * cell.Units);
        _kernelT = new AlignedFloats(cell.Width * cell.InputFeatures);
        _stacked = new AlignedFloats((cell.InputFeatures + cell.Units) * maxBatch);
        _zeroStarts = new AlignedFloats(cell.Units);
        cell.Build(maxBatch, steps, _states);
    }

    /// <summary>
    /// The floats the constructor allocates (the layer's buffers above and the cell's caches) for blocks of
    /// <paramref name="maxBatch"/> samples, computed without allocating them: what a request's model will take.
    /// </summary>
    public static long BufferFloats(int maxBatch, int steps, RecurrentCell cell, bool returnSequences, float dropout, float recurrentDropout)
    {
        long b = maxBatch, t = steps, f = cell.InputFeatures, u = cell.Units, g = cell.Width;
        long perSample = t * (2 * f + 2 * u)                                  // input, dInput, states, entering states
            + f + 3 * u                                                       // input mask, recurrent masks (two), dState
            + (returnSequences ? t : 1) * u                                   // dOutput
            + (dropout > 0 ? t * f : 0) + (recurrentDropout > 0 ? t * u : 0)  // masked copies
            + f + u;                                                          // stacked [x_t; h_(t-1)]
        return b * perSample + Math.Min(b, SampleMajorBelow - 1) * Math.Max(g, u) + g * u + g * f + u + cell.CacheFloats(maxBatch, steps);
    }

    public override IReadOnlyList<ParameterShape> Parameters => _cell.Parameters;

    /// <summary>
    /// The recurrent layer before this one in its network (set by the network), whose output this layer's input is.
    /// Both keep their sequences batch-minor, so this layer reads x^T [T, F, B] from that layer's states instead of
    /// transposing x, and (when it computes dx batch-minor and drops no input) writes dx^T into that layer's dy^T
    /// [T, U, B], which that layer then takes as it is instead of transposing dy: the same values, one transpose fewer
    /// in the forward pass and two in the backward. The sample-major y stays written (this layer's weight gradients
    /// read x); the sample-major dx is then not written, since only that layer would read it, as dy.
    /// </summary>
    internal Recurrent? Previous { get; set; }

    /// <summary>
    /// The recurrent layer after this one in its network (set by the network), which takes its input from this layer's
    /// states (see <see cref="Previous"/>). When that layer drops no input and this one no state, nothing reads the
    /// sample-major y: that layer's forward reads the states, and its weight gradients read x from this layer's
    /// <see cref="_enteringStates"/>, which then hold y itself (row by row, made by this layer's backward). This layer's
    /// forward then leaves y unwritten (one transpose fewer).
    /// </summary>
    internal Recurrent? Next { get; set; }

    private int F => InputFeatures;
    private int U => OutputFeatures;
    private int T => InputSteps;
    private int G => _cell.Width;

    public override void Initialise(Span<float> parameters, NumpyRandomState random) => _cell.Initialise(parameters, random);

    // x: [B, T, F] -> y: [B, T, U] (return sequences) or [B, 1, U]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        BeginForward(x, batch);
        var states = EnteringStates;
        for (int t = 0; t < T; t++)
        {
            // z_t^T = b + K^T x_t^T + R^T h_{t-1}^T (x_t, h_{t-1} masked when dropping), accumulated where the cell says
            if (t > 0 && PairBlocks(G, batch))
                PairBlockProducts(parameters, states, t, batch);
            else
            {
                _cell.BeginStep(parameters, t, batch);
                if (t > 0 && _cell.SharesPreactivations(t, batch)) StackedProductAdd(parameters, states, t, batch);
                else ProductsApart(parameters, states, t, batch);
            }
            // z_t^T -> h_t^T of the whole block
            _cell.Step(parameters, t, batch);
            StateDone(t, batch);
        }
        _outputSkipped = Next is not null && !(Context.Training && Next._dropout > 0) && !_stateDropped;
        if (!_outputSkipped) WriteOutput(y, batch);
    }

    // z_t^T [G, B] += K^T x_t^T, then R^T h_{t-1}^T (from step 1), one product each where the cell says
    private void ProductsApart(ReadOnlySpan<float> parameters, ReadOnlySpan<float> states, int t, int batch)
    {
        var kernel = parameters[..(F * G)];
        var recurrent = parameters.Slice(F * G, U * G);
        // K^T: [G, F] (K read transposed), x_t^T: [F, B] -> z_t^T: [G, B] (+=)
        ProductAdd(new MatrixIn(kernel, 0, 1, G), new MatrixIn(kernel, 0, G), InputLanes(batch), t * F * batch, _cell.InputPreactivations(t, batch), rows: G, depth: F, batch);
        // R^T: [G, U] (R read transposed), h_{t-1}^T: [U, B] -> z_t^T: [G, B] (+=)
        if (t > 0) ProductAdd(new MatrixIn(recurrent, 0, 1, G), new MatrixIn(recurrent, 0, G), states, (t - 1) * U * batch, _cell.RecurrentPreactivations(t, batch), rows: G, depth: U, batch);
    }

    // whether the block's products of this many rows run in BlockProduct's pair blocks, which read m in two parts and
    // start c's rows from given values (the batch-minor step products of 32 or 64 samples, with AVX-512)
    private static bool PairBlocks(int rows, int batch) => !SampleMajor(batch) && BlockProduct.PairBlocksFit(rows, batch);

    // z_t^T [G, B] = b + K^T x_t^T + R^T h_{t-1}^T in pair blocks (see PairBlocks), each row started from its bias instead
    // of a fill: where the cell adds both products in one place, one product over [K; R]^T [G, F + U] (K and R are
    // adjacent in the parameters) and [x_t^T; h_{t-1}^T] read in two parts where they lie (every element adds the bias,
    // the x terms, then the h terms, in order, as the fill and the two products do); else b_in + K^T x_t^T and
    // b_rec + R^T h_{t-1}^T, one product each, where the cell says
    private void PairBlockProducts(ReadOnlySpan<float> parameters, ReadOnlySpan<float> states, int t, int batch)
    {
        var x = new MatrixIn(InputLanes(batch), t * F * batch, batch);
        var h = new MatrixIn(states, (t - 1) * U * batch, batch);
        if (_cell.SharesPreactivations(t, batch))
        {
            var weights = parameters[..((F + U) * G)];
            BlockProduct.MultiplyAddTwoParts(new MatrixIn(weights, 0, 1, G), x, F, h, U, _cell.InputPreactivations(t, batch), rows: G, columns: batch,
                _cell.InputStart(parameters));
            return;
        }
        var recurrentStart = _cell.RecurrentStart(parameters);
        if (recurrentStart.IsEmpty) throw new InvalidOperationException("a cell that adds R^T h_{t-1}^T apart from K^T x_t^T must say what those rows start from (RecurrentStart)");
        var kernel = parameters[..(F * G)];
        var recurrent = parameters.Slice(F * G, U * G);
        BlockProduct.MultiplyAddTwoParts(new MatrixIn(kernel, 0, 1, G), x, F, default, 0, _cell.InputPreactivations(t, batch), rows: G, columns: batch,
            _cell.InputStart(parameters));
        BlockProduct.MultiplyAddTwoParts(new MatrixIn(recurrent, 0, 1, G), h, U, default, 0, _cell.RecurrentPreactivations(t, batch), rows: G, columns: batch,
            recurrentStart);
    }

    // z_t^T: [G, B] += [K; R]^T [x_t^T; h_{t-1}^T], both products at once over a copy of x_t^T and h_{t-1}^T stacked
    // (where the block's products do not run in pair blocks): [K; R]^T: [G, F + U] (read transposed),
    // [x_t^T; h_{t-1}^T]: [F + U, B]; every element adds the x terms, then the h terms, in order, as the two products do
    private void StackedProductAdd(ReadOnlySpan<float> parameters, ReadOnlySpan<float> states, int t, int batch)
    {
        var weights = parameters[..((F + U) * G)];
        var stacked = _stacked.AsSpan(0, (F + U) * batch);
        InputLanes(batch).Slice(t * F * batch, F * batch).CopyTo(stacked);
        states.Slice((t - 1) * U * batch, U * batch).CopyTo(stacked[(F * batch)..]);
        ProductAdd(new MatrixIn(weights, 0, 1, G), new MatrixIn(weights, 0, G), stacked, 0, _cell.InputPreactivations(t, batch), rows: G, depth: F + U, batch);
    }

    // dy: [B, T, U] or [B, 1, U] -> dx: [B, T, F] (=, skipped when dx is empty); the cell's dz_t kept for the weight gradients
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        var recurrent = parameters.Slice(F * G, U * G);
        var dh = _dState.AsSpan(0, U * batch);
        // dL/d(R^T h_{t-1}^T): its first rows a step are dz's, the rest (GRU: dL/drh) the cell's own
        int shared = _cell.SharedRecurrentRows;
        var dzShared = _cell.InputPreactivationGradients;
        var dzOwn = _cell.RecurrentOwnGradients;
        // dy: [B, OutputSteps, U] -> [OutputSteps, U, B], unless the next layer wrote it so (see Previous)
        if (!_dOutputWritten) Transpose.Matrix(dy[..(batch * OutputSteps * U)], batch, OutputSteps * U, _dOutput);
        _dOutputWritten = false;
        dh.Clear();
        if (SampleMajor(batch)) Transpose.Matrix(recurrent, U, G, _recurrentT);
        // the order of the cell's copies of dz for the weight gradients (see SampleRows)
        _cell.BeginBackward(batch, batchMinor: !SampleMajor(batch));
        for (int t = T - 1; t >= 0; t--)
        {
            // forward: z_t -> h_t; so dL/dh_t -> dz_t, the whole block, dL/dh_t = (from step t+1, in dh) + (from the
            // output, if step t is an output)
            _cell.StepBackwardWithOutput(parameters, dh, OutputGradient(t, batch), t, batch);
            _cell.KeepSampleMajor(t, batch);
            if (t > 0)
            {
                // forward: z_t^T += R^T h_{t-1}^T; so dL/dh_{t-1}^T = R dz_t^T (times the recurrent mask when dropping):
                // R: [U, G], dz_t^T: [G, B] -> dh: [U, B] (=, from zero: in pair blocks every row starts from 0, else dh
                // is cleared first); the shared rows of dz_t^T, then the cell's own (the second product continues every
                // element's sum where the first stored it: the same terms in order)
                if (PairBlocks(U, batch))
                    BlockProduct.MultiplyAddTwoParts(new MatrixIn(recurrent, 0, G), new MatrixIn(dzShared, t * G * batch, batch), shared, default, 0,
                        new MatrixOut(dh, 0, batch), rows: U, columns: batch, _zeroStarts);
                else
                {
                    dh.Clear();
                    ProductAdd(new MatrixIn(recurrent, 0, G), new MatrixIn(_recurrentT, 0, U), dzShared, t * G * batch, new MatrixOut(dh, 0, batch), rows: U, depth: shared, batch);
                }
                if (shared < G)
                    ProductAdd(new MatrixIn(recurrent, shared, G), new MatrixIn(_recurrentT, shared * U, U), dzOwn, t * (G - shared) * batch, new MatrixOut(dh, 0, batch), rows: U, depth: G - shared, batch);
                MaskStateGradient(dh);
                _cell.AddDirectStateGradient(dh, batch);
            }
        }
        // what the weight gradients read, sample-major: dz (kept step by step), and the states as they entered h R
        _cell.EndBackward(batch);
        KeepEnteringStates(batch);
        // forward: z_t += x_t K (x_t masked when dropping); so dx^T = K dz^T (times the input mask when dropping),
        // unless nobody wants dx (empty)
        if (dx.IsEmpty) return;
        InputGradient(parameters[..(F * G)], dx, batch);
        if (_inputDropped) ApplyMasks(dx, _inputMasks, batch, T, F);
    }

    private static bool SampleMajor(int batch) => batch < SampleMajorBelow;

    // c: [rows, B] (batch-minor, +=) a v, a = weights [rows, depth], v = lanes[start..] [depth, B] (batch-minor).
    // Sample-major for small blocks (see SampleMajorBelow): c^T [B, rows] += v^T a^T, v read transposed and
    // weightsT = a^T [depth, rows] (its rows' elements adjacent), then transposed back into c
    private void ProductAdd(MatrixIn weights, MatrixIn weightsT, ReadOnlySpan<float> lanes, int start, MatrixOut c, int rows, int depth, int batch)
    {
        if (!SampleMajor(batch))
        {
            BlockProduct.MultiplyAdd(weights, new MatrixIn(lanes, start, batch), c, rows, depth, columns: batch);
            return;
        }
        if (c.RowStride != batch) throw new ArgumentException($"c's row stride is {c.RowStride}, not the block's {batch} samples", nameof(c));
        var sample = _sampleProduct.AsSpan(0, batch * rows);
        var block = c.Data.Slice(c.Start, rows * batch);
        Transpose.Matrix(block, rows, batch, sample);
        BlockProduct.MultiplyAdd(new MatrixIn(lanes, start, 1, batch), weightsT, new MatrixOut(sample, 0, rows), rows: batch, depth, columns: rows);
        Transpose.Matrix(sample, batch, rows, block);
    }

    // forward: z_t += x_t K; so dx = dz K^T (=): dz [T, G, B] -> dx [B, T, F]. Small blocks (see SampleMajorBelow)
    // take it at once from the sample-major dz [B, T, G] (B T rows by F columns, K^T [G, F]), larger ones step by step
    // batch-minor (dx^T [T, F, B] = K dz^T, transposed back)
    private void InputGradient(ReadOnlySpan<float> kernel, Span<float> dx, int batch)
    {
        if (SampleMajor(batch))
        {
            Transpose.Matrix(kernel, F, G, _kernelT);
            dx[..(batch * T * F)].Clear();
            BlockProduct.MultiplyAdd(new MatrixIn(_cell.SampleInputPreactivationGradients, 0, G), new MatrixIn(_kernelT, 0, F), new MatrixOut(dx, 0, F), rows: batch * T, depth: G, columns: F);
            return;
        }
        if (Previous is not null && !_inputDropped)
        {
            // dx^T: [T, F, B] straight into the previous layer's dy^T
            RecurrentGradients.InputGradient(_cell.InputPreactivationGradients, kernel, Previous._dOutput, batch, T, F, G);
            Previous._dOutputWritten = true;
            return;
        }
        RecurrentGradients.InputGradient(_cell.InputPreactivationGradients, kernel, _dInput, batch, T, F, G);
        // dx^T: [T, F, B] -> dx: [B, T, F]
        Transpose.Matrix(_dInput.AsSpan(0, T * F * batch), T * F, batch, dx);
    }

    // samples [first, first + count) of the last Backward -> dParameters (+=), as the cell forms them from its dz
    protected override void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count)
    {
        // forward: z_t = x_t K + h_{t-1} R + b (x_t, h_{t-1} masked when dropping); x is the previous layer's y, kept
        // there as its entering states when it left y unwritten (see Next)
        if (!_inputDropped && Previous is { _outputSkipped: true })
            _cell.AddWeightGradients(Previous._enteringStates, Previous.EnteringRows, _enteringStates, EnteringRows, dParameters, first, count);
        else
            _cell.AddWeightGradients(_inputDropped ? _maskedInputs : x, SampleRows.SampleMajor(T, F), _enteringStates, EnteringRows, dParameters, first, count);
    }

    /// <summary>
    /// Starts a forward pass: draws the block's masks when training with dropout and transposes x as it enters
    /// x_t K (masked when dropping) into <see cref="_input"/> [T, F, B].
    /// </summary>
    private void BeginForward(ReadOnlySpan<float> x, int batch)
    {
        _inputDropped = Context.Training && _dropout > 0;
        _stateDropped = Context.Training && _recurrentDropout > 0;
        _dOutputWritten = false; // set by the next layer's backward of this block only
        if (_stateDropped)
        {
            for (int b = 0; b < batch; b++) DropoutMask.Fill(_recurrentMasks.AsSpan(b * U, U), _recurrentDropout, Context, b, Index, 1);
            Transpose.Matrix(_recurrentMasks.AsSpan(0, batch * U), batch, U, _recurrentMasksT);
        }
        var input = x[..(batch * T * F)];
        if (_inputDropped)
        {
            for (int b = 0; b < batch; b++)
            {
                var mask = _inputMasks.AsSpan(b * F, F);
                DropoutMask.Fill(mask, _dropout, Context, b, Index, 0);
                for (int t = 0; t < T; t++) GateKernels.Multiply(x.Slice((b * T + t) * F, F), mask, _maskedInputs.AsSpan((b * T + t) * F, F));
            }
            input = _maskedInputs.AsSpan(0, batch * T * F);
        }
        // [B, T F] -> [T F, B], unless the previous layer's states are that already (see Previous)
        _inputFromPrevious = Previous is not null && !_inputDropped;
        if (!_inputFromPrevious) Transpose.Matrix(input, batch, T * F, _input);
    }

    /// <summary>x^T [T, F, B] of the last forward: <see cref="_input"/>, or the previous layer's states it is.</summary>
    private ReadOnlySpan<float> InputLanes(int batch) => _inputFromPrevious ? Previous!.OutputLanes(batch) : _input;

    /// <summary>y^T: the states [T, U, B] (return sequences), or the last step's [1, U, B].</summary>
    private ReadOnlySpan<float> OutputLanes(int batch) =>
        _returnSequences ? _states.AsSpan(0, T * U * batch) : _states.AsSpan((T - 1) * U * batch, U * batch);

    /// <summary>h_t^T as it enters step t + 1 (R^T h_t^T): [T, U, B], masked when dropping.</summary>
    private ReadOnlySpan<float> EnteringStates => _stateDropped ? _maskedStates : _states;

    /// <summary>Where the rows of <see cref="_enteringStates"/> lie (see <see cref="SampleRows"/>).</summary>
    private SampleRows EnteringRows => SampleRows.Of(!SampleMajor(BackwardBatch), BackwardBatch, T, U);

    // the entering states [T, U, B] -> _enteringStates, rows (b, t) where EnteringRows says: a step at a time when
    // step-major (each step's rows adjacent), else at once
    private void KeepEnteringStates(int batch)
    {
        var entering = EnteringStates[..(T * U * batch)];
        var rows = EnteringRows;
        if (rows == SampleRows.SampleMajor(T, U))
        {
            Transpose.Matrix(entering, T * U, batch, _enteringStates);
            return;
        }
        for (int t = 0; t < T; t++) rows.CopyStep(entering.Slice(t * U * batch, U * batch), U, batch, _enteringStates, t);
    }

    /// <summary>h_t^T of the block is final: keeps its masked copy for the next step when dropping.</summary>
    private void StateDone(int t, int batch)
    {
        int at = t * U * batch, n = U * batch;
        if (_stateDropped) GateKernels.Multiply(_states.AsSpan(at, n), _recurrentMasksT.AsSpan(0, n), _maskedStates.AsSpan(at, n));
    }

    // States [T, U, B] -> y: [B, T, U] (return sequences) or [B, 1, U]
    private void WriteOutput(Span<float> y, int batch)
    {
        if (_returnSequences) Transpose.Matrix(_states.AsSpan(0, T * U * batch), T * U, batch, y);
        else Transpose.Matrix(_states.AsSpan((T - 1) * U * batch, U * batch), U, batch, y);
    }

    // dL/dh_t^T [U, B] from the output, when step t is an output (_dOutput: [T, U, B] or [1, U, B]); else empty
    private ReadOnlySpan<float> OutputGradient(int t, int batch) =>
        _returnSequences ? _dOutput.AsSpan(t * U * batch, U * batch) : t == T - 1 ? _dOutput.AsSpan(0, U * batch) : default;

    // dh: [U, B] = dL/d(h_{t-1}^T as it entered R^T h_{t-1}^T) -> dL/dh_{t-1}^T: times the recurrent mask when dropping
    private void MaskStateGradient(Span<float> dh)
    {
        if (_stateDropped) GateKernels.Multiply(dh, _recurrentMasksT.AsSpan(0, dh.Length), dh);
    }

    // rows: [B, steps, n] *= the sample's mask (masks: [B, n]), in place
    private static void ApplyMasks(Span<float> rows, ReadOnlySpan<float> masks, int batch, int steps, int n)
    {
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                var row = rows.Slice((b * steps + t) * n, n);
                GateKernels.Multiply(row, masks.Slice(b * n, n), row);
            }
    }
}
