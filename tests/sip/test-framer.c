/* test-framer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-framer.h"
#include "hail-test-util.h"

#define MSG_A "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n" \
              "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKa\r\n" \
              "Content-Length: 0\r\n" \
              "\r\n"
#define MSG_B "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\n" \
              "Content-Type: text/plain\r\n" \
              "Content-Length: 11\r\n" \
              "\r\n" \
              "hello\r\n\r\nyo"

/* Pushes @text and takes every frame; returns the messages, and counts pings
 * and pongs. The last error (INCOMPLETE when the stream just ends) goes to
 * @error. */
static GPtrArray *
feed (HailSipFramer  *framer,
      const char     *text,
      gsize           len,
      guint          *pings,
      guint          *pongs,
      GError        **error)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  HailSipFrameKind kind;

  if (!hail_sip_framer_push (framer, (const guint8 *) text, len, error))
    return messages;
  for (;;)
    {
      g_autoptr(GBytes) message = NULL;

      if (!hail_sip_framer_next (framer, &kind, &message, error))
        break;
      if (kind == HAIL_SIP_FRAME_MESSAGE)
        g_ptr_array_add (messages, g_steal_pointer (&message));
      else if (kind == HAIL_SIP_FRAME_PING && pings != NULL)
        (*pings)++;
      else if (kind == HAIL_SIP_FRAME_PONG && pongs != NULL)
        (*pongs)++;
    }
  return messages;
}

static void
assert_message (GBytes     *message,
                const char *expected)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);

  g_assert_cmpmem (data, len, expected, strlen (expected));
}

static void
test_framer_single (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = feed (framer, MSG_B, strlen (MSG_B), NULL, NULL, &error);

  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
  g_assert_cmpuint (messages->len, ==, 1);
  assert_message (messages->pdata[0], MSG_B);
  g_assert_cmpuint (hail_sip_framer_get_buffered (framer), ==, 0);
}

static void
test_framer_split_every_byte (void)
{
  const char *stream = MSG_A MSG_B "\r\n\r\n" MSG_A;
  gsize len = strlen (stream);

  /* Cut the stream in two at every offset, and also feed it byte by byte. */
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
      g_autoptr(GError) error1 = NULL;
      g_autoptr(GError) error2 = NULL;
      g_autoptr(GPtrArray) first = feed (framer, stream, cut, NULL, NULL, &error1);
      g_autoptr(GPtrArray) second = feed (framer, stream + cut, len - cut, NULL, NULL, &error2);

      g_assert_error (error2, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
      g_ptr_array_extend_and_steal (first, g_steal_pointer (&second));
      g_assert_cmpuint (first->len, ==, 3);
      assert_message (first->pdata[0], MSG_A);
      assert_message (first->pdata[1], MSG_B);
      assert_message (first->pdata[2], MSG_A);
    }

  {
    g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
    guint count = 0;

    for (gsize i = 0; i < len; i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) out = feed (framer, stream + i, 1, NULL, NULL, &error);

        g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
        count += out->len;
      }
    g_assert_cmpuint (count, ==, 3);
  }
}

static void
test_framer_several_in_one_read (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GError) error = NULL;
  const char *stream = MSG_A MSG_B MSG_A MSG_B;
  g_autoptr(GPtrArray) messages = feed (framer, stream, strlen (stream), NULL, NULL, &error);

  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
  g_assert_cmpuint (messages->len, ==, 4);
  assert_message (messages->pdata[3], MSG_B);
}

static void
test_framer_keepalive_between_messages (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GError) error = NULL;
  const char *stream = "\r\n\r\n" MSG_A "\r\n\r\n\r\n\r\n" MSG_B "\r\n";
  guint pings = 0;
  guint pongs = 0;
  g_autoptr(GPtrArray) messages = feed (framer, stream, strlen (stream), &pings, &pongs, &error);

  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
  g_assert_cmpuint (messages->len, ==, 2);
  assert_message (messages->pdata[0], MSG_A);
  assert_message (messages->pdata[1], MSG_B);
  g_assert_cmpuint (pings, ==, 3);
  g_assert_cmpuint (pongs, ==, 1);
}

static void
test_framer_ping_in_two_pieces (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GError) error1 = NULL;
  g_autoptr(GError) error2 = NULL;
  guint pings = 0;
  guint pongs = 0;
  g_autoptr(GPtrArray) a = feed (framer, "\r\n", 2, &pings, &pongs, &error1);
  g_autoptr(GPtrArray) b = feed (framer, "\r\n", 2, &pings, &pongs, &error2);

  /* The first half looks like a pong; the second completes a ping, which the
   * server side must still answer. */
  g_assert_cmpuint (pongs, ==, 1);
  g_assert_cmpuint (pings, ==, 1);
  g_assert_cmpuint (a->len + b->len, ==, 0);
}

