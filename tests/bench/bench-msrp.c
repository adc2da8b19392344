/* bench-msrp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints MSRP figures: a 50 MB file on disk sent between two
 * HailMsrpSessions on loopback as a chat sends one (read a chunk at a time,
 * Success-Report asked, the receiver streaming each chunk into a file),
 * over TCP with the default and with 64 KiB chunks, and TLS verified by a
 * CA or pinned by fingerprint: MB/s, the CPU both sessions used (one
 * process, so 100 % is one core) and the peak resident set during the
 * transfer; then the parser's throughput on the same file's chunks in
 * memory. --tls compares only TCP with pinned TLS, at both chunk sizes.
 * Nothing here asserts a speed. The files live in a temporary directory
 * removed at the end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-outgoing.h"
#include "hail-msrp-parser.h"
#include "hail-msrp-session.h"
#include "hail-test-util.h"
#include "test-msrp-util.h"

#define FILE_SIZE (50 * 1000 * 1000)

/* Certificates, the file sent and the file received. */
static char *bench_dir;

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

/* Starts a new peak of the resident set (Linux 4.0 and later); where the
 * kernel does not take it, the peak printed is the process's so far. */
static void
reset_peak_rss (void)
{
  int fd = g_open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  if (write (fd, "5", 1) != 1)
    g_test_message ("clear_refs: %s", g_strerror (errno));
  close (fd);
}

/* The peak resident set in MB: VmHWM, else getrusage()'s maximum. */
static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;
  struct rusage usage;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "\nVmHWM:")) != NULL)
    return g_ascii_strtod (line + strlen ("\nVmHWM:"), NULL) * 1024 / 1e6;
  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024 / 1e6;
}

static void
write_all (int           fd,
           const guint8 *data,
           gsize         len,
           guint64       offset)
{
  while (len > 0)
    {
      ssize_t n = pwrite (fd, data, len, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("Could not write the benchmark's file: %s", g_strerror (errno));
      data += n;
      len -= (gsize) n;
      offset += (guint64) n;
    }
}

/* Writes FILE_SIZE pseudo-random bytes to @path a block at a time, so the
 * file is never whole in memory, and returns their SHA-256. */
static char *
write_source (const char *path)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5547);
  g_autofree guint32 *block = g_new (guint32, 256 * 1024);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (gsize done = 0; done < FILE_SIZE;)
    {
      gsize n = MIN (256 * 1024 * sizeof (guint32), FILE_SIZE - done);

      for (gsize i = 0; i < 256 * 1024; i++)
        block[i] = g_rand_int (rand);
      write_all (fd, (const guint8 *) block, n, done);
      g_checksum_update (sum, (const guchar *) block, n);
      done += n;
    }
  g_assert_cmpint (close (fd), ==, 0);
  return g_strdup (g_checksum_get_string (sum));
}

static char *
file_sha256 (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (mapped);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
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

/* Exactly @len bytes of the file at @offset, as the chat's file source
 * reads them. */
static gboolean
read_cb (guint64    offset,
         guint8    *buffer,
         gsize      len,
         gpointer   user_data,
         GError   **error)
{
  int fd = GPOINTER_TO_INT (user_data);

  while (len > 0)
    {
      ssize_t n = pread (fd, buffer, len, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not read the file: %s",
                       n < 0 ? g_strerror (errno) : "it is shorter");
          return FALSE;
        }
      buffer += n;
      len -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}

static void
close_fd (gpointer data)
{
  close (GPOINTER_TO_INT (data));
}

/* Streams each chunk into the received file, as the chat does. */
static void
chunk_received_cb (HailMsrpSession *session,
                   const char      *message_id,
                   guint64          start,
                   gint64           total,
                   GBytes          *body,
                   gpointer         user_data)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);

  write_all (GPOINTER_TO_INT (user_data), data, len, start - 1);
}

