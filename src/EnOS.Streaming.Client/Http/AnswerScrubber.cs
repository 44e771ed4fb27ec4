using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace EnOS.Streaming.Http
{
    /// <summary>Takes a connection's secrets out of an answer before anything reads it: an error page may echo them into messages and $Error.</summary>
    internal sealed class AnswerScrubber(string? appKey = null, string? appSecret = null)
    {
        public const string Redacted = "[redacted]";

        // Shorter values would scrub ordinary words; no token, signature or secret is that short.
        private const int ShortestSecret = 6;

        // A connection renews its token about every two hours: this covers days, and bounds the scan.
        private const int MostRemembered = 64;

        private readonly object _lock = new object();
        private readonly LinkedList<string> _remembered = new LinkedList<string>();
        private readonly string[] _credential = new[] { appSecret, appKey }.Where(IsSecret).Select(value => value!).ToArray();

        /// <summary>A token the connection was given: scrubbed from every later answer, also once it is replaced.</summary>
        public void Remember(string secret)
        {
            if (!IsSecret(secret))
            {
                return;
            }

            lock (_lock)
            {
                if (_remembered.Contains(secret))
                {
                    return;
                }

                _remembered.AddFirst(secret);
                if (_remembered.Count > MostRemembered)
                {
                    _remembered.RemoveLast();
                }
            }
        }

        /// <summary>The text with every known secret and each of <paramref name="sent"/> replaced by "[redacted]".</summary>
        public string Scrub(string text, IEnumerable<string>? sent = null)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            string[] remembered;
            lock (_lock)
            {
                remembered = new string[_remembered.Count];
                _remembered.CopyTo(remembered, 0);
            }

            // The longest first, so that a secret that contains another is replaced whole.
            var secrets = new List<string>(remembered);
            secrets.AddRange(_credential);
            secrets.AddRange(sent?.Where(IsSecret) ?? Enumerable.Empty<string>());

            secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
            foreach (var secret in secrets)
            {
                text = Replace(text, secret);
            }

            return text;
        }

        private static bool IsSecret(string? value) => value != null && value.Length >= ShortestSecret;

        public string? ScrubOrNull(string? text, IEnumerable<string>? sent = null) => text == null ? null : Scrub(text, sent);

        // Ignoring case: a signature is hex, which a page may echo in either case.
        private static string Replace(string text, string secret)
        {
            var at = text.IndexOf(secret, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return text;
            }

            var result = new StringBuilder(text.Length);
            var from = 0;
            while (at >= 0)
            {
                result.Append(text, from, at - from).Append(Redacted);
                from = at + secret.Length;
                at = text.IndexOf(secret, from, StringComparison.OrdinalIgnoreCase);
            }

            return result.Append(text, from, text.Length - from).ToString();
        }
    }
}
