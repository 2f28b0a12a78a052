using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

public class CsvSeriesTests
{
    [Fact]
    public void ReadColumn_SeattleTempMax_ReadsEveryRowInOrder()
    {
        double[] tempMax = CsvSeries.ReadColumn(ExampleData.SeattleWeather, "temp_max");
        Assert.Equal(1461, tempMax.Length);
        Assert.Equal([12.8, 10.6, 11.7, 12.2], tempMax[..4]);
        Assert.Equal(5.6, tempMax[^1]);
    }

    [Fact]
    public void ReadColumn_Co2_ReadsEveryRowInOrder()
    {
        double[] co2 = CsvSeries.ReadColumn(ExampleData.Co2Concentration, "CO2");
        Assert.Equal(741, co2.Length);
        Assert.Equal([315.70, 317.46, 317.51], co2[..3]);
        Assert.Equal(416.18, co2[^1]);
    }

    [Fact]
    public void ReadColumns_ReturnsColumnsInTheOrderAsked()
    {
        double[][] columns = CsvSeries.ReadColumns(ExampleData.SeattleWeather, ["wind", "precipitation", "temp_min"]);
        Assert.Equal(3, columns.Length);
        Assert.All(columns, c => Assert.Equal(1461, c.Length));
        // 2012-01-02,10.9,10.6,2.8,4.5,rain
        Assert.Equal((4.5, 10.9, 2.8), (columns[0][1], columns[1][1], columns[2][1]));
    }

    [Fact]
    public void TextColumn_IsRejectedNamingColumnLineAndCell()
    {
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(ExampleData.SeattleWeather, "weather"));
        Assert.Equal("column", error.Field);
        Assert.Contains("'weather'", error.Message);
        Assert.Contains("line 2", error.Message);
        Assert.Contains("'drizzle' is not a number", error.Message);
        Assert.Contains("seattle-weather.csv", error.Message);
    }

    [Fact]
    public void MissingColumn_IsRejectedListingTheColumns()
    {
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(ExampleData.SeattleWeather, "tmax"));
        Assert.Equal("column", error.Field);
        Assert.Equal(
            "column: column 'tmax' not found in seattle-weather.csv; columns are date, precipitation, temp_max, temp_min, wind, weather",
            error.Message);
    }

    [Theory]
    [InlineData("date;temp\n2020-01-01;1.5\n", "semicolons")]
    [InlineData("date\ttemp\n2020-01-01\t1.5\n", "tabs")]
    public void A_file_separated_by_another_character_is_refused_saying_so(string content, string separator)
    {
        using var csv = new TempCsv(content);
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "temp"));
        Assert.Equal("column", error.Field);
        Assert.EndsWith($"(one column: the header is separated by {separator}; the file must be separated by commas)", error.Message);
    }

    [Fact]
    public void MissingFile_IsRejectedAsData()
    {
        string path = Path.Combine(Path.GetTempPath(), "rnncluster-no-such-" + Guid.NewGuid().ToString("N") + ".csv");
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(path, "x"));
        Assert.Equal("data", error.Field);
        Assert.Contains(path, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void QuotedFieldsWithCommas_AreOneField()
    {
        using var csv = new TempCsv("\"name, long\",value,\"note\"\r\n\"a, b\",1.5,\"say \"\"hi\"\"\"\r\nc,\"-2e3\",\"x,y,z\"\r\n\r\n");
        double[] values = CsvSeries.ReadColumn(csv.FilePath, "value");
        Assert.Equal([1.5, -2000.0], values);
        Assert.Equal(2, CsvSeries.ReadColumns(csv.FilePath, ["value", "value"])[1].Length);
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "note"));
        Assert.Contains("'say \"hi\"'", error.Message);
        Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "name"));
        Assert.Equal("column", Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "name, long")).Field);
    }

    [Theory]
    [InlineData("NaN", "not a finite number")]
    [InlineData("nan", "not a finite number")]
    [InlineData("Infinity", "not a finite number")]
    [InlineData("-Infinity", "not a finite number")]
    [InlineData("1e400", "not a finite number")]
    [InlineData("1,5", "not a number")]
    [InlineData("12.5.1", "not a number")]
    public void BadCell_IsRejectedWithColumnLineAndCell(string cell, string reason)
    {
        string field = cell.Contains(',') ? "\"" + cell + "\"" : cell;
        using var csv = new TempCsv($"t,level\n1,2.5\n2,3.5\n3,{field}\n4,1.0\n");
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "level"));
        Assert.Equal("column", error.Field);
        Assert.Contains("'level'", error.Message);
        Assert.Contains("line 4", error.Message);
        Assert.Contains(reason, error.Message);
        if (cell.Trim().Length > 0)
            Assert.Contains($"'{cell}'", error.Message);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], CsvSeries.ReadColumn(csv.FilePath, "t"));
    }

    [Fact]
    public void RowWithWrongFieldCount_IsRejectedAsData()
    {
        using var csv = new TempCsv("a,b\n1,2\n3\n");
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "a"));
        Assert.Equal("data", error.Field);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("1 field(s) but the header has 2", error.Message);
    }

    [Fact]
    public void BlankLineInsideTheData_OfOneColumn_IsAGap()
    {
        using var csv = new TempCsv("a\n1\n\n2\n");
        var values = CsvSeries.ReadColumn(csv.FilePath, "a");
        Assert.Equal(3, values.Length);
        Assert.Equal(1.0, values[0]);
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal(2.0, values[2]);
    }

    [Fact]
    public void BlankLineInsideTheData_OfSeveralColumns_IsRejected()
    {
        using var csv = new TempCsv("a,b\n1,2\n\n2,3\n");
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "a"));
        Assert.Contains("line 3", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\"\"")]
    [InlineData("\" \"")]
    public void EmptyCell_IsAGap_ReadAsNaN(string cell)
    {
        using var csv = new TempCsv($"t,level\n1,2.5\n2,{cell}\n3,{cell}\n4,1.0\n");
        var level = CsvSeries.ReadColumn(csv.FilePath, "level");
        Assert.Equal(2.5, level[0]);
        Assert.True(double.IsNaN(level[1]));
        Assert.True(double.IsNaN(level[2]));
        Assert.Equal(1.0, level[3]);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], CsvSeries.ReadColumn(csv.FilePath, "t"));
    }

    [Fact]
    public void EmptyFileOrHeaderOnly_IsRejectedAsData()
    {
        using var empty = new TempCsv("\n");
        Assert.Equal("data", Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(empty.FilePath, "a")).Field);
        using var headerOnly = new TempCsv("a,b\n");
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(headerOnly.FilePath, "a"));
        Assert.Equal("data", error.Field);
        Assert.Contains("no data rows", error.Message);
    }

    [Fact]
    public void UnclosedQuote_IsRejectedAsData()
    {
        using var csv = new TempCsv("a,b\n1,\"2\n");
        var error = Assert.Throws<InvalidInputException>(() => CsvSeries.ReadColumn(csv.FilePath, "a"));
        Assert.Equal("data", error.Field);
        Assert.Contains("line 2", error.Message);
    }
}
