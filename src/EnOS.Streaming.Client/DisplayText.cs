using System;
using System.Globalization;
using System.Text;

namespace EnOS.Streaming
{
    /// <summary>Text made safe for a prompt or message: invisible or text-reversing characters shown as \uXXXX, so a name cannot pass for another.</summary>
    internal static class DisplayText
    {
        /// <summary>The text with every hidden character written as \uXXXX (\UXXXXXXXX above U+FFFF).</summary>
        public static string Escape(string? text)
        {
            if (string.IsNullOrEmpty(text) || FindHidden(text!, out _) < 0)
            {
                return text ?? string.Empty;
            }

            var shown = new StringBuilder(text!.Length + 16);
            for (var i = 0; i < text.Length; i++)
            {
                var length = IsPair(text, i) ? 2 : 1;
                if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(text, i)))
                {
                    shown.Append(length == 2
                        ? "\\U" + char.ConvertToUtf32(text, i).ToString("X8", CultureInfo.InvariantCulture)
                        : "\\u" + ((int)text[i]).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    shown.Append(text, i, length);
                }

                i += length - 1;
            }

            return shown.ToString();
        }

        /// <summary>The index of the first hidden character (an emoji's pair is none), or -1.</summary>
        public static int FindHidden(string text, out int codePoint)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var pair = IsPair(text, i);
                if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(text, i)))
                {
                    codePoint = pair ? char.ConvertToUtf32(text, i) : text[i];
                    return i;
                }

                if (pair)
                {
                    i++;
                }
            }

            codePoint = 0;
            return -1;
        }

        /// <summary>A clause as a sentence: the first letter capital, one closing full stop.</summary>
        public static string Sentence(string clause)
        {
            var text = clause.Trim();
            if (text.Length == 0)
            {
                return text;
            }

            text = char.ToUpperInvariant(text[0]) + text.Substring(1);
            var last = text[text.Length - 1];
            return last == '.' || last == '!' || last == '?' || last == '…' ? text : text + ".";
        }

        /// <summary>A sentence as a clause after a colon: first letter small (not an acronym's), no full stop.</summary>
        public static string Clause(string sentence)
        {
            var text = sentence.Trim();
            if (text.EndsWith(".", StringComparison.Ordinal) && !text.EndsWith("..", StringComparison.Ordinal))
            {
                text = text.Substring(0, text.Length - 1);
            }

            return text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1])
                ? char.ToLowerInvariant(text[0]) + text.Substring(1)
                : text;
        }

        /// <summary>Control (Cc), format (Cf: bidi overrides, zero-width characters, tags), lone surrogates (Cs), line and paragraph separators.</summary>
        private static bool IsHidden(UnicodeCategory category) =>
            category == UnicodeCategory.Control
            || category == UnicodeCategory.Format
            || category == UnicodeCategory.Surrogate
            || category == UnicodeCategory.LineSeparator
            || category == UnicodeCategory.ParagraphSeparator;

        private static bool IsPair(string text, int index) =>
            char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]);
    }
}
