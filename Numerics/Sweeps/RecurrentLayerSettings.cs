using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// The settings the recurrent layer specs share (kind, units, return_sequences, dropout, recurrent_dropout), to read
/// one layer and make the same layer in another kind. ln_simple_rnn has no dropout: making one drops the rates.
/// </summary>
internal sealed record RecurrentLayerSettings(string Kind, int Units, bool ReturnSequences, float Dropout = 0, float RecurrentDropout = 0)
{
    /// <summary>The settings of a recurrent layer; null for any other layer.</summary>
    public static RecurrentLayerSettings? Of(LayerSpec layer) => layer switch
    {
        DropoutRecurrentSpec s => new(s.Kind, s.Units, s.ReturnSequences, s.Dropout, s.RecurrentDropout),
        RecurrentSpec s => new(s.Kind, s.Units, s.ReturnSequences),
        _ => null,
    };

    /// <summary>Whether layers of <see cref="Kind"/> take dropout rates.</summary>
    public bool HasDropout => Kind != "ln_simple_rnn";

    public LayerSpec ToSpec() => Kind switch
    {
        "simple_rnn" => new SimpleRnnSpec(Units, ReturnSequences, Dropout, RecurrentDropout),
        "lstm" => new LstmSpec(Units, ReturnSequences, Dropout, RecurrentDropout),
        "gru" => new GruSpec(Units, ReturnSequences, Dropout, RecurrentDropout),
        "ln_simple_rnn" => new LnSimpleRnnSpec(Units, ReturnSequences),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "not a recurrent layer kind"),
    };
}
