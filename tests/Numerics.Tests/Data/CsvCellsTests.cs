using System.Text;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>Empty cells of one column rewritten, every other byte kept: line endings, quoting, spacing, a byte order mark.</summary>
public class CsvCellsTests
{
    [Fact]
    public void Only_the_empty_cells_change_and_every_other_byte_is_kept()
    {
        string text = "\uFEFFdate,\"a, quoted\",value,note\r\n"
            + "d1,\"x,y\",1.5,keep\r\n"
            + "d2,\"z\",,\"say \"\"hi\"\"\"\r\n"
            + "d3,w,\"\",tail\n"
            + "d4,v,  ,last";
        byte[] content = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text[1..])).ToArray();
        var cells = new Dictionary<int, string> { [1] = "2.25", [2] = "-3", [3] = "4e-1" };
        byte[] filled = CsvCells.FillEmpty(content, "value", cells, "test.csv");

        string expected = "date,\"a, quoted\",value,note\r\n"
            + "d1,\"x,y\",1.5,keep\r\n"
            + "d2,\"z\",2.25,\"say \"\"hi\"\"\"\r\n"
            + "d3,w,-3,tail\n"
            + "d4,v,4e-1,last";
        Assert.Equal(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(expected)).ToArray(), filled);
    }

    [Fact]
    public void A_cell_that_is_not_empty_is_never_overwritten()
    {
        byte[] content = Encoding.UTF8.GetBytes("a,b\n1,2\n3,\n");
        Assert.Throws<ArgumentException>(() => CsvCells.FillEmpty(content, "b", new Dictionary<int, string> { [0] = "9" }, "t.csv"));
        Assert.Equal("a,b\n1,2\n3,9\n"u8.ToArray(), CsvCells.FillEmpty(content, "b", new Dictionary<int, string> { [1] = "9" }, "t.csv"));
    }

    [Fact]
    public void The_rows_are_those_CsvSeries_reads()
    {
        using var csv = new TempCsv("t,level\r\n1,2\r\n2,\r\n3,\r\n4,5\r\n");
        var level = CsvSeries.ReadColumn(csv.FilePath, "level");
        var gaps = Enumerable.Range(0, level.Length).Where(i => double.IsNaN(level[i])).ToDictionary(i => i, i => $"{10 + i}");
        File.WriteAllBytes(csv.FilePath, CsvCells.FillEmpty(File.ReadAllBytes(csv.FilePath), "level", gaps, csv.FilePath));
        Assert.Equal([2.0, 11.0, 12.0, 5.0], CsvSeries.ReadColumn(csv.FilePath, "level"));
        Assert.Equal("t,level\r\n1,2\r\n2,11\r\n3,12\r\n4,5\r\n", File.ReadAllText(csv.FilePath));
    }
}
