/* fuzz-msrp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds the input to a HailMsrpParser twice: whole, and in chunks whose
 * sizes come from the input itself. Both runs must cut the same messages
 * and end in the same state. Every message must write back to its own bytes
 * and parse again to the same fields; SEND chunks go through a reassembly
 * with a small limit, which must never fail other than by a GError.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-parser.h"
#include "hail-msrp-reassembly.h"
#include "hail-msrp-relay.h"
#include "hail-sip-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  GPtrArray  *messages;
  GHashTable *reassemblies;
  guint       n_bad;        /* Frames cut at their end-line that did not parse. */
  int         code;         /* The error that ended the run; INCOMPLETE if none. */
} Run;

/* What a relay answers to AUTH (RFC 4976): read as the session would,
 * failing only by a GError, and within the bounds. */
static void
check_relay_answer (HailMsrpMessage *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) use_path = NULL;
  g_auto(GStrv) challenges = NULL;
  guint expires = 0;

  if (hail_msrp_message_get_kind (m) != HAIL_MSRP_MESSAGE_KIND_RESPONSE)
    return;
  use_path = hail_msrp_relay_read_grant (m, &expires, &error);
  g_assert ((use_path == NULL) == (error != NULL));
  g_assert (use_path == NULL || (use_path->len > 0 && use_path->len <= HAIL_MSRP_MAX_PATH_URIS &&
                                 expires > 0 && expires <= HAIL_MSRP_MAX_EXPIRES));
  g_clear_error (&error);
  challenges = hail_msrp_relay_dup_challenges (m, &error);
  g_assert ((challenges == NULL) == (error != NULL));
  g_assert (challenges == NULL || g_strv_length (challenges) <= HAIL_MSRP_RELAY_MAX_CHALLENGES);
}

static void
check_message (HailMsrpMessage *m)
{
  g_autoptr(GBytes) written = hail_msrp_message_to_bytes (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) again = NULL;
  HailMsrpByteRange r1, r2;
  gsize l1 = 0, l2 = 0;
  const guint8 *b1;
  const guint8 *b2;

  g_assert (g_bytes_get_size (hail_msrp_message_get_bytes (m)) <= HAIL_MSRP_MAX_FRAME_SIZE);
  g_assert (g_bytes_equal (written, hail_msrp_message_get_bytes (m)));
  again = hail_msrp_message_parse (written, &error);
  g_assert (again != NULL && error == NULL);
  g_assert (hail_msrp_message_get_kind (again) == hail_msrp_message_get_kind (m));
  g_assert (hail_sip_span_equal (hail_msrp_message_get_transaction_id (again),
                                 hail_msrp_message_get_transaction_id (m)));
  g_assert (hail_msrp_message_get_n_headers (again) == hail_msrp_message_get_n_headers (m));
  g_assert (hail_msrp_message_get_continuation (again) == hail_msrp_message_get_continuation (m));
  g_assert (hail_msrp_message_get_byte_range (again, &r1) ==
            hail_msrp_message_get_byte_range (m, &r2));
  b1 = hail_msrp_message_get_body (again, &l1);
  b2 = hail_msrp_message_get_body (m, &l2);
  g_assert (l1 == l2 && memcmp (b1, b2, l1) == 0);
  g_assert (hail_msrp_message_get_to_path (m)->len > 0);
  g_assert (hail_msrp_message_get_from_path (m)->len > 0);
  check_relay_answer (m);
}