static void
test_framer_body_with_blank_line (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GError) error = NULL;
  const char *stream = MSG_B MSG_A;
  g_autoptr(GPtrArray) messages = feed (framer, stream, strlen (stream), NULL, NULL, &error);

  /* The body of MSG_B holds CRLFCRLF; only Content-Length says where it ends. */
  g_assert_cmpuint (messages->len, ==, 2);
  assert_message (messages->pdata[0], MSG_B);
  assert_message (messages->pdata[1], MSG_A);
}

static void
test_framer_compact_folded_length (void)
{
  const char *variants[] = {
    "INFO sip:a@b SIP/2.0\r\nl: 2\r\n\r\nhi",
    "INFO sip:a@b SIP/2.0\r\nL:2\r\n\r\nhi",
    "INFO sip:a@b SIP/2.0\r\ncOnTeNt-LeNgTh \t:  2 \t\r\n\r\nhi",
    "INFO sip:a@b SIP/2.0\r\nContent-Length:\r\n  2\r\n\r\nhi",
    "INFO sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 2\r\n\r\nhi",
    "INFO sip:a@b SIP/2.0\r\nX-Content-Length: 7\r\nContent-Length: 002\r\n\r\nhi",
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = feed (framer, variants[i], strlen (variants[i]),
                                            NULL, NULL, &error);

      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
      g_assert_cmpuint (messages->len, ==, 1);
      assert_message (messages->pdata[0], variants[i]);
    }
}

static void
assert_broken (const char *stream,
               int         code)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  g_autoptr(GPtrArray) messages = feed (framer, stream, strlen (stream), NULL, NULL, &error);
  g_autoptr(GBytes) none = NULL;
  HailSipFrameKind kind;

  g_assert_error (error, HAIL_SIP_ERROR, code);
  g_assert_cmpuint (messages->len, ==, 0);
  /* A broken stream stays broken, even if more bytes follow. */
  g_assert_false (hail_sip_framer_next (framer, &kind, &none, &again));
  g_assert_error (again, HAIL_SIP_ERROR, code);
  g_assert_cmpuint (hail_sip_framer_get_space (framer), ==, 0);
}

static void
test_framer_missing_length (void)
{
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Type: text/plain\r\n\r\nhi",
                 HAIL_SIP_ERROR_MALFORMED);
  assert_broken ("INFO sip:a@b SIP/2.0\r\n\r\n", HAIL_SIP_ERROR_MALFORMED);
}

static void
test_framer_negative_length (void)
{
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Length: -2\r\n\r\nhi", HAIL_SIP_ERROR_MALFORMED);
}

static void
test_framer_non_numeric_length (void)
{
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Length: 2x\r\n\r\nhi", HAIL_SIP_ERROR_MALFORMED);
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Length: 1 2\r\n\r\nhi", HAIL_SIP_ERROR_MALFORMED);
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Length:\r\n\r\nhi", HAIL_SIP_ERROR_MALFORMED);
}

static void
test_framer_duplicate_length (void)
{
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 3\r\n\r\nhi!",
                 HAIL_SIP_ERROR_MALFORMED);
}

static void
test_framer_overflow_length (void)
{
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Length: 99999999999999999999999999\r\n\r\n",
                 HAIL_SIP_ERROR_TOO_LARGE);
  assert_broken ("INFO sip:a@b SIP/2.0\r\nContent-Length: 65536\r\n\r\n",
                 HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_framer_bare_cr (void)
{
  assert_broken ("\rINFO sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", HAIL_SIP_ERROR_MALFORMED);
}

/* Found by fuzz-framer: CR, a non-LF byte, CR after a message waited for
 * more bytes when read at once but failed when read in pieces. */
static void
test_framer_bare_cr_three_bytes (void)
{
  assert_broken ("\r\xff\r", HAIL_SIP_ERROR_MALFORMED);
  assert_broken ("\rx\r", HAIL_SIP_ERROR_MALFORMED);
}

static void
test_framer_oversize_header (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GString) stream = g_string_new ("INFO sip:a@b SIP/2.0\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  while (stream->len < HAIL_SIP_MAX_HEADER_SIZE + 100)
    g_string_append (stream, "X-Filler: 0123456789abcdef0123456789abcdef\r\n");
  g_string_append (stream, "Content-Length: 0\r\n\r\n");
  messages = feed (framer, stream->str, stream->len, NULL, NULL, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_cmpuint (messages->len, ==, 0);
}

static void
test_framer_endless_garbage_bounded (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  guint8 chunk[4096];
  gboolean broken = FALSE;

  memset (chunk, 'A', sizeof chunk);
  /* A peer that never sends a blank line is cut off within the bound. */
  for (guint i = 0; i < 64 && !broken; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) message = NULL;
      HailSipFrameKind kind;
      gsize n = MIN (sizeof chunk, hail_sip_framer_get_space (framer));

      g_assert_cmpuint (hail_sip_framer_get_buffered (framer), <=, HAIL_SIP_MAX_MESSAGE_SIZE);
      if (!hail_sip_framer_push (framer, chunk, n, &error) ||
          (!hail_sip_framer_next (framer, &kind, &message, &error) &&
           !g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE)))
        {
          g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
          broken = TRUE;
        }
    }
  g_assert_true (broken);
}

