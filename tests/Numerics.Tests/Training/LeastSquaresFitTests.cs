using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Training;

/// <summary>
/// The linear model's least-squares fit against mathematics: the gradient of the training MSE vanishes at it, no
/// coordinate step lowers the MSE, a noise-free linear recurrence's coefficients come back, a rank-deficient design
/// takes the ridge path and says so, other models are refused, and the training loop runs it as one deterministic
/// epoch that a checkpoint resumes without fitting again.
/// </summary>
public class LeastSquaresFitTests
{
    private static ModelSpec Linear(int units) => new([new FlattenSpec(), new DenseSpec(units)]);

    // the network's own MSE gradient over the whole set: dL/dw of mean over windows of the mean squared error of the outputs
    private static (double Loss, float[] Gradient) NetworkGradient(ModelSpec spec, Dataset data, float[] parameters)
    {
        var network = new Network(spec, data.Steps, data.Features, data.Count);
        var output = network.Forward(parameters, data.Inputs, data.Count);
        int size = data.TargetSize;
        var dOutput = new float[data.Count * size];
        double loss = 0;
        for (int i = 0; i < dOutput.Length; i++)
        {
            double error = output[i] - data.Targets[i];
            loss += error * error;
            dOutput[i] = (float)(2 * error / dOutput.Length);
        }
        var gradient = new float[parameters.Length];
        network.Backward(parameters, dOutput, gradient, data.Count);
        return (loss / dOutput.Length, gradient);
    }

    // the training MSE in double of weights (kernel [P, U] then bias [U]) on the flattened windows
    private static double MseInDouble(Dataset data, ReadOnlySpan<double> parameters)
    {
        int p = data.InputSize, u = data.TargetSize;
        double sum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.Input(i);
            var y = data.Target(i);
            for (int k = 0; k < u; k++)
            {
                double prediction = parameters[p * u + k];
                for (int j = 0; j < p; j++) prediction += x[j] * parameters[j * u + k];
                double error = prediction - y[k];
                sum += error * error;
            }
        }
        return sum / (data.Count * u);
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_gradient_of_the_training_mse_vanishes_at_the_fit_and_no_coordinate_step_lowers_it(int horizon)
    {
        // noisy sines: windows of 12, the next `horizon` values as targets
        var random = new Random(3);
        int count = 400, steps = 12;
        var inputs = new float[count * steps];
        var targets = new float[count * horizon];
        for (int i = 0; i < count; i++)
        {
            double phase = random.NextDouble() * 6, freq = 0.3 + random.NextDouble() * 0.5;
            for (int t = 0; t < steps + horizon; t++)
            {
                float v = (float)(0.6 * Math.Sin(phase + freq * t) + 0.1 * (random.NextDouble() - 0.5) + 0.2);
                if (t < steps) inputs[i * steps + t] = v;
                else targets[i * horizon + t - steps] = v;
            }
        }
        var data = new Dataset(inputs, targets, count, steps, 1, horizon);
        var spec = Linear(horizon);
        var fit = LeastSquaresFit.Fit(spec, data);
        Assert.Equal(0, fit.Ridge);
        Assert.True(fit.LeastPivotRatio >= LeastSquaresFit.CollinearityThreshold, $"least pivot ratio {fit.LeastPivotRatio}");
        Assert.Equal("least squares", fit.Describe());

        var (fittedLoss, atFit) = NetworkGradient(spec, data, fit.Parameters);
        var initial = new Network(spec, steps, 1, 1).InitialParameters(42);
        var (initialLoss, atStart) = NetworkGradient(spec, data, initial);
        Assert.True(fittedLoss < initialLoss);
        // float weights and a float forward leave rounding only: 1e-7 relative in the weights
        Assert.True(Norm(atFit) < 1e-4 * Norm(atStart), $"|gradient| {Norm(atFit)} at the fit, {Norm(atStart)} at the initial weights");

        // in double: every weight moved by ±h raises the training MSE, by about h² times its curvature
        var weights = fit.Parameters.Select(v => (double)v).ToArray();
        double mse = MseInDouble(data, weights);
        const double h = 1e-3;
        for (int j = 0; j < weights.Length; j++)
            foreach (double step in new[] { h, -h })
            {
                var moved = (double[])weights.Clone();
                moved[j] += step;
                Assert.True(MseInDouble(data, moved) > mse, $"weight {j} moved by {step} lowers the MSE below {mse}");
            }
    }

