using System.Globalization;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Numerics.Tests.Sweeps;

public class SweepSpecValidationTests
{
    // 4 keys x 40 values = 2,560,000 grid points
    private static readonly string MillionPointGrid =
        """{"model": "lstm", "space": {"learning_rate": """ + Values(Enumerable.Range(1, 40).Select(i => i / 1000.0))
        + """, "batch_size": """ + Values(Enumerable.Range(1, 40))
        + """, "units": """ + Values(Enumerable.Range(1, 40))
        + """, "epochs": """ + Values(Enumerable.Range(1, 40)) + "}}";

    // 5 keys x 1000 values = 10^15 grid points: beyond an int, and a long would not hold 13 keys' worth
    private static readonly string QuadrillionPointGrid =
        """{"model": "lstm", "space": {"learning_rate": """ + Values(Enumerable.Range(1, 1000).Select(i => i / 1000.0))
        + """, "batch_size": """ + Values(Enumerable.Range(1, 1000))
        + """, "units": """ + Values(Enumerable.Range(1, 1000))
        + """, "epochs": """ + Values(Enumerable.Range(1, 1000))
        + """, "dropout": """ + Values(Enumerable.Range(0, 1000).Select(i => i / 1001.0)) + "}}";

    private static readonly string TwoHundredValues =
        """{"model": "lstm", "seeds_per_config": 10, "space": {"units": """ + Values(Enumerable.Range(1, 200)) + "}}";

