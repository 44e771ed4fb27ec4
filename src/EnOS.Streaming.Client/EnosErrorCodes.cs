namespace EnOS.Streaming
{
    /// <summary>The documented answer codes the module acts on. Match on these, never on message text.</summary>
    public static class EnosErrorCodes
    {
        public const int Success = 0;

        // Token service (the "status" field of its answers).
        public const int DuplicatedEncryption = 1001;
        public const int AppKeyNotFound = 1002;
        public const int EncryptionInvalid = 1003;
        public const int AccessTokenExpired = 1203;

        // Streaming service.
        public const int InvalidConfiguration = 61100;
        public const int MissingParameter = 61102;
        public const int NoPrivilege = 61106;
        public const int PipelineNotFound = 61108;
        public const int AnotherUserStarting = 61121;
        public const int StateConflict = 61152;
        public const int CannotStart = 61165;
        public const int KafkaRateUnavailable = 61168;
        public const int CannotRelease = 61169;

        public static bool IsAuthenticationFailure(int code) =>
            code == AppKeyNotFound || code == EncryptionInvalid;

        /// <summary>The codes that say the pipeline is in the wrong state for the action.</summary>
        public static bool IsStateConflict(int code) =>
            code == StateConflict || code == CannotStart || code == CannotRelease;
    }
}