/* Sends the file at @path; returns the throughput in MB/s. */
static double
bench_transfer (const char *path,
                const char *sha,
                gsize       chunk_size,
                Over        over)
{
  static const char *names[] = { "TCP", "TLS (CA)", "TLS (pinned)" };
  gboolean secure = over != OVER_TCP;
  g_autofree char *received = g_build_filename (bench_dir, "received.bin", NULL);
  g_autoptr(HailMsrpOutgoing) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  MsrpTestResult r = { 0 };
  int in_fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  int out_fd = g_open (received, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  gint64 start;
  double cpu;
  double seconds;
  double peak;

  g_assert_cmpint (in_fd, >=, 0);
  g_assert_cmpint (out_fd, >=, 0);
  msrp_test_peer_init (&a, msrp_test_new_session (secure));
  msrp_test_peer_init (&b, msrp_test_new_session (secure));
  if (over == OVER_TLS_CA)
    {
      g_autofree char *crt = g_build_filename (bench_dir, "server.crt", NULL);
      g_autofree char *key = g_build_filename (bench_dir, "server.key", NULL);
      g_autofree char *ca = g_build_filename (bench_dir, "ca.crt", NULL);
      g_autoptr(HailSipTlsContext) server = hail_sip_tls_context_new_server (crt, key, &error);
      g_autoptr(HailSipTlsContext) client = hail_sip_tls_context_new_client (ca, &error);

      g_assert_no_error (error);
      hail_msrp_session_set_tls (a.session, NULL, server);
      hail_msrp_session_set_tls (b.session, client, NULL);
    }
  if (over == OVER_TLS_PINNED)
    {
      g_assert_true (hail_msrp_session_set_remote_fingerprint (
        a.session, hail_msrp_session_get_fingerprint (b.session), &error));
      g_assert_true (hail_msrp_session_set_remote_fingerprint (
        b.session, hail_msrp_session_get_fingerprint (a.session), &error));
      g_assert_no_error (error);
    }
  hail_msrp_session_set_max_message_size (a.session, FILE_SIZE);
  hail_msrp_session_set_streaming (a.session, TRUE);
  g_signal_connect (a.session, "chunk-received", G_CALLBACK (chunk_received_cb),
                    GINT_TO_POINTER (out_fd));
  hail_msrp_session_set_chunk_size (b.session, chunk_size);
  msrp_test_link_paths (a.session, b.session);
  msrp_test_start_pair (&a, &b, TRUE);

  out = hail_msrp_session_new_outgoing_reader (b.session, "application/octet-stream", FILE_SIZE,
                                               read_cb, GINT_TO_POINTER (in_fd), close_fd);
  hail_msrp_outgoing_set_reports (out, HAIL_MSRP_REPORT_YES, HAIL_MSRP_REPORT_YES);
  reset_peak_rss ();
  start = g_get_monotonic_time ();
  cpu = cpu_seconds ();
  hail_msrp_session_send_async (b.session, out, NULL, msrp_test_sent_cb, &r);
  g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, &r, 600000));
  g_assert_no_error (r.error);
  g_assert_true (hail_test_wait_count (a.messages, 1, MSRP_TEST_WAIT_MS));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;
  /* Before the check maps the received file. */
  peak = peak_rss_mb ();
  g_assert_cmpint (close (out_fd), ==, 0);
  got = file_sha256 (received);
  g_assert_cmpstr (got, ==, sha);
  g_print ("session %s, %6" G_GSIZE_FORMAT "-byte chunks: %.0f MB from disk to disk in %.2f s: "
           "%.1f MB/s, CPU %.2f s (%.0f %% of one core for both ends), peak RSS %.1f MB, "
           "SHA-256 equal\n",
           names[over], chunk_size, FILE_SIZE / 1e6, seconds, FILE_SIZE / 1e6 / seconds, cpu,
           100 * cpu / seconds, peak);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
  g_remove (received);
  return FILE_SIZE / 1e6 / seconds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sha = NULL;
  gboolean tls_only = FALSE;

  for (int i = 1; i < argc; i++)
    tls_only |= g_str_equal (argv[i], "--tls");
  g_test_init (&argc, &argv, NULL);
  bench_dir = hail_test_make_certificates ("hail-bench-msrp-XXXXXX");
  path = g_build_filename (bench_dir, "sent.bin", NULL);
  sha = write_source (path);

  if (tls_only)
    {
      gsize sizes[] = { HAIL_MSRP_DEFAULT_CHUNK_SIZE, 64 * 1024 };

      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          double tcp = bench_transfer (path, sha, sizes[i], OVER_TCP);
          double tls = bench_transfer (path, sha, sizes[i], OVER_TLS_PINNED);

          g_print ("TLS/TCP, %6" G_GSIZE_FORMAT "-byte chunks: %.0f %% of the throughput\n",
                   sizes[i], 100 * tls / tcp);
        }
    }
  else
    {
      g_autoptr(GMappedFile) mapped = NULL;
      g_autoptr(GBytes) file = NULL;

      bench_transfer (path, sha, HAIL_MSRP_DEFAULT_CHUNK_SIZE, OVER_TCP);
      bench_transfer (path, sha, 64 * 1024, OVER_TCP);
      bench_transfer (path, sha, 64 * 1024, OVER_TLS_CA);
      bench_transfer (path, sha, 64 * 1024, OVER_TLS_PINNED);
      mapped = g_mapped_file_new (path, FALSE, &error);
      g_assert_no_error (error);
      file = g_mapped_file_get_bytes (mapped);
      bench_parser (file, HAIL_MSRP_DEFAULT_CHUNK_SIZE);
      bench_parser (file, 64 * 1024);
    }

  hail_test_remove_tree (bench_dir);
  g_free (bench_dir);
  return 0;
}