static void
test_framer_oversize_body (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GString) stream = g_string_new ("INFO sip:a@b SIP/2.0\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  /* Header and body together pass the bound by one byte. */
  g_string_append_printf (stream, "Content-Length: %d\r\n\r\n",
                          HAIL_SIP_MAX_MESSAGE_SIZE - 22 - 25 + 1);
  g_assert_cmpuint (stream->len, ==, 22 + 25);
  messages = feed (framer, stream->str, stream->len, NULL, NULL, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_framer_largest_message (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GString) stream = g_string_new ("INFO sip:a@b SIP/2.0\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  gsize body = HAIL_SIP_MAX_MESSAGE_SIZE - 22 - 25;

  g_string_append_printf (stream, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", body);
  g_assert_cmpuint (stream->len, ==, 22 + 25);
  while (stream->len < HAIL_SIP_MAX_MESSAGE_SIZE)
    g_string_append_c (stream, 'x');
  messages = feed (framer, stream->str, stream->len, NULL, NULL, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (messages->pdata[0]), ==, HAIL_SIP_MAX_MESSAGE_SIZE);
}

static void
test_framer_push_beyond_space (void)
{
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *big = g_malloc0 (HAIL_SIP_MAX_MESSAGE_SIZE + 1);

  g_assert_cmpuint (hail_sip_framer_get_space (framer), ==, HAIL_SIP_MAX_MESSAGE_SIZE);
  g_assert_false (hail_sip_framer_push (framer, big, HAIL_SIP_MAX_MESSAGE_SIZE + 1, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_framer_bench_corpus (void)
{
  g_autoptr(GPtrArray) names = hail_test_list_dir ("data/sip/bench");
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  /* Every sample message, back to back, comes out whole and in order. */
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *rel = g_build_filename ("data/sip/bench", names->pdata[i], NULL);
      g_autoptr(GBytes) bytes = hail_test_load_data (rel);

      g_byte_array_append (stream, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  messages = feed (framer, (const char *) stream->data, stream->len, NULL, NULL, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE);
  g_assert_cmpuint (messages->len, ==, names->len);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *rel = g_build_filename ("data/sip/bench", names->pdata[i], NULL);
      g_autoptr(GBytes) bytes = hail_test_load_data (rel);

      g_assert_true (g_bytes_equal (bytes, messages->pdata[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/framer/single", test_framer_single);
  g_test_add_func ("/sip/framer/split-every-byte", test_framer_split_every_byte);
  g_test_add_func ("/sip/framer/several-in-one-read", test_framer_several_in_one_read);
  g_test_add_func ("/sip/framer/keepalive-between-messages",
                   test_framer_keepalive_between_messages);
  g_test_add_func ("/sip/framer/ping-in-two-pieces", test_framer_ping_in_two_pieces);
  g_test_add_func ("/sip/framer/body-with-blank-line", test_framer_body_with_blank_line);
  g_test_add_func ("/sip/framer/compact-folded-length", test_framer_compact_folded_length);
  g_test_add_func ("/sip/framer/missing-length", test_framer_missing_length);
  g_test_add_func ("/sip/framer/negative-length", test_framer_negative_length);
  g_test_add_func ("/sip/framer/non-numeric-length", test_framer_non_numeric_length);
  g_test_add_func ("/sip/framer/duplicate-length", test_framer_duplicate_length);
  g_test_add_func ("/sip/framer/overflow-length", test_framer_overflow_length);
  g_test_add_func ("/sip/framer/bare-cr", test_framer_bare_cr);
  g_test_add_func ("/sip/framer/bare-cr-three-bytes", test_framer_bare_cr_three_bytes);
  g_test_add_func ("/sip/framer/oversize-header", test_framer_oversize_header);
  g_test_add_func ("/sip/framer/endless-garbage-bounded", test_framer_endless_garbage_bounded);
  g_test_add_func ("/sip/framer/oversize-body", test_framer_oversize_body);
  g_test_add_func ("/sip/framer/largest-message", test_framer_largest_message);
  g_test_add_func ("/sip/framer/push-beyond-space", test_framer_push_beyond_space);
  g_test_add_func ("/sip/framer/bench-corpus", test_framer_bench_corpus);
  return g_test_run ();
}
