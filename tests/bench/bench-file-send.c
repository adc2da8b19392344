/* bench-file-send.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints what sending a large file costs the main loop: SHA-1 throughput
 * (MB/s, 256 KiB blocks, as HailChat hashes a file before offering it),
 * then a file (200 MB unless argv[1] says how many MB) sent between two
 * HailChats on loopback while a 1 ms timer runs on the main loop: the
 * longest gap between two of its ticks (the longest the UI would freeze),
 * the longest before the INVITE went (the hashing), and the transfer's
 * MB/s. Nothing here asserts a speed.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "hail-account.h"
#include "hail-chat.h"
#include "hail-sip-target.h"
#include "hail-test-util.h"

#define BLOCK ((gsize) 256 * 1024)
#define WAIT_MS (10 * 60 * 1000)

typedef struct {
  HailChat *sender;
  char     *to;
  GFile    *file;
  gint64   last_tick;
  gint64   longest;          /* Longest gap between ticks, µs. */
  gint64   longest_before;   /* The same until the INVITE went. */
  gboolean invited;
  gboolean done;
  GError  *error;
} Run;

static gboolean
tick_cb (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (run->last_tick != 0)
    {
      run->longest = MAX (run->longest, now - run->last_tick);
      if (!run->invited)
        run->longest_before = MAX (run->longest_before, now - run->last_tick);
    }
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
sip_message_cb (HailAccount *account,
                gboolean     outgoing,
                const char  *transport,
                const char  *peer,
                GBytes      *bytes,
                Run         *run)
{
  if (outgoing && hail_test_sip_is_request (bytes, "INVITE"))
    run->invited = TRUE;
}

static gboolean
take_cb (HailChat      *chat,
         HailChatOffer *offer,
         gpointer       data)
{
  hail_chat_offer_accept (offer);
  return TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  hail_chat_send_file_finish (HAIL_CHAT (source), result, &run->error);
  run->done = TRUE;
}

/* From the main loop, its timer ticking: a send that blocks shows. */
static gboolean
send_cb (gpointer data)
{
  Run *run = data;

  hail_chat_send_file_async (run->sender, run->to, run->file, NULL, sent_cb, run);
  return G_SOURCE_REMOVE;
}

static gboolean
is_done (gpointer data)
{
  return ((Run *) data)->done;
}

static HailAccount *
start_account (const char  *aor,
               char       **uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  HailAccount *account = hail_account_new (aor, &error);
  HailSipTarget *udp;

  g_assert_no_error (error);
  bound = hail_account_start (account, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  udp = g_ptr_array_index (bound, 0);
  *uri = g_strdup_printf ("sip:bench@127.0.0.1:%u",
                          g_inet_socket_address_get_port (udp->address));
  return account;
}

/* The file: @mb MB of bytes that differ from block to block. */
static char *
write_file (const char *dir,
            guint       mb)
{
  g_autofree char *path = g_build_filename (dir, "big.bin", NULL);
  g_autofree guint8 *block = g_malloc (BLOCK);
  FILE *out = g_fopen (path, "wb");
  guint64 size = (guint64) mb * 1000 * 1000;

  g_assert_nonnull (out);
  for (guint64 at = 0; at < size; at += BLOCK)
    {
      gsize len = (gsize) MIN (BLOCK, size - at);

      for (gsize i = 0; i < len; i++)
        block[i] = (guint8) (at / BLOCK + i * 13);
      g_assert_cmpuint (fwrite (block, 1, len, out), ==, len);
    }
  g_assert_cmpint (fclose (out), ==, 0);
  return g_steal_pointer (&path);
}

static void
bench_hash (const char *path,
            guint64     size)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree guint8 *block = g_malloc (BLOCK);
  FILE *in = g_fopen (path, "rb");
  gint64 start = g_get_monotonic_time ();
  double seconds;
  gsize n;

  g_assert_nonnull (in);
  while ((n = fread (block, 1, BLOCK, in)) > 0)
    g_checksum_update (checksum, block, n);
  fclose (in);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("sha-1 %" G_GUINT64_FORMAT " MB: %.2f s, %.0f MB/s\n", size / 1000000, seconds,
           size / 1e6 / seconds);
}

int
main (int   argc,
      char *argv[])
{
  guint mb = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  g_autofree char *dir = g_dir_make_tmp ("hail-bench-file-XXXXXX", NULL);
  g_autofree char *downloads = g_build_filename (dir, "downloads", NULL);
  g_autofree char *path = NULL;
  g_autofree char *received = NULL;
  g_autofree char *alice_uri = NULL;
  g_autofree char *bob_uri = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(HailAccount) alice = NULL;
  g_autoptr(HailAccount) bob = NULL;
  g_autoptr(HailChat) sender = NULL;
  g_autoptr(HailChat) receiver = NULL;
  Run run = { 0 };
  guint tick;
  gint64 start;
  double seconds;

  if (mb == 0)
    mb = 200;
  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir (downloads, 0700), ==, 0);
  path = write_file (dir, mb);
  bench_hash (path, (guint64) mb * 1000 * 1000);

  alice = start_account ("sip:alice@example.test", &alice_uri);
  bob = start_account ("sip:bob@example.test", &bob_uri);
  sender = hail_chat_new (alice, NULL);
  receiver = hail_chat_new (bob, NULL);
  hail_chat_set_max_file_size (sender, (guint64) mb * 1000 * 1000);
  hail_chat_set_max_file_size (receiver, (guint64) mb * 1000 * 1000);
  to = g_file_new_for_path (downloads);
  hail_chat_set_download_dir (receiver, to);
  g_signal_connect (receiver, "session-offer", G_CALLBACK (take_cb), NULL);
  g_signal_connect (alice, "sip-message", G_CALLBACK (sip_message_cb), &run);

  file = g_file_new_for_path (path);
  run.sender = sender;
  run.to = bob_uri;
  run.file = file;
  tick = g_timeout_add (1, tick_cb, &run);
  start = g_get_monotonic_time ();
  g_timeout_add (20, send_cb, &run);
  g_assert_true (hail_test_wait_until (is_done, &run, WAIT_MS));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_source_remove (tick);
  g_assert_no_error (run.error);
  g_print ("send %u MB on loopback: %.2f s, %.0f MB/s (hashing included)\n", mb, seconds,
           mb / seconds);
  g_print ("main loop: longest stall %.1f ms; before the INVITE (hashing) %.1f ms\n",
           run.longest / 1e3, run.longest_before / 1e3);

  g_signal_handlers_disconnect_by_data (alice, &run);
  g_clear_object (&sender);
  g_clear_object (&receiver);
  /* What this made: the file, its copy, their folders. */
  received = g_build_filename (downloads, "big.bin", NULL);
  g_remove (received);
  g_remove (path);
  g_rmdir (downloads);
  g_rmdir (dir);
  return 0;
}
