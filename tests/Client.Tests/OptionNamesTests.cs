namespace RnnCluster.Client.Tests;

/// <summary>The settings Numerics and the grains name in errors become the options the command line takes.</summary>
public class OptionNamesTests
{
    [Theory]
    [InlineData("batch_size", "--batch-size")]
    [InlineData("epochs", "--epochs")]
    [InlineData("model_file layer 0 (conv1d)", "--model-file layer 0 (conv1d)")]
    [InlineData("space.units", "space.units")]
    [InlineData("checkpoint", "checkpoint")]
    [InlineData("--gateway", "--gateway")]
    public void A_setting_is_named_as_its_option_and_any_other_field_is_kept(string field, string shown) =>
        Assert.Equal(shown, OptionNames.Of(field));
}
