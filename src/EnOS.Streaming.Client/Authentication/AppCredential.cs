using System;

namespace EnOS.Streaming.Authentication
{
    /// <summary>The app key and secret. The secret is only ever read to compute hashes; ToString and the debugger never show it.</summary>
    [System.Diagnostics.DebuggerDisplay("{ToString(),nq}")]
    internal sealed class AppCredential
    {
        public AppCredential(string appKey, string appSecret)
        {
            if (string.IsNullOrWhiteSpace(appKey))
            {
                throw new ArgumentException("The app key is empty.", nameof(appKey));
            }

            if (string.IsNullOrEmpty(appSecret))
            {
                throw new ArgumentException("The app secret is empty.", nameof(appSecret));
            }

            AppKey = appKey;
            AppSecret = appSecret;
        }

        public string AppKey { get; }

        internal string AppSecret { get; }

        public override string ToString() => $"AppKey={AppKey}, AppSecret=[redacted]";
    }
}
