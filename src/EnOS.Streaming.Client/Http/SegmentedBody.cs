using System;
using System.Collections.Generic;
using System.Text;

namespace EnOS.Streaming.Http
{
    /// <summary>A body in 16 KiB segments: one too large leaves gen0 garbage, not large-object-heap arrays (many bombs in a row took 170 MB).</summary>
    internal sealed class SegmentedBody
    {
        private const int SegmentSize = 16 * 1024;
        private static readonly UTF8Encoding LenientUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

        private readonly List<byte[]> _segments = new List<byte[]>();
        private int _usedInLast = SegmentSize;
        private Stack<byte[]>? _spare;

        public long Length { get; private set; }

        public ArraySegment<byte> FreeSpace(int atMost)
        {
            if (_usedInLast == SegmentSize)
            {
                _segments.Add(_spare != null && _spare.Count > 0 ? _spare.Pop() : new byte[SegmentSize]);
                _usedInLast = 0;
            }

            return new ArraySegment<byte>(_segments[_segments.Count - 1], _usedInLast, Math.Min(atMost, SegmentSize - _usedInLast));
        }

        /// <summary>From now on, take segments from <paramref name="spare"/>, and give them all back to it on <see cref="ReturnSegments"/>.</summary>
        public void DrawSegmentsFrom(Stack<byte[]> spare) => _spare = spare;

        public void ReturnSegments()
        {
            if (_spare != null)
            {
                // Never more than one largest answer's worth, or small answers' segments pile up.
                foreach (var segment in _segments)
                {
                    if (_spare.Count * (long)SegmentSize > AnswerReader.LargeAnswerLimit)
                    {
                        break;
                    }

                    _spare.Push(segment);
                }
            }

            _segments.Clear();
            _usedInLast = SegmentSize;
            Length = 0;
        }

        public void Filled(int count)
        {
            _usedInLast += count;
            Length += count;
        }

        public byte[] ToArray()
        {
            var all = new byte[Length];
            var offset = 0;
            foreach (var segment in _segments)
            {
                var count = (int)Math.Min(SegmentSize, Length - offset);
                Buffer.BlockCopy(segment, 0, all, offset, count);
                offset += count;
            }

            return all;
        }

        /// <summary>The first kilobyte, decoded leniently: enough for an excerpt, never the whole.</summary>
        public string Start() =>
            _segments.Count == 0 ? string.Empty : LenientUtf8.GetString(_segments[0], 0, (int)Math.Min(Length, 1024));
    }
}