static void
reassemble (Run             *run,
            HailMsrpMessage *m)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  HailMsrpReassembly *r;
  HailMsrpByteRange range;
  gboolean has_range;
  gsize len = 0;
  const guint8 *body;

  if (hail_msrp_message_get_kind (m) != HAIL_MSRP_MESSAGE_KIND_REQUEST ||
      hail_msrp_message_get_method (m) != HAIL_MSRP_METHOD_SEND)
    return;
  id = hail_sip_span_dup (hail_msrp_message_get_message_id (m));
  r = g_hash_table_lookup (run->reassemblies, id);
  if (r == NULL)
    {
      r = hail_msrp_reassembly_new (id, 4096);
      g_hash_table_insert (run->reassemblies, g_strdup (id), r);
    }
  has_range = hail_msrp_message_get_byte_range (m, &range);
  body = hail_msrp_message_get_body (m, &len);
  if (!hail_msrp_reassembly_add (r, has_range ? &range : NULL, body, len,
                                 hail_msrp_message_get_continuation (m), &error))
    {
      g_assert (error != NULL && error->domain == HAIL_SIP_ERROR);
      return;
    }
  g_assert (hail_msrp_reassembly_get_received (r) <= 4096);
  if (hail_msrp_reassembly_is_complete (r))
    {
      g_autoptr(GBytes) whole = hail_msrp_reassembly_steal_bytes (r);

      g_assert ((gint64) g_bytes_get_size (whole) == hail_msrp_reassembly_get_total (r));
      g_hash_table_remove (run->reassemblies, id);
    }
  else
    {
      g_autoptr(GArray) gaps = hail_msrp_reassembly_dup_gaps (r);
      g_autoptr(GArray) ranges = hail_msrp_reassembly_dup_ranges (r);

      g_assert (ranges->len <= HAIL_MSRP_MAX_RANGES);
      /* Gaps lie before, between or after the disjoint ranges. */
      g_assert (gaps->len <= ranges->len + 1);
    }
}

/* Takes every message out; returns FALSE once the parser is broken. */
static gboolean
drain (HailMsrpParser *parser,
       Run            *run)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bad = NULL;
      HailMsrpMessage *m = hail_msrp_parser_next (parser, &bad, &error);

      if (m == NULL && bad != NULL)
        {
          /* One lost frame; the stream goes on. */
          g_assert (error != NULL && error->domain == HAIL_SIP_ERROR);
          g_assert (!hail_msrp_parser_is_broken (parser));
          g_assert (g_bytes_get_size (bad) <= HAIL_MSRP_MAX_FRAME_SIZE);
          run->n_bad++;
          continue;
        }
      if (m == NULL)
        {
          g_assert (error != NULL && error->domain == HAIL_SIP_ERROR);
          run->code = error->code;
          g_assert (hail_msrp_parser_get_buffered (parser) <= HAIL_MSRP_MAX_FRAME_SIZE);
          return error->code == HAIL_SIP_ERROR_INCOMPLETE;
        }
      check_message (m);
      reassemble (run, m);
      g_ptr_array_add (run->messages, m);
    }
}

static void
run_parser (const uint8_t *data,
            size_t         size,
            const uint8_t *sizes,
            size_t         n_sizes,
            Run           *run)
{
  g_autoptr(HailMsrpParser) parser = hail_msrp_parser_new ();
  size_t pos = 0;
  size_t k = 0;

  run->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_message_unref);
  run->reassemblies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  run->code = HAIL_SIP_ERROR_INCOMPLETE;
  while (pos < size)
    {
      size_t want = n_sizes > 0 ? (size_t) sizes[k++ % n_sizes] * 7 + 1 : size;
      size_t n = MIN (MIN (want, size - pos), hail_msrp_parser_get_space (parser));

      g_assert (n > 0);
      if (!hail_msrp_parser_push (parser, data + pos, n, NULL))
        g_assert_not_reached ();
      pos += n;
      if (!drain (parser, run))
        break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Run whole = { 0 };
  Run chunked = { 0 };

  run_parser (data, size, NULL, 0, &whole);
  run_parser (data, size, data, MIN (size, 64), &chunked);

  g_assert (whole.code == chunked.code);
  g_assert (whole.n_bad == chunked.n_bad);
  g_assert (whole.messages->len == chunked.messages->len);
  for (guint i = 0; i < whole.messages->len; i++)
    g_assert (g_bytes_equal (hail_msrp_message_get_bytes (whole.messages->pdata[i]),
                             hail_msrp_message_get_bytes (chunked.messages->pdata[i])));

  g_ptr_array_unref (whole.messages);
  g_ptr_array_unref (chunked.messages);
  g_hash_table_unref (whole.reassemblies);
  g_hash_table_unref (chunked.reassemblies);
  return 0;
}
