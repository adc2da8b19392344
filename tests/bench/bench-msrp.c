/* bench-msrp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints MSRP figures: parser throughput on chunks in memory, and a 50 MB
 * file between two HailMsrpSessions on loopback (TCP with the default and
 * with 64 KiB chunks, and TLS verified by a CA or pinned by fingerprint):
 * MB/s and the CPU both sessions used (one process, so 100 % is one core).
 * --tls compares only TCP with pinned TLS, at both chunk sizes. Nothing
 * here asserts a speed.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-outgoing.h"
#include "hail-msrp-parser.h"
#include "hail-msrp-session.h"
#include "hail-test-util.h"
#include "test-msrp-util.h"

#define FILE_SIZE (50 * 1000 * 1000)

static char *cert_dir;

typedef enum {
  OVER_TCP,
  OVER_TLS_CA,       /* A certificate from the test CA, verified for the host. */
  OVER_TLS_PINNED,   /* Self-signed, pinned by a=fingerprint as between peers. */
} Over;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
bench_parser (GBytes *file,
              gsize   chunk_size)
{
  g_autoptr(GPtrArray) to = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);
  g_autoptr(HailMsrpOutgoing) out = hail_msrp_outgoing_new ("application/octet-stream", file,
                                                            chunk_size);
  g_autoptr(HailMsrpParser) parser = hail_msrp_parser_new ();
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint64 bytes = 0;
  guint messages = 0;
  gint64 start;
  double seconds;

  g_ptr_array_add (to, hail_msrp_uri_parse ("msrp://127.0.0.1:4000/bench;tcp", -1, NULL));
  while (hail_msrp_outgoing_has_more (out))
    g_ptr_array_add (frames, hail_msrp_outgoing_next_chunk (out, to, to, NULL, NULL, NULL));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < frames->len; i++)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (frames->pdata[i], &len);

      /* Segments of 16 KiB, as reads from a socket. */
      for (gsize pos = 0; pos < len;)
        {
          gsize n = MIN (16384, len - pos);
          HailMsrpMessage *m;

          g_assert_true (hail_msrp_parser_push (parser, data + pos, n, NULL));
          pos += n;
          while ((m = hail_msrp_parser_next (parser, NULL, NULL)) != NULL)
            {
              messages++;
              hail_msrp_message_unref (m);
            }
        }
      bytes += len;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpuint (messages, ==, frames->len);
  g_print ("parser, %6" G_GSIZE_FORMAT "-byte chunks: %u frames, %.1f MB in %.3f s: %.0f MB/s, "
           "%.0f frames/s\n", chunk_size, messages, bytes / 1e6, seconds, bytes / 1e6 / seconds,
           messages / seconds);
}

typedef struct {
  GBytes   *received;
  gboolean  sent;
} Transfer;

static void
received_cb (HailMsrpSession *session,
             const char      *message_id,
             const char      *content_type,
             GBytes          *content,
             Transfer        *t)
{
  t->received = g_bytes_ref (content);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Transfer *t = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_msrp_session_send_finish (HAIL_MSRP_SESSION (source), result, &error));
  g_assert_no_error (error);
  t->sent = TRUE;
}

static gboolean
done_cb (gpointer data)
{
  Transfer *t = data;

  return t->sent && t->received != NULL;
}

static gboolean
ready_cb (gpointer data)
{
  HailMsrpSession **s = data;

  return hail_msrp_session_get_state (s[0]) == HAIL_MSRP_SESSION_STATE_READY &&
         hail_msrp_session_get_state (s[1]) == HAIL_MSRP_SESSION_STATE_READY;
}

static gboolean
gone_cb (gpointer data)
{
  return *(gboolean *) data;
}

static void
weak_cb (gpointer  data,
         GObject  *object)
{
  *(gboolean *) data = TRUE;
}

static void
close_session (HailMsrpSession *session)
{
  gboolean gone = FALSE;

  hail_msrp_session_close (session);
  g_object_weak_ref (G_OBJECT (session), weak_cb, &gone);
  g_object_unref (session);
  g_assert_true (hail_test_wait_until (gone_cb, &gone, 10000));
}

