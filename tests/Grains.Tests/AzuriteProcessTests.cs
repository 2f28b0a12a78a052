namespace RnnCluster.Grains.Tests;

/// <summary>
/// The Azurite the storage tests run against: an on-disk one answers on its blob port, refuses connections once
/// killed, and answers again on the same port after a restart with the same folder.
/// </summary>
[Trait("Category", "Storage")]
public sealed class AzuriteProcessTests
{
    [Fact]
    public async Task OnDiskAzuriteAnswersStopsWhenKilledAndAnswersAgainAfterRestart()
    {
        string folder = Path.Combine(Path.GetTempPath(), "rnncluster-azurite-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var azurite = AzuriteProcess.StartOnDisk(folder);
            Assert.Contains($"BlobEndpoint=http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1;", azurite.ConnectionString);
            Assert.Contains($"TableEndpoint=http://127.0.0.1:{azurite.TablePort}/devstoreaccount1;", azurite.ConnectionString);
            Assert.NotEmpty(Directory.EnumerateFileSystemEntries(folder));   // its databases live in the folder, not in memory

            string url = $"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1?comp=list";
            await AssertAzuriteAnswersAsync(url, azurite);   // any status: the request is unsigned

            azurite.Kill();
            Assert.False(azurite.IsRunning);
            Assert.False(AzuriteProcess.Accepts(azurite.BlobPort), $"port {azurite.BlobPort} still accepts connections after Kill");
            using (var http = NewHttpClient()) await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(url));

            await azurite.RestartAsync();
            Assert.True(azurite.IsRunning);
            await AssertAzuriteAnswersAsync(url, azurite);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A client of its own for each request: no pooled connection outlives a kill.</summary>
    private static HttpClient NewHttpClient() => new() { Timeout = TimeSpan.FromSeconds(5) };

    private static async Task AssertAzuriteAnswersAsync(string url, AzuriteProcess azurite)
    {
        using var http = NewHttpClient();
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url);
        }
        catch (HttpRequestException e)
        {
            throw new Xunit.Sdk.XunitException($"no answer from {url}: {e.Message}\n{azurite.Log}");
        }
        using (response)
            Assert.StartsWith("Azurite-Blob", response.Headers.Server.ToString());
    }
}
