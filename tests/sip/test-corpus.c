/* test-corpus.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real-traffic messages of tests/data/sip/bench parse in both modes and
 * survive parse -> write -> parse with every header and the body intact; the
 * messages of tests/data/sip/invalid fail with an error naming the problem.
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-test-util.h"

static char *
unfold (HailSipSpan value)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < value.len; i++)
    {
      char c = value.ptr[i];

      if (c == '\r' || c == '\n' || c == '\t' || c == ' ')
        {
          if (s->len > 0 && s->str[s->len - 1] != ' ')
            g_string_append_c (s, ' ');
          continue;
        }
      g_string_append_c (s, c);
    }
  return g_string_free (s, FALSE);
}

static void
assert_same_headers (HailSipMessage *a,
                     HailSipMessage *b)
{
  guint j = 0;

  /* b has the same headers in the same order, except Content-Length, which
   * the writer emits once, last. */
  for (guint i = 0; i < hail_sip_message_get_n_headers (a); i++)
    {
      HailSipSpan name_a, value_a, name_b, value_b;
      HailSipHeaderId id_a, id_b;
      g_autofree char *text_a = NULL;
      g_autofree char *text_b = NULL;

      g_assert_true (hail_sip_message_get_header_at (a, i, &name_a, &value_a, &id_a));
      if (id_a == HAIL_SIP_HEADER_CONTENT_LENGTH)
        continue;
      g_assert_true (hail_sip_message_get_header_at (b, j++, &name_b, &value_b, &id_b));
      g_assert_cmpint (id_a, ==, id_b);
      if (id_a == HAIL_SIP_HEADER_OTHER)
        g_assert_true (hail_sip_span_equal (name_a, name_b));
      text_a = unfold (value_a);
      text_b = unfold (value_b);
      g_assert_cmpstr (text_a, ==, text_b);
    }
}

static void
test_corpus_bench_file (gconstpointer data)
{
  g_autofree char *path = g_strconcat ("data/sip/bench/", (const char *) data, NULL);
  g_autoptr(GBytes) bytes = hail_test_load_data (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) msg = NULL;
  g_autoptr(HailSipMessage) stream = NULL;
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) again = NULL;
  const HailSipCSeq *cseq;
  HailSipVia via_a, via_b;
  gsize consumed = 0;

  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, &error);
  g_assert_no_error (error);
  stream = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, NULL, &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, g_bytes_get_size (bytes));

  /* Every message of a call flow carries these. */
  cseq = hail_sip_message_get_cseq (msg);
  g_assert_nonnull (cseq);
  g_assert_nonnull (hail_sip_message_get_from (msg));
  g_assert_true (hail_sip_span_present (hail_sip_message_get_from (msg)->tag));
  g_assert_nonnull (hail_sip_message_get_to (msg));
  g_assert_true (hail_sip_span_present (hail_sip_message_get_call_id (msg)));
  g_assert_true (hail_sip_message_get_via (msg, 0, &via_a));
  g_assert_true (g_str_has_prefix (via_a.branch.ptr, "z9hG4bK"));
  if (hail_sip_message_is_request (msg))
    g_assert_true (hail_sip_span_equal (hail_sip_message_get_method (msg), cseq->method));
  else
    g_assert_cmpuint (hail_sip_message_get_status (msg), >=, 100);

  builder = hail_sip_message_builder_new_copy (msg);
  again = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);
  assert_same_headers (msg, again);
  g_assert_true (hail_sip_span_equal (hail_sip_message_get_body (msg),
                                      hail_sip_message_get_body (again)));
  g_assert_true (hail_sip_span_equal (hail_sip_message_get_request_uri (msg),
                                      hail_sip_message_get_request_uri (again)));
  g_assert_cmpuint (hail_sip_message_get_status (msg), ==, hail_sip_message_get_status (again));
  g_assert_cmpuint (hail_sip_message_get_cseq (again)->number, ==, cseq->number);
  g_assert_cmpuint (hail_sip_message_get_n_vias (again), ==, hail_sip_message_get_n_vias (msg));
  g_assert_true (hail_sip_message_get_via (again, 0, &via_b));
  g_assert_true (hail_sip_span_equal (via_a.branch, via_b.branch));
  g_assert_true (hail_sip_span_equal (via_a.host, via_b.host));
  g_assert_cmpuint (hail_sip_message_get_n_contacts (again), ==,
                    hail_sip_message_get_n_contacts (msg));
}

static void
test_corpus_bench_count (void)
{
  g_autoptr(GPtrArray) names = hail_test_list_dir ("data/sip/bench");

  g_assert_cmpuint (names->len, ==, 20);
}

typedef struct {
  const char *file;
  gint        datagram_code;
  const char *message;
  gint        stream_code;
} Invalid;

static const Invalid invalid[] = {
  { "bad-cseq-number.sip", HAIL_SIP_ERROR_MALFORMED, "line 7: CSeq: number missing",
    HAIL_SIP_ERROR_MALFORMED },
  { "bad-from-unclosed-angle.sip", HAIL_SIP_ERROR_MALFORMED, "line 4: From: '<' without '>'",
    HAIL_SIP_ERROR_MALFORMED },
  { "bad-truncated-headers.sip", HAIL_SIP_ERROR_MALFORMED,
    "no empty line ends the header section", HAIL_SIP_ERROR_INCOMPLETE },
  { "bad-via-garbage.sip", HAIL_SIP_ERROR_MALFORMED, "line 2: Via: bad sent-protocol",
    HAIL_SIP_ERROR_MALFORMED },
};

static void
test_corpus_invalid_file (gconstpointer data)
{
  const Invalid *expect = data;
  g_autofree char *path = g_strconcat ("data/sip/invalid/", expect->file, NULL);
  g_autoptr(GBytes) bytes = hail_test_load_data (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) msg = NULL;

  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, &error);
  g_assert_null (msg);
  g_assert_error (error, HAIL_SIP_ERROR, expect->datagram_code);
  g_assert_cmpstr (error->message, ==, expect->message);
  g_clear_error (&error);
  msg = hail_sip_message_parse (bytes, HAIL_SIP_PARSE_STREAM, NULL, NULL, &error);
  g_assert_null (msg);
  g_assert_error (error, HAIL_SIP_ERROR, expect->stream_code);
}

static void
test_corpus_invalid_count (void)
{
  g_autoptr(GPtrArray) names = hail_test_list_dir ("data/sip/invalid");

  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (invalid));
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_cmpstr (names->pdata[i], ==, invalid[i].file);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) names = NULL;

  g_test_init (&argc, &argv, NULL);
  names = hail_test_list_dir ("data/sip/bench");
  g_test_add_func ("/sip/corpus/bench-count", test_corpus_bench_count);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_strconcat ("/sip/corpus/bench/", names->pdata[i], NULL);

      g_test_add_data_func_full (path, g_strdup (names->pdata[i]), test_corpus_bench_file, g_free);
    }
  g_test_add_func ("/sip/corpus/invalid-count", test_corpus_invalid_count);
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *path = g_strconcat ("/sip/corpus/invalid/", invalid[i].file, NULL);

      g_test_add_data_func (path, &invalid[i], test_corpus_invalid_file);
    }
  return g_test_run ();
}