    [Fact]
    public void A_noise_free_linear_recurrence_gives_back_its_coefficients()
    {
        // x_t = c + sin(w1 t) + 0.7 sin(w2 t + 1) satisfies (1 - a B + B²)(1 - b B + B²) x_t = c (2 - a)(2 - b), a = 2 cos w1,
        // b = 2 cos w2: x_t = (a + b) x_{t-1} - (2 + ab) x_{t-2} + (a + b) x_{t-3} - x_{t-4} + c (2 - a)(2 - b)
        double w1 = 0.3, w2 = 1.1, c = 0.5, a = 2 * Math.Cos(w1), b = 2 * Math.Cos(w2);
        double[] series = [.. Enumerable.Range(0, 600).Select(t => c + Math.Sin(w1 * t) + 0.7 * Math.Sin(w2 * t + 1))];
        // window of 4 (input 0 the oldest), targets the next 2 values
        int window = 4, horizon = 2, count = series.Length - window - horizon + 1;
        var inputs = new float[count * window];
        var targets = new float[count * horizon];
        for (int i = 0; i < count; i++)
        {
            for (int t = 0; t < window; t++) inputs[i * window + t] = (float)series[i + t];
            for (int k = 0; k < horizon; k++) targets[i * horizon + k] = (float)series[i + window + k];
        }
        var data = new Dataset(inputs, targets, count, window, 1, horizon);
        var fit = LeastSquaresFit.Fit(Linear(horizon), data);

        // kernel [4, 2] then bias [2]: the first output's coefficients, oldest input first
        double[] expected = [-1, a + b, -(2 + a * b), a + b];
        for (int j = 0; j < window; j++) Assert.Equal(expected[j], fit.Parameters[j * horizon], 3);
        Assert.Equal(c * (2 - a) * (2 - b), fit.Parameters[window * horizon], 3);
        // the second output (two steps ahead) through the network's own forward: the series' next values
        var network = new Network(Linear(horizon), window, 1, count);
        var predicted = network.Forward(fit.Parameters, inputs, count).ToArray();
        for (int i = 0; i < predicted.Length; i++) Assert.Equal(targets[i], predicted[i], 3);
    }