    public static TheoryData<string, string, string> BadSpecs => new()
    {
        { """{"search": "random", "trials": 4, "space": [{"model": "lstm"}, {"model": "gru"}]}""", "space", "a list of spaces (a union of grids) goes with search grid only" },
        { """{"space": []}""", "space", "a list of 0 spaces; allowed 1..100" },
        { """{"space": [{"model": "lstm"}, {"model": "gru", "unitz": 3}]}""", "space[1].unitz", "unknown key unitz in space[1]" },
        { """{"space": [{"model": "linear", "horizon": 10}, {"model": "deep-rnn", "horizon": 10}]}""", "space[1].horizon", "10: model deep-rnn forecasts 1 step(s) ahead only" },
        { """{"space": [{"model": "lstm"}, {"units": 8}]}""", "space[1].model", "missing: name a catalogue model or search models with space[1].model" },
        { """{"space": [{"model": "lstm", "units": {"values": [1, 2, 3]}}, {"model": "gru", "units": {"values": [1, 2]}}], "trials": 4}""", "trials", "the 2 grids have 5 points, more than trials 4" },
        { """{"space": [{"model": "lstm", "learning_rate": {"log_uniform": [0.001, 0.1]}}, {"model": "gru"}]}""", "space[0].learning_rate", "log_uniform is a continuous range" },
        { """{"model": "lstm", "search": "random", "trials": 5, "space": {}}""", "space", "space is empty: nothing to search" },
        { """{"model": "lstm", "search": "asha", "trials": 5}""", "space", "space is empty" },
        { """{"model": "lstm", "epochz": 3, "space": {}}""", "epochz", "unknown key epochz; allowed: name, model, data" },
        { """{"model": "lstm", "epochz": 3, "lr": 1}""", "epochz", "unknown keys epochz, lr" },
        { """{"model": "lstm", "search": "random", "trials": 5, "space": {"learning_rate": {"log_uniform": [0, 0.1]}}}""", "space.learning_rate", "log_uniform needs 0 < low < high; got [0, 0.1]" },
        { """{"model": "lstm", "search": "random", "trials": 5, "space": {"learning_rate": {"log_uniform": [-1, 0.1]}}}""", "space.learning_rate", "got [-1, 0.1]" },
        { """{"model": "lstm", "max_concurrent": 0}""", "max_concurrent", "0 is out of range; allowed 1..64" },
        { """{"model": "lstm", "max_concurrent": 65}""", "max_concurrent", "65 is out of range; allowed 1..64" },
        { """{"model": "lstm", "metric": "mae"}""", "metric", "'mae' is not known; allowed: valid_mse, train_loss" },
        { MillionPointGrid, "space", "2560000 points" },
        { TwoHundredValues, "space", "200 points x 10 seeds per config = 2000 trials; allowed at most 1000" },
        { """{"model": "lstm", "space": {"units": {"values": [8, 16, 32, 64]}}, "trials": 3}""", "trials", "the grid has 4 points, more than trials 3" },
        { """{"model": "lstm", "space": {"learning_rate": {"uniform": [0.001, 0.01]}}}""", "space.learning_rate", "uniform is a continuous range, which search grid cannot enumerate" },
        { """{"model": "lstm", "search": "grid", "space": {"units": {"int_uniform": [8, 64]}}}""", "space.units", "int_uniform is a continuous range" },
        { """{"model": "lstm", "search": "grid", "asha": {"min_epochs": 1}, "space": {}}""", "asha", "given with search grid" },
        { """{"model": "transformer"}""", "model", "unknown model 'transformer'; allowed: linear" },
        { """{"model": "naive"}""", "model", "'naive' does not train" },
        { """{"model": "gru", "search": "asha", "trials": 3, "space": {"epochs": 20, "early_stopping": 3}}""", "space.early_stopping", "given with search asha, which stops trials itself" },
        { """{"model": "gru", "space": {"early_stopping": 0}}""", "space.early_stopping", "0 is out of range; allowed 1..1000" },
        { """{"model": "linear", "data": {"season": 12}}""", "data.season", "given without data.csv; the classical baselines apply to a csv series" },
        { """{"model": "linear", "data": {"csv": "x.csv", "column": "c", "wma": 0}}""", "data.wma", "0 is out of range; allowed 1..1000" },
        { """{"model": "linear", "data": {"csv": "x.csv", "column": "c", "arima": "2,1"}}""", "data.arima", "'2,1' is not an order; give p,d,q as three whole numbers" },
        { """{"model": "linear", "data": {"csv": "x.csv", "column": "c", "arima": "2,2,1"}}""", "data.arima", "order (2,2,1) is not allowed; allowed p 0..10, d 0..1, q 0..10" },
        { """{"space": {"model": {"values": ["lstm", "naive"]}}}""", "space.model", "'naive' does not train" },
        { """{"model": "lstm", "space": {"units": 2000}}""", "space.units", "2000 is out of range; allowed 1..1024" },
        { """{"model": "lstm", "space": {"dropout": {"values": [0.1, 1]}}}""", "space.dropout", "1 is out of range; allowed [0, 1)" },
        { """{"model": "lstm", "space": {"learning_rate": 1e-50}}""", "space.learning_rate", "1e-50 is out of range; allowed (0, 1]" },
        { """{"model": "lstm", "space": {"units": 2.5}}""", "space.units", "2.5 is not a whole number" },
        { """{"model": "lstm", "space": {"batch_size": {"values": [16, 32, 16]}}}""", "space.batch_size", "duplicate value 16 in values [16, 32, 16]" },
        { """{"model": "lstm", "space": {"cell": {"values": ["gru", "gru"]}}}""", "space.cell", "duplicate value 'gru'" },
        { """{"model": "lstm", "trials": 0}""", "trials", "0 is out of range; allowed 1..1000" },
        { """{"model": "lstm", "search": "random", "space": {"units": 8}}""", "trials", "missing: search random samples" },
        { """{"model": "lstm", "search": "random", "trials": 200, "seeds_per_config": 10, "space": {"units": 8}}""", "trials", "= 2000 trials; allowed at most 1000" },
        { """{"model": "lstm", "seeds_per_config": 11}""", "seeds_per_config", "11 is out of range; allowed 1..10" },
        { """{"model": "lstm", "seed": -1}""", "seed", "-1 is out of range; allowed 0..4294967295" },
        { """{"model": "lstm", "search": "bayes"}""", "search", "'bayes' is not known; allowed: grid, random, asha" },
        { """{"model": "lstm", "name": "my sweep!"}""", "name", "'my sweep!' is not allowed" },
        { """{"model": "lstm", "space": {"neurons": 8}}""", "space.neurons", "unknown key neurons in space; allowed: model, cell, learning_rate" },
        { """{"model": "lstm", "space": {"learning_rate": {"int_uniform": [1, 2]}}}""", "space.learning_rate", "int_uniform draws whole numbers" },
        { """{"model": "lstm", "search": "random", "trials": 2, "space": {"units": {"uniform": [8, 64]}}}""", "space.units", "use int_uniform or values" },
        { """{"model": "lstm", "search": "random", "trials": 2, "space": {"units": {"int_uniform": [64, 8]}}}""", "space.units", "int_uniform needs whole numbers low <= high; got [64, 8]" },
        { """{"model": "lstm", "search": "random", "trials": 2, "space": {"dropout": {"uniform": [0.5, 0.5]}}}""", "space.dropout", "uniform needs low < high; got [0.5, 0.5]" },
        { """{"model": "lstm", "search": "random", "trials": 2, "space": {"dropout": {"uniform": [0, 1.5]}}}""", "space.dropout", "uniform bounds [0, 1.5] are out of range; allowed [0, 1)" },
        { """{"model": "lstm", "space": {"units": {"values": [8], "uniform": [1, 2]}}}""", "space.units", "got keys values, uniform" },
        { """{"model": "lstm", "space": {"cell": "rnn"}}""", "space.cell", "unknown cell 'rnn'; allowed: simple_rnn, lstm, gru, ln_simple_rnn" },
        { """{"model": "lstm", "space": {"units": {"values": []}}}""", "space.units", "values has 0 items; allowed 1..1000" },
        { """{"model": "lstm", "space": {"units": null}}""", "space.units", "got null" },
        { """{"model": "linear", "space": {"units": {"values": [8, 16]}}}""", "space.units", "model linear has no hidden recurrent layer" },
        { """{"space": {"model": {"values": ["lstm", "wavenet"]}, "cell": "gru"}}""", "space.cell", "model wavenet has no hidden recurrent layer" },
        { """{"model": "ln-rnn", "space": {"dropout": {"values": [0, 0.2]}}}""", "space.dropout", "0.2: model ln-rnn's ln_simple_rnn layers take no dropout" },
        { """{"model": "lstm", "space": {"cell": {"values": ["gru", "ln_simple_rnn"]}, "recurrent_dropout": 0.1}}""", "space.recurrent_dropout", "ln_simple_rnn layers take no recurrent_dropout" },
        { """{"model": "deep-rnn", "space": {"horizon": {"values": [1, 10]}}}""", "space.horizon", "10: model deep-rnn forecasts 1 step(s) ahead only" },
        { """{"model": "lstm", "search": "asha", "trials": 5, "space": {"units": {"values": [8, 16]}}}""", "space.epochs", "missing: search asha" },
        { """{"model": "lstm", "search": "asha", "trials": 5, "asha": {"min_epochs": 20}, "space": {"epochs": {"values": [10, 20]}}}""", "asha.min_epochs", "20 is not below the largest epochs, 20" },
        { """{"model": "lstm", "search": "asha", "trials": 5, "asha": {"reduction_factor": 1}, "space": {"epochs": 20}}""", "asha.reduction_factor", "1 is out of range; allowed 2..10" },
        { """{"model": "lstm", "asha": {"eta": 3}, "search": "asha", "trials": 2, "space": {"epochs": 20}}""", "asha.eta", "unknown key eta in asha" },
        { """{"space": {"units": 8}}""", "model", "missing: name a catalogue model or search models with space.model" },
        { """{"model": "lstm", "space": {"model": "gru"}}""", "space.model", "given with model 'lstm' as well" },
        { """{"model": "lstm", "model": "gru"}""", "model", "given twice" },
        { """{"model": "seq2vec-rnn", "data": {"csv": "x.csv"}}""", "data.column", "missing: data.csv needs the column" },
        { """{"model": "seq2vec-rnn", "data": {"column": "temp"}}""", "data.column", "given without data.csv" },
        { """{"model": "seq2vec-rnn", "data": {"csv": "x.csv", "column": "t", "data_seed": 1}}""", "data.data_seed", "give data_seed or csv, not both" },
        { """{"model": "seq2vec-rnn", "data": {"csv": "x.csv", "column": "t", "window": 1001}}""", "data.window", "1001 is out of range; allowed 1..1000" },
        { """{"model": "conv-gru", "data": {"csv": "x.csv", "column": "t", "window": 31}}""", "data.window", "31 does not fit the model's strided targets" },
        { """{"model": "conv-gru", "data": {"csv": "x.csv", "column": "t"}, "space": {"window": {"values": [30, 33]}}}""", "space.window", "33 does not fit the model's strided targets" },
        { """{"model": "conv-gru", "data": {"csv": "x.csv", "column": "t"}, "space": {"window": {"int_uniform": [20, 40]}}}""", "space.window", "int_uniform is a range, but model conv-gru fits only some windows" },
        { """{"model": "seq2vec-rnn", "space": {"window": {"values": [20, 30]}}}""", "space.window", "applies to data.csv only" },
        { """{"model": "seq2vec-rnn", "data": {"csv": "x.csv", "column": "t", "window": 30}, "space": {"window": 20}}""", "space.window", "given with data.window 30 as well" },
        { """{"model": "lstm", "space": {"learning_rate": 0.01,}}""", SweepSpec.DocumentField, "not valid JSON" },
        { """[1, 2]""", SweepSpec.DocumentField, "expected a JSON object; got [1, 2]" },
        { "", SweepSpec.DocumentField, "empty" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void A_bad_spec_is_rejected_naming_the_field_and_the_value(string json, string field, string fragment)
    {
        var e = Assert.Throws<InvalidInputException>(() => SweepSpec.FromJson(json));
        Assert.Equal(field, e.Field);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void The_million_point_grid_count_does_not_overflow()
    {
        var e = Assert.Throws<InvalidInputException>(() => SweepSpec.FromJson(MillionPointGrid));
        Assert.Contains("the grid has 2560000 points x 1 seeds per config = 2560000 trials", e.Message);
        e = Assert.Throws<InvalidInputException>(() => SweepSpec.FromJson(QuadrillionPointGrid));
        Assert.Equal("space", e.Field);
        Assert.Contains("the grid has 1000000000000000 points", e.Message);
    }

    [Fact]
    public void Sequence_models_sweep_a_csv_column()
    {
        var spec = SweepSpec.FromJson("""
            {"data": {"csv": "x.csv", "column": "t", "window": 30},
             "space": {"model": {"values": ["seq2seq-rnn", "ln-rnn", "lstm", "gru", "conv-gru", "wavenet"]}, "horizon": 7}}
            """);
        Assert.Equal(30, spec.Window);
    }

    private static string Values<T>(IEnumerable<T> values) where T : IFormattable =>
        """{"values": [""" + string.Join(", ", values.Select(v => v.ToString(null, CultureInfo.InvariantCulture))) + "]}";
}
