using System.Collections.Generic;
using EnOS.Streaming.Signing;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class RequestSignerTests
    {
        private static KeyValuePair<string, string> P(string name, string value) => new KeyValuePair<string, string>(name, value);

        [Fact]
        public void Matches_the_worked_vector_of_the_shared_document()
        {
            var signature = RequestSigner.ComputeSignature(
                "xxxxaaaxxxx", new[] { P("action", "pause"), P("orgId", "o15xxxx") }, null, 1572574909697, "xxxappSecretxxx");

            Assert.Equal("b8737970d377e2fc6287e9bee54363ec792650329cadc331772dcfc0c6290b17", signature);
        }

        [Fact]
        public void Sorts_parameters_by_name_whatever_order_they_are_given_in()
        {
            var inOrder = RequestSigner.ComputeSignature("t", new[] { P("action", "pause"), P("orgId", "o1") }, null, 1, "s");
            var reversed = RequestSigner.ComputeSignature("t", new[] { P("orgId", "o1"), P("action", "pause") }, null, 1, "s");

            Assert.Equal(inOrder, reversed);
            Assert.Equal(RequestSigner.Sha256Hex("tactionpauseorgIdo11s"), inOrder);
        }

        [Fact]
        public void Sorts_ordinally_so_upper_case_names_come_before_lower_case()
        {
            var signature = RequestSigner.ComputeSignature("t", new[] { P("pageNo", "1"), P("orgId", "o"), P("Zeta", "z") }, null, 5, "s");

            // Ordinal: 'Z' (0x5A) < 'o' < 'p'; a culture-aware sort would put Zeta last.
            Assert.Equal(RequestSigner.Sha256Hex("tZetazorgIdopageNo15s"), signature);
        }

        [Fact]
        public void Signs_the_decoded_values_and_appends_the_body_exactly()
        {
            const string body = "{\"executionMode\":0,\"kafkaRate\":1000}";
            var signature = RequestSigner.ComputeSignature("tok", new[] { P("orgId", "o 1/é"), P("action", "start") }, body, 1700000000000, "sec");

            Assert.Equal(RequestSigner.Sha256Hex("tokactionstartorgIdo 1/é" + body + "1700000000000sec"), signature);
        }

        [Fact]
        public void Token_encryption_is_the_hash_of_key_timestamp_and_secret()
        {
            Assert.Equal(RequestSigner.Sha256Hex("key1572574909697secret"), RequestSigner.ComputeTokenEncryption("key", 1572574909697, "secret"));
        }

        [Fact]
        public void Sha256Hex_is_lower_case_hex_of_utf8()
        {
            // sha256("abc"), a standard vector.
            Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RequestSigner.Sha256Hex("abc"));
        }
    }
}