    [Fact]
    public void A_constant_input_column_takes_the_ridge_path_gives_finite_weights_and_says_so()
    {
        // two features, the second constant: every window's flattened inputs hold 8 constant columns
        var random = new Random(5);
        int count = 300, steps = 8;
        var inputs = new float[count * steps * 2];
        var oneFeature = new float[count * steps];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            double sum = 0;
            for (int t = 0; t < steps; t++)
            {
                float v = (float)random.NextDouble();
                inputs[(i * steps + t) * 2] = v;
                inputs[(i * steps + t) * 2 + 1] = 0.5f;
                oneFeature[i * steps + t] = v;
                sum += (t + 1) * v;
            }
            targets[i] = (float)(sum / steps + 0.05 * random.NextDouble());
        }
        var data = new Dataset(inputs, targets, count, steps, 2, 1);
        var fit = LeastSquaresFit.Fit(Linear(1), data);
        Assert.True(fit.Ridge > 0, "a constant column should need the ridge");
        Assert.Equal(0, fit.LeastPivotRatio);
        Assert.Contains("ridge", fit.Describe());
        Assert.All(fit.Parameters, v => Assert.True(float.IsFinite(v)));
        // the constant columns get no weight, and the fit is as good as the one without them
        for (int t = 0; t < steps; t++) Assert.Equal(0f, fit.Parameters[t * 2 + 1]);
        var without = LeastSquaresFit.Fit(Linear(1), new Dataset(oneFeature, targets, count, steps, 1, 1));
        Assert.Equal(0, without.Ridge);
        double withRidge = NetworkGradient(Linear(1), data, fit.Parameters).Loss, plain = NetworkGradient(Linear(1), new Dataset(oneFeature, targets, count, steps, 1, 1), without.Parameters).Loss;
        Assert.True(Math.Abs(withRidge - plain) < 1e-6 * plain, $"MSE {withRidge} with the ridge, {plain} without the constant column");
    }

    [Fact]
    public void A_model_that_is_not_flatten_then_dense_is_refused_naming_the_field()
    {
        var data = TestData.SineSplit();
        var rnn = new ModelSpec([new SimpleRnnSpec(4), new DenseSpec(1)]);
        var error = Assert.Throws<InvalidInputException>(() => LeastSquaresFit.Fit(rnn, data.Train));
        Assert.Equal("fit", error.Field);
        Assert.Contains("simple_rnn -> dense", error.Message);
        var options = new TrainingOptions(Epochs: 1, LeastSquares: true);
        Assert.Equal("fit", Assert.Throws<InvalidInputException>(() => Trainer.Train(rnn, data, options)).Field);
    }

    [Fact]
    public void Least_squares_refuses_epochs_early_stopping_and_clipping()
    {
        Assert.Equal("epochs", Assert.Throws<InvalidInputException>(() => new TrainingOptions(Epochs: 20, LeastSquares: true).Validate()).Field);
        Assert.Equal("early_stopping", Assert.Throws<InvalidInputException>(() => new TrainingOptions(Epochs: 1, EarlyStoppingPatience: 3, LeastSquares: true).Validate()).Field);
        Assert.Equal("clipvalue", Assert.Throws<InvalidInputException>(() =>
            new TrainingOptions(Epochs: 1, Clipping: new Numerics.Optim.GradientClipping(ClipValue: 1), LeastSquares: true).Validate()).Field);
    }

    [Fact]
    public void The_loop_runs_the_fit_as_one_epoch_no_adam_run_reaches_a_lower_training_mse()
    {
        var data = TestData.SineSplit();
        var spec = Linear(1);
        var steps = new List<long>();
        var result = Trainer.Train(spec, data, new TrainingOptions(Epochs: 1, LeastSquares: true), afterStep: (step, _) => steps.Add(step));
        var fit = LeastSquaresFit.Fit(spec, data.Train);
        Assert.Equal(fit.Parameters.Select(BitConverter.SingleToInt32Bits), result.Parameters.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal([1L], steps);
        Assert.Equal("least squares", result.Fit);
        var epoch = Assert.Single(result.History);
        var evaluator = new Evaluator(spec, data.Train, 32);
        Assert.Equal(evaluator.Mse(result.Parameters, data.Train), epoch.TrainLoss, 12);
        Assert.Equal(evaluator.Mse(result.Parameters, data.Valid), epoch.ValidMse, 12);
        Assert.Equal(epoch.ValidMse, result.ValidMse);
        Assert.Equal(evaluator.Mse(result.Parameters, data.Test), result.TestMse, 12);

        var adam = Trainer.Train(spec, data, new TrainingOptions(Epochs: 30, LearningRate: 0.01f));
        Assert.Null(adam.Fit);
        double adamTrain = evaluator.Mse(adam.Parameters, data.Train);
        Assert.True(epoch.TrainLoss <= adamTrain * (1 + 1e-6), $"least squares {epoch.TrainLoss}, Adam {adamTrain}");
    }

    [Fact]
    public async Task A_run_resumed_from_the_checkpoint_after_the_fit_does_not_fit_again()
    {
        var data = TestData.SineSplit();
        var spec = Linear(1);
        var options = new TrainingOptions(Epochs: 1, LeastSquares: true);
        var saved = new List<byte[]>();
        var whole = await TrainingLoop.RunAsync(spec, data, options, new LocalGradientSource(spec, data.Train, 32, 42),
            checkpoint: (state, _) =>
            {
                saved.Add(CheckpointFormat.Write(state));
                return ValueTask.CompletedTask;
            });
        var state = CheckpointFormat.Read(Assert.Single(saved), whole.Parameters.Length);
        int calls = 0;
        var resumed = await TrainingLoop.RunAsync(spec, data, options, new LocalGradientSource(spec, data.Train, 32, 42),
            afterStep: (_, _) => calls++, start: state);
        Assert.Equal(0, calls);
        Assert.Equal(whole.WeightsHash, resumed.WeightsHash);
        Assert.Equal(whole.History, resumed.History);
        Assert.Equal("least squares", resumed.Fit);
        // and a second run from scratch gives the same bits
        Assert.Equal(whole.WeightsHash, Trainer.Train(spec, data, options).WeightsHash);
    }
}
