using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>What a trained model was trained from: a model file is used only for exactly this key.</summary>
/// <param name="Locale">The locale of the lines.</param>
/// <param name="LinesHash"><see cref="TrainedClassifiers.Hash"/> of the locale's raw training lines, in order.</param>
/// <param name="Settings">The classifier settings it was trained with.</param>
internal sealed record ClassifierModelKey(string Locale, string LinesHash, ClassifierSettings Settings);

/// <summary>
/// A trained <see cref="IntentClassifier"/> as a file, so that start-up reads the model instead of training it (issue 22:
/// training was about half of start-up's CPU). The file is keyed by the format version, the SHA-256 of the training
/// lines and the settings; a file whose key differs from the lines being served is refused, so an edited <c>.lu</c>
/// line can make the bot train (as it did before) but never answer with a model of other lines. The body ends with
/// its own SHA-256, so a truncated or damaged file is refused too. Doubles are stored bit for bit: the model read
/// back answers exactly as the one written (ShippedClassifierTests compares them on every training and held-out line).
/// </summary>
/// <remarks>
/// Layout (little-endian, then Brotli-compressed as a whole): magic, format version, locale, lines hash, settings,
/// labels (intent names), group weights, feature names in index order, IDF, bias, the feature-major weights, and the
/// SHA-256 of everything before it. Intent names, not numbers, so a reordered enum is read correctly.
/// </remarks>
internal static class ClassifierModelFile
{
    /// <summary>Bump when the layout or the meaning of a stored value changes: older files are then refused (and the bot trains).</summary>
    public const int FormatVersion = 1;

    /// <summary>The folder under <c>dialogs/</c> holding the shipped models (one per locale).</summary>
    public const string Folder = "Classifier";

    private const string Magic = "ariabot-intent-classifier";

    /// <summary>Where the model for <paramref name="culture"/> lives in a dialogs folder: beside the lines it was trained from.</summary>
    public static string PathIn(string dialogsPath, BotCulture culture)
    {
        ArgumentNullException.ThrowIfNull(dialogsPath);
        ArgumentNullException.ThrowIfNull(culture);
        return Path.Combine(dialogsPath, Folder, $"{Folder}.{culture.Name}.model");
    }

    /// <summary>The key of a locale's raw training lines under <paramref name="settings"/>.</summary>
    public static ClassifierModelKey KeyOf(BotCulture culture, IReadOnlyList<(Intent Intent, string Text)> lines, ClassifierSettings settings) =>
        new(culture.Name, TrainedClassifiers.Hash(lines), settings);

    public static byte[] Write(IntentClassifier model, ClassifierModelKey key)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(key);
        var (features, labels, bias, byFeature) = model.Parts;
        var (names, idf, groupWeights) = features.Parts();
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(key.Locale);
            writer.Write(key.LinesHash);
            WriteSettings(writer, key.Settings);
            writer.Write(labels.Length);
            foreach (var label in labels)
            {
                writer.Write(label.ToString());
            }

            WriteDoubles(writer, groupWeights);
            writer.Write(names.Length);
            foreach (var name in names)
            {
                writer.Write(name);
            }

            WriteDoubles(writer, idf);
            WriteDoubles(writer, bias);
            WriteDoubles(writer, byFeature);
        }

        body.Write(SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length)));
        using var packed = new MemoryStream();
        using (var brotli = new BrotliStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            brotli.Write(body.GetBuffer(), 0, (int)body.Length);
        }

        return packed.ToArray();
    }

    /// <summary>
    /// The model in <paramref name="file"/> when it was trained for <paramref name="expected"/>; otherwise null and why
    /// (a sentence for the log: never a wrong model).
    /// </summary>
    public static IntentClassifier? TryRead(ReadOnlySpan<byte> file, ClassifierModelKey expected, out string? whyNot)
    {
        ArgumentNullException.ThrowIfNull(expected);
        byte[] body;
        try
        {
            body = Unpack(file);
        }
        catch (InvalidDataException)
        {
            whyNot = "the file is damaged (not a compressed model)";
            return null;
        }

        if (body.Length < SHA256.HashSizeInBytes
            || !SHA256.HashData(body.AsSpan(0, body.Length - SHA256.HashSizeInBytes)).AsSpan().SequenceEqual(body.AsSpan(body.Length - SHA256.HashSizeInBytes)))
        {
            whyNot = "the file is damaged (its checksum does not match)";
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(body, 0, body.Length - SHA256.HashSizeInBytes, writable: false), Encoding.UTF8);
            if (reader.ReadString() != Magic)
            {
                whyNot = "the file is not an intent model";
                return null;
            }

            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                whyNot = $"it was written in format {version}; this build reads format {FormatVersion}";
                return null;
            }

            var key = new ClassifierModelKey(reader.ReadString(), reader.ReadString(), ReadSettings(reader));
            whyNot = key.Locale != expected.Locale ? $"it is the model of {key.Locale}"
                : key.LinesHash != expected.LinesHash ? "the training lines (.lu files) changed since it was written"
                : key.Settings != expected.Settings ? "it was trained with other classifier settings"
                : null;
            if (whyNot is not null)
            {
                return null;
            }

            var labels = new Intent[reader.ReadInt32()];
            for (var i = 0; i < labels.Length; i++)
            {
                if (!Enum.TryParse(reader.ReadString(), ignoreCase: false, out labels[i]) || !Enum.IsDefined(labels[i]))
                {
                    whyNot = "it names an intent this build does not know";
                    return null;
                }
            }

            var groupWeights = ReadDoubles(reader);
            var names = new string[reader.ReadInt32()];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = reader.ReadString();
            }

            var model = IntentClassifier.FromParts(IntentFeatures.FromParts(names, ReadDoubles(reader), groupWeights), labels, ReadDoubles(reader), ReadDoubles(reader));
            whyNot = null;
            return model;
        }
        catch (Exception exception) when (exception is EndOfStreamException or ArgumentException or IOException or OverflowException)
        {
            whyNot = "the file is damaged (" + exception.GetType().Name + ")";
            return null;
        }
    }

    private static byte[] Unpack(ReadOnlySpan<byte> file)
    {
        using var output = new MemoryStream(file.Length * 4);
        using (var brotli = new BrotliStream(new MemoryStream(file.ToArray(), writable: false), CompressionMode.Decompress))
        {
            brotli.CopyTo(output);
        }

        return output.ToArray();
    }

    private static void WriteSettings(BinaryWriter writer, ClassifierSettings settings)
    {
        writer.Write(settings.Epochs);
        writer.Write(settings.LearningRate);
        writer.Write(settings.L2);
        writer.Write(settings.PairWeight);
        writer.Write(settings.CharWeight);
    }

    private static ClassifierSettings ReadSettings(BinaryReader reader) =>
        new(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());

    private static void WriteDoubles(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        Span<byte> bytes = stackalloc byte[sizeof(double)];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            writer.Write(bytes);
        }
    }

    private static double[] ReadDoubles(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var bytes = reader.ReadBytes(checked(count * sizeof(double)));
        if (count < 0 || bytes.Length != count * sizeof(double))
        {
            throw new EndOfStreamException("The model ends early.");
        }

        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)));
        }

        return values;
    }
}
