/* test-msrp-chunking.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chunking (HailMsrpOutgoing) and reassembly (HailMsrpReassembly): in
 * order, out of order, duplicated, interrupted, aborted, resumed, and every
 * way a chunk can contradict its message.
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-outgoing.h"
#include "hail-msrp-reassembly.h"
#include "hail-sip-error.h"

static GPtrArray *
path_of (const char *uri)
{
  GPtrArray *path = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);

  g_ptr_array_add (path, hail_msrp_uri_parse (uri, -1, NULL));
  return path;
}

static GBytes *
make_content (gsize len)
{
  guint8 *data = g_malloc (len + 1);

  /* Text with CRLFs and hyphen runs, the worst case for end-line search. */
  for (gsize i = 0; i < len; i++)
    data[i] = (i % 61 == 59) ? '\r' : (i % 61 == 60) ? '\n' : (i % 13 < 8) ? '-' : 'a' + i % 26;
  return g_bytes_new_take (data, len);
}

/* Cuts @content into parsed chunks of @chunk_size. */
static GPtrArray *
cut (GBytes *content,
     gsize   chunk_size)
{
  g_autoptr(GPtrArray) to = path_of ("msrp://127.0.0.1:4000/to;tcp");
  g_autoptr(GPtrArray) from = path_of ("msrp://127.0.0.1:4001/from;tcp");
  g_autoptr(HailMsrpOutgoing) out = hail_msrp_outgoing_new ("application/octet-stream", content,
                                                            chunk_size);
  GPtrArray *chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_message_unref);

  while (hail_msrp_outgoing_has_more (out))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *tid = NULL;
      HailMsrpByteRange range;
      g_autoptr(GBytes) frame = hail_msrp_outgoing_next_chunk (out, to, from, &tid, &range,
                                                               &error);
      HailMsrpMessage *m;

      g_assert_no_error (error);
      m = hail_msrp_message_parse (frame, &error);
      g_assert_no_error (error);
      g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_transaction_id (m), tid));
      g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_message_id (m),
                                              hail_msrp_outgoing_get_message_id (out)));
      g_ptr_array_add (chunks, m);
    }
  g_assert_cmpuint (hail_msrp_outgoing_get_sent (out), ==, g_bytes_get_size (content));
  return chunks;
}

static gboolean
add (HailMsrpReassembly  *r,
     HailMsrpMessage     *m,
     GError             **error)
{
  HailMsrpByteRange range;
  gboolean has_range = hail_msrp_message_get_byte_range (m, &range);
  gsize len = 0;
  const guint8 *body = hail_msrp_message_get_body (m, &len);

  return hail_msrp_reassembly_add (r, has_range ? &range : NULL, body, len,
                                   hail_msrp_message_get_continuation (m), error);
}