/* Returns the throughput in MB/s. */
static double
bench_transfer (GBytes     *file,
                const char *sha,
                gsize       chunk_size,
                Over        over)
{
  static const char *names[] = { "TCP", "TLS (CA)", "TLS (pinned)" };
  gboolean secure = over != OVER_TCP;
  HailMsrpSession *s[2] = { msrp_test_new_session (secure), msrp_test_new_session (secure) };
  const char *pa[] = { hail_msrp_session_get_local_path (s[0]), NULL };
  const char *pb[] = { hail_msrp_session_get_local_path (s[1]), NULL };
  g_autoptr(HailMsrpOutgoing) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  Transfer t = { 0 };
  gint64 start;
  double cpu;
  double seconds;

  if (over == OVER_TLS_CA)
    {
      g_autofree char *crt = g_build_filename (cert_dir, "server.crt", NULL);
      g_autofree char *key = g_build_filename (cert_dir, "server.key", NULL);
      g_autofree char *ca = g_build_filename (cert_dir, "ca.crt", NULL);
      g_autoptr(HailSipTlsContext) server = hail_sip_tls_context_new_server (crt, key, &error);
      g_autoptr(HailSipTlsContext) client = hail_sip_tls_context_new_client (ca, &error);

      g_assert_no_error (error);
      hail_msrp_session_set_tls (s[0], NULL, server);
      hail_msrp_session_set_tls (s[1], client, NULL);
    }
  if (over == OVER_TLS_PINNED)
    {
      g_assert_true (hail_msrp_session_set_remote_fingerprint (
        s[0], hail_msrp_session_get_fingerprint (s[1]), &error));
      g_assert_true (hail_msrp_session_set_remote_fingerprint (
        s[1], hail_msrp_session_get_fingerprint (s[0]), &error));
    }
  hail_msrp_session_set_max_message_size (s[0], FILE_SIZE);
  hail_msrp_session_set_chunk_size (s[1], chunk_size);
  g_assert_true (hail_msrp_session_set_remote_path (s[0], pb, &error));
  g_assert_true (hail_msrp_session_set_remote_path (s[1], pa, &error));
  g_assert_true (hail_msrp_session_start (s[0], HAIL_SDP_SETUP_PASSIVE, &error));
  g_assert_true (hail_msrp_session_start (s[1], HAIL_SDP_SETUP_ACTIVE, &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (ready_cb, s, 10000));
  g_signal_connect (s[0], "message-received", G_CALLBACK (received_cb), &t);

  out = hail_msrp_session_new_outgoing (s[1], "application/octet-stream", file);
  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  hail_msrp_session_send_async (s[1], out, NULL, sent_cb, &t);
  g_assert_true (hail_test_wait_until (done_cb, &t, 600000));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, t.received);
  g_assert_cmpstr (got, ==, sha);
  g_print ("session %s, %6" G_GSIZE_FORMAT "-byte chunks: %.0f MB in %.2f s: %.1f MB/s, "
           "CPU %.2f s (%.0f %% of one core for both ends), SHA-256 equal\n",
           names[over], chunk_size, FILE_SIZE / 1e6, seconds,
           FILE_SIZE / 1e6 / seconds, cpu, 100 * cpu / seconds);

  g_bytes_unref (t.received);
  close_session (s[0]);
  close_session (s[1]);
  return FILE_SIZE / 1e6 / seconds;
}

static void
make_certificates (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "sip", "gen-test-certs.sh", NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/sh", script, cert_dir, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autofree char *sha = NULL;
  gboolean tls_only = FALSE;

  for (int i = 1; i < argc; i++)
    tls_only |= g_str_equal (argv[i], "--tls");
  g_test_init (&argc, &argv, NULL);
  cert_dir = g_dir_make_tmp ("hail-bench-msrp-XXXXXX", &error);
  g_assert_no_error (error);
  make_certificates ();
  file = msrp_test_make_binary (FILE_SIZE);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);

  if (tls_only)
    {
      gsize sizes[] = { HAIL_MSRP_DEFAULT_CHUNK_SIZE, 64 * 1024 };

      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          double tcp = bench_transfer (file, sha, sizes[i], OVER_TCP);
          double tls = bench_transfer (file, sha, sizes[i], OVER_TLS_PINNED);

          g_print ("TLS/TCP, %6" G_GSIZE_FORMAT "-byte chunks: %.0f %% of the throughput\n",
                   sizes[i], 100 * tls / tcp);
        }
    }
  else
    {
      bench_parser (file, HAIL_MSRP_DEFAULT_CHUNK_SIZE);
      bench_parser (file, 64 * 1024);
      bench_transfer (file, sha, HAIL_MSRP_DEFAULT_CHUNK_SIZE, OVER_TCP);
      bench_transfer (file, sha, 64 * 1024, OVER_TCP);
      bench_transfer (file, sha, 64 * 1024, OVER_TLS_CA);
      bench_transfer (file, sha, 64 * 1024, OVER_TLS_PINNED);
    }

  remove_dir (cert_dir);
  g_free (cert_dir);
  return 0;
}
