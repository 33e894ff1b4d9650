using AriaBot.Language;

namespace AriaBot.Tests.Language;

/// <summary>
/// <see cref="WordsExtensions"/> reads an argument object's properties through a per-type cache (issue 22): the same
/// dictionary as before, from any number of threads at once, without scanning the type again on every call.
/// </summary>
public sealed class WordsArgumentsTests
{
    [Fact]
    public void Many_threads_reading_many_argument_types_each_get_their_own_values()
    {
        Func<int, object>[] shapes =
        [
            i => new { amount = $"${i}", count = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            i => new { plan = $"plan {i}" },
            i => new { name = $"n{i}", units = $"u{i}", date = $"d{i}" },
            i => new Dictionary<string, object?> { ["only"] = $"o{i}" },
        ];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var args = shapes[i % shapes.Length](i);
            var read = WordsExtensions.ToDictionary(args);
            var expected = args is IReadOnlyDictionary<string, object?> given
                ? given.ToDictionary(StringComparer.Ordinal)
                : args.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(args), StringComparer.Ordinal);
            if (!expected.SequenceEqual(read))
            {
                failures.Enqueue($"{i}: {string.Join(",", read)} != {string.Join(",", expected)}");
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void Reading_an_argument_object_allocates_no_more_than_the_dictionary_it_returns()
    {
        var args = new { amount = "$5.00", count = "3" };
        for (var i = 0; i < 5; i++)
        {
            WordsExtensions.ToDictionary(args);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var filled = new Dictionary<string, object?>(2, StringComparer.Ordinal) { ["amount"] = "$5.00", ["count"] = "3" };
        var dictionaryBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var read = WordsExtensions.ToDictionary(args);
        var readBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(filled, read);
        // Before the cache: a copied PropertyInfo array, LINQ's iterator and a dictionary grown from empty on every call.
        Assert.True(readBytes <= dictionaryBytes, $"{readBytes} bytes to read the arguments, {dictionaryBytes} for the dictionary itself");
    }
}