static void
test_in_order (void)
{
  g_autoptr(GBytes) content = make_content (100000);
  g_autoptr(GPtrArray) chunks = cut (content, HAIL_MSRP_DEFAULT_CHUNK_SIZE);
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  g_autoptr(GBytes) whole = NULL;

  g_assert_cmpuint (chunks->len, ==, (100000 + HAIL_MSRP_DEFAULT_CHUNK_SIZE - 1) /
                                      HAIL_MSRP_DEFAULT_CHUNK_SIZE);
  for (guint i = 0; i < chunks->len; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (hail_msrp_message_get_continuation (chunks->pdata[i]), ==,
                       i + 1 == chunks->len ? HAIL_MSRP_CONTINUATION_COMPLETE
                                            : HAIL_MSRP_CONTINUATION_MORE);
      g_assert_false (hail_msrp_reassembly_is_complete (r));
      g_assert_true (add (r, chunks->pdata[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (hail_msrp_reassembly_is_complete (r));
  g_assert_cmpint (hail_msrp_reassembly_get_total (r), ==, 100000);
  whole = hail_msrp_reassembly_steal_bytes (r);
  g_assert_true (g_bytes_equal (whole, content));
}

static void
test_out_of_order_and_duplicates (void)
{
  g_autoptr(GBytes) content = make_content (50000);
  g_autoptr(GPtrArray) chunks = cut (content, 1000);
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4975);
  g_autoptr(GBytes) whole = NULL;

  /* Shuffle, then deliver every chunk, and every third one twice. */
  for (guint i = chunks->len - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, i + 1);
      gpointer t = chunks->pdata[i];

      chunks->pdata[i] = chunks->pdata[j];
      chunks->pdata[j] = t;
    }
  for (guint i = 0; i < chunks->len; i++)
    {
      g_assert_true (add (r, chunks->pdata[i], NULL));
      if (i % 3 == 0)
        g_assert_true (add (r, chunks->pdata[i], NULL));
    }
  g_assert_true (hail_msrp_reassembly_is_complete (r));
  g_assert_cmpuint (hail_msrp_reassembly_get_received (r), ==, 50000);
  g_assert_cmpuint (hail_msrp_reassembly_get_duplicate_bytes (r), ==, 17 * 1000);
  whole = hail_msrp_reassembly_steal_bytes (r);
  g_assert_true (g_bytes_equal (whole, content));
}

static void
test_gaps (void)
{
  g_autoptr(GBytes) content = make_content (10000);
  g_autoptr(GPtrArray) chunks = cut (content, 1000);
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  g_autoptr(GArray) gaps = NULL;
  g_autoptr(GArray) ranges = NULL;

  /* Chunks 1, 2, 5 and the last (10): gaps 3-4 and 6-9. */
  for (guint i = 0; i < chunks->len; i++)
    if (i == 0 || i == 1 || i == 4 || i == 9)
      g_assert_true (add (r, chunks->pdata[i], NULL));
  g_assert_false (hail_msrp_reassembly_is_complete (r));
  ranges = hail_msrp_reassembly_dup_ranges (r);
  g_assert_cmpuint (ranges->len, ==, 3);
  g_assert_cmpuint (g_array_index (ranges, HailMsrpByteRange, 0).start, ==, 1);
  g_assert_cmpint (g_array_index (ranges, HailMsrpByteRange, 0).end, ==, 2000);
  g_assert_cmpuint (g_array_index (ranges, HailMsrpByteRange, 2).start, ==, 9001);
  gaps = hail_msrp_reassembly_dup_gaps (r);
  g_assert_cmpuint (gaps->len, ==, 2);
  g_assert_cmpuint (g_array_index (gaps, HailMsrpByteRange, 0).start, ==, 2001);
  g_assert_cmpint (g_array_index (gaps, HailMsrpByteRange, 0).end, ==, 4000);
  g_assert_cmpuint (g_array_index (gaps, HailMsrpByteRange, 1).start, ==, 5001);
  g_assert_cmpint (g_array_index (gaps, HailMsrpByteRange, 1).end, ==, 9000);
}

static void
test_aborted (void)
{
  g_autoptr(GBytes) content = make_content (5000);
  g_autoptr(GPtrArray) to = path_of ("msrp://127.0.0.1:4000/to;tcp");
  g_autoptr(HailMsrpOutgoing) out = hail_msrp_outgoing_new ("text/plain", content, 2048);
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  g_autoptr(GBytes) first = hail_msrp_outgoing_next_chunk (out, to, to, NULL, NULL, NULL);
  g_autoptr(GBytes) abort_frame = hail_msrp_outgoing_abort_chunk (out, to, to, NULL);
  g_autoptr(HailMsrpMessage) m1 = hail_msrp_message_parse (first, NULL);
  g_autoptr(HailMsrpMessage) m2 = hail_msrp_message_parse (abort_frame, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (hail_msrp_outgoing_has_more (out));
  g_assert_cmpint (hail_msrp_message_get_continuation (m2), ==, HAIL_MSRP_CONTINUATION_ABORTED);
  g_assert_true (add (r, m1, NULL));
  g_assert_true (add (r, m2, NULL));
  g_assert_true (hail_msrp_reassembly_is_aborted (r));
  g_assert_false (hail_msrp_reassembly_is_complete (r));
  /* Nothing is taken after an abort. */
  g_assert_false (add (r, m1, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_interrupted_chunk (void)
{
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  HailMsrpByteRange first = { 1, 100, 150 };
  HailMsrpByteRange rest = { 41, 150, 150 };
  guint8 data[150];
  g_autoptr(GBytes) whole = NULL;

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) i;
  /* RFC 4975 §7.1: a sender may cut a chunk short and go on with `+`; the
   * next chunk starts where the body stopped. */
  g_assert_true (hail_msrp_reassembly_add (r, &first, data, 40, HAIL_MSRP_CONTINUATION_MORE,
                                           NULL));
  g_assert_true (hail_msrp_reassembly_add (r, &rest, data + 40, 110,
                                           HAIL_MSRP_CONTINUATION_COMPLETE, NULL));
  g_assert_true (hail_msrp_reassembly_is_complete (r));
  whole = hail_msrp_reassembly_steal_bytes (r);
  g_assert_cmpmem (g_bytes_get_data (whole, NULL), g_bytes_get_size (whole), data, sizeof data);
}

static void
test_unknown_total (void)
{
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  HailMsrpByteRange a = { 1, -1, -1 };
  HailMsrpByteRange b = { 6, -1, -1 };

  g_assert_true (hail_msrp_reassembly_add (r, &a, (const guint8 *) "hello", 5,
                                           HAIL_MSRP_CONTINUATION_MORE, NULL));
  g_assert_cmpint (hail_msrp_reassembly_get_total (r), ==, -1);
  g_assert_true (hail_msrp_reassembly_add (r, &b, (const guint8 *) " you", 4,
                                           HAIL_MSRP_CONTINUATION_COMPLETE, NULL));
  g_assert_cmpint (hail_msrp_reassembly_get_total (r), ==, 9);
  g_assert_true (hail_msrp_reassembly_is_complete (r));
}

static void
test_contradictions (void)
{
  struct {
    HailMsrpByteRange    range;
    gsize                len;
    HailMsrpContinuation flag;
    int                  code;
  } cases[] = {
    /* More bytes than the range holds. */
    { { 1, 3, 10 }, 5, HAIL_MSRP_CONTINUATION_MORE, HAIL_SIP_ERROR_MALFORMED },
    /* A last chunk shorter than its range. */
    { { 1, 10, 10 }, 5, HAIL_MSRP_CONTINUATION_COMPLETE, HAIL_SIP_ERROR_MALFORMED },
    /* Past the maximum size, by total or by position. */
    { { 1, 5, 2000 }, 5, HAIL_MSRP_CONTINUATION_MORE, HAIL_SIP_ERROR_TOO_LARGE },
    { { 1020, -1, -1 }, 10, HAIL_MSRP_CONTINUATION_MORE, HAIL_SIP_ERROR_TOO_LARGE },
    /* A last chunk that does not end at the total. */
    { { 1, 5, 10 }, 5, HAIL_MSRP_CONTINUATION_COMPLETE, HAIL_SIP_ERROR_MALFORMED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1024);
      g_autoptr(GError) error = NULL;
      guint8 body[16] = { 0 };

      g_assert_false (hail_msrp_reassembly_add (r, &cases[i].range, body, cases[i].len,
                                                cases[i].flag, &error));
      g_assert_error (error, HAIL_SIP_ERROR, cases[i].code);
    }

  {
    /* The total may not change between chunks. */
    g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1024);
    g_autoptr(GError) error = NULL;
    HailMsrpByteRange a = { 1, 2, 10 };
    HailMsrpByteRange b = { 3, 4, 11 };

    g_assert_true (hail_msrp_reassembly_add (r, &a, (const guint8 *) "ab", 2,
                                             HAIL_MSRP_CONTINUATION_MORE, NULL));
    g_assert_false (hail_msrp_reassembly_add (r, &b, (const guint8 *) "cd", 2,
                                              HAIL_MSRP_CONTINUATION_MORE, &error));
    g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  }
}

static void
test_range_limit (void)
{
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  g_autoptr(GError) error = NULL;
  guint i;

  /* Every other byte: each one a new range until the limit. */
  for (i = 0; i < HAIL_MSRP_MAX_RANGES; i++)
    {
      HailMsrpByteRange range = { 2 * i + 1, 2 * i + 1, -1 };

      g_assert_true (hail_msrp_reassembly_add (r, &range, (const guint8 *) "x", 1,
                                               HAIL_MSRP_CONTINUATION_MORE, NULL));
    }
  {
    HailMsrpByteRange range = { 2 * i + 1, 2 * i + 1, -1 };
    HailMsrpByteRange fill = { 2, 2, -1 };

    g_assert_false (hail_msrp_reassembly_add (r, &range, (const guint8 *) "x", 1,
                                              HAIL_MSRP_CONTINUATION_MORE, &error));
    g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
    /* Filling a gap merges ranges and is still fine. */
    g_assert_true (hail_msrp_reassembly_add (r, &fill, (const guint8 *) "x", 1,
                                             HAIL_MSRP_CONTINUATION_MORE, NULL));
  }
}

static void
test_resume (void)
{
  g_autoptr(GBytes) content = make_content (10000);
  g_autoptr(GPtrArray) to = path_of ("msrp://127.0.0.1:4000/to;tcp");
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  g_autoptr(HailMsrpOutgoing) first = hail_msrp_outgoing_new ("text/plain", content, 3000);
  g_autoptr(HailMsrpOutgoing) second = hail_msrp_outgoing_new ("text/plain", content, 3000);
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GBytes) whole = NULL;

  /* The first transfer stops after two chunks ... */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) f = hail_msrp_outgoing_next_chunk (first, to, to, NULL, NULL, NULL);
      g_autoptr(HailMsrpMessage) m = hail_msrp_message_parse (f, NULL);

      g_assert_true (add (r, m, NULL));
    }
  /* ... the receiver reports what it holds, and the sender resumes after it
   * (RFC 5547 §9). */
  ranges = hail_msrp_reassembly_dup_ranges (r);
  g_assert_cmpuint (ranges->len, ==, 1);
  hail_msrp_outgoing_set_offset (second, g_array_index (ranges, HailMsrpByteRange, 0).end);
  while (hail_msrp_outgoing_has_more (second))
    {
      g_autoptr(GBytes) f = hail_msrp_outgoing_next_chunk (second, to, to, NULL, NULL, NULL);
      g_autoptr(HailMsrpMessage) m = hail_msrp_message_parse (f, NULL);

      g_assert_true (add (r, m, NULL));
    }
  g_assert_cmpuint (hail_msrp_reassembly_get_duplicate_bytes (r), ==, 0);
  g_assert_true (hail_msrp_reassembly_is_complete (r));
  whole = hail_msrp_reassembly_steal_bytes (r);
  g_assert_true (g_bytes_equal (whole, content));
}

/* Streaming: ranges tracked, no bytes kept; a resumed message starts
 * with its first bytes marked held and completes with the rest. */
static void
test_streamed_resume (void)
{
  g_autoptr(GBytes) content = make_content (10000);
  g_autoptr(GPtrArray) to = path_of ("msrp://127.0.0.1:4000/to;tcp");
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1 << 20);
  g_autoptr(HailMsrpReassembly) big = hail_msrp_reassembly_new ("b", 100);
  g_autoptr(HailMsrpOutgoing) rest = hail_msrp_outgoing_new ("text/plain", content, 3000);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) error = NULL;

  hail_msrp_reassembly_set_keep_data (r, FALSE);
  g_assert_true (hail_msrp_reassembly_mark_held (r, 4000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hail_msrp_reassembly_get_received (r), ==, 4000);
  hail_msrp_outgoing_set_offset (rest, 4000);
  while (hail_msrp_outgoing_has_more (rest))
    {
      g_autoptr(GBytes) f = hail_msrp_outgoing_next_chunk (rest, to, to, NULL, NULL, NULL);
      g_autoptr(HailMsrpMessage) m = hail_msrp_message_parse (f, NULL);

      g_assert_false (hail_msrp_reassembly_is_complete (r));
      g_assert_true (add (r, m, NULL));
    }
  g_assert_true (hail_msrp_reassembly_is_complete (r));
  g_assert_cmpuint (hail_msrp_reassembly_get_duplicate_bytes (r), ==, 0);
  /* Nothing was kept: the bytes went to whoever streamed them. */
  g_assert_cmpuint (hail_msrp_reassembly_get_buffered_size (r), ==, 0);
  whole = hail_msrp_reassembly_steal_bytes (r);
  g_assert_cmpuint (g_bytes_get_size (whole), ==, 0);

  /* What is held counts against the limit. */
  hail_msrp_reassembly_set_keep_data (big, FALSE);
  g_assert_false (hail_msrp_reassembly_mark_held (big, 101, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_empty_message (void)
{
  g_autoptr(GBytes) content = g_bytes_new (NULL, 0);
  g_autoptr(GPtrArray) chunks = cut (content, 2048);
  g_autoptr(HailMsrpReassembly) r = hail_msrp_reassembly_new ("m", 1024);
  HailMsrpByteRange range;

  g_assert_cmpuint (chunks->len, ==, 1);
  g_assert_true (hail_msrp_message_get_byte_range (chunks->pdata[0], &range));
  g_assert_cmpint (range.end, ==, 0);
  g_assert_cmpint (range.total, ==, 0);
  g_assert_true (add (r, chunks->pdata[0], NULL));
  g_assert_true (hail_msrp_reassembly_is_complete (r));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/msrp/chunking/in-order", test_in_order);
  g_test_add_func ("/sip/msrp/chunking/out-of-order-and-duplicates",
                   test_out_of_order_and_duplicates);
  g_test_add_func ("/sip/msrp/chunking/gaps", test_gaps);
  g_test_add_func ("/sip/msrp/chunking/aborted", test_aborted);
  g_test_add_func ("/sip/msrp/chunking/interrupted-chunk", test_interrupted_chunk);
  g_test_add_func ("/sip/msrp/chunking/unknown-total", test_unknown_total);
  g_test_add_func ("/sip/msrp/chunking/contradictions", test_contradictions);
  g_test_add_func ("/sip/msrp/chunking/range-limit", test_range_limit);
  g_test_add_func ("/sip/msrp/chunking/resume", test_resume);
  g_test_add_func ("/sip/msrp/chunking/empty-message", test_empty_message);
  g_test_add_func ("/sip/msrp/chunking/streamed-resume", test_streamed_resume);

  return g_test_run ();
}
