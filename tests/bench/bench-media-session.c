/* bench-media-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CPU time (getrusage) and resident memory of an established call, for
 * Opus and PCMU: two sessions in this process talk over 127.0.0.1 for
 * BENCH_SECONDS, one sending a tone, both recording nothing. Both ends run
 * here, so one session costs about half of the pair's figures.
 *
 * Then the jitter buffer: PCMU through a relay that holds every 10th
 * packet back 150 ms for JITTER_SECONDS, with the 60 ms delay fixed and
 * adaptive; prints the late and lost packets and the delay reached.
 */
#include "config.h"

#include "hail-media-session.h"
#include "media-test-relay.h"

#include <gst/gst.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#define BENCH_SECONDS 10
#define JITTER_SECONDS 10

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* Current resident set in KiB, from /proc/self/statm. */
static long
rss_kib (void)
{
  g_autofree char *statm = NULL;
  long pages = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%ld %ld", &pages, &resident);
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Starts @b, then @a sending a tone to @b's RTP port, or to @relay_port
 * (RTCP still straight to @b) when not 0. */
static void
start (HailMediaSession *a,
       HailMediaSession *b,
       HailMediaCodec    codec,
       guint             pt,
       guint16           relay_port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMediaSource) tone = hail_media_source_new_tone (440.0);
  g_autoptr(HailMediaStreamConfig) to_b = NULL;
  g_autoptr(HailMediaStreamConfig) to_a = NULL;

  to_b = hail_media_stream_config_new (codec, pt, "127.0.0.1",
                                       relay_port != 0 ? relay_port
                                       : hail_media_session_get_local_rtp_port (b));
  to_b->remote_rtcp_port = hail_media_session_get_local_rtcp_port (b);
  to_a = hail_media_stream_config_new (codec, pt, "127.0.0.1",
                                       hail_media_session_get_local_rtp_port (a));
  hail_media_session_set_source (a, tone, NULL);
  if (!hail_media_session_start (b, to_a, &error) || !hail_media_session_start (a, to_b, &error))
    g_error ("Cannot start: %s", error->message);
}

static HailMediaSession *
new_session (void)
{
  g_autoptr(GError) error = NULL;
  HailMediaSession *session = hail_media_session_new ("127.0.0.1", &error);

  g_assert_no_error (error);
  return session;
}

static void
run (HailMediaCodec codec,
     guint          pt)
{
  g_autoptr(HailMediaSession) a = new_session ();
  g_autoptr(HailMediaSession) b = new_session ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  long rss_before, rss_during;
  double cpu_before, cpu;
  guint64 sent, received;

  rss_before = rss_kib ();
  start (a, b, codec, pt, 0);

  /* Let both reach steady state before measuring. */
  g_timeout_add (1000, quit_cb, loop);
  g_main_loop_run (loop);
  cpu_before = cpu_seconds ();
  g_timeout_add (BENCH_SECONDS * 1000, quit_cb, loop);
  g_main_loop_run (loop);
  cpu = cpu_seconds () - cpu_before;
  rss_during = rss_kib ();
  sent = hail_media_session_get_packets_sent (a);
  received = hail_media_session_get_packets_received (b);
  hail_media_session_stop (a);
  hail_media_session_stop (b);

  printf ("%-5s pair: CPU %.2f s in %d s = %.2f %% of a core (%.2f %% per session); "
          "RSS +%ld KiB (%ld KiB total); %" G_GUINT64_FORMAT " packets sent, %"
          G_GUINT64_FORMAT " received\n",
          hail_media_codec_to_encoding_name (codec), cpu, BENCH_SECONDS,
          100.0 * cpu / BENCH_SECONDS, 50.0 * cpu / BENCH_SECONDS,
          rss_during - rss_before, rss_during, sent, received);
  fflush (stdout);
}

static void
run_jitter (gboolean adaptive)
{
  g_autoptr(HailMediaSession) a = new_session ();
  g_autoptr(HailMediaSession) b = new_session ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  MediaTestRelay *relay;

  /* Every 10th packet 150 ms late, for the whole run (50 packets a second). */
  relay = media_test_relay_new (hail_media_session_get_local_rtp_port (b), 10, 150,
                                JITTER_SECONDS * 5);
  hail_media_session_set_adaptive_jitter (b, adaptive);
  start (a, b, HAIL_MEDIA_CODEC_PCMU, 0, media_test_relay_get_port (relay));
  g_timeout_add (JITTER_SECONDS * 1000, quit_cb, loop);
  g_main_loop_run (loop);

  printf ("PCMU, every 10th packet 150 ms late, %-8s: %" G_GUINT64_FORMAT " received, %"
          G_GUINT64_FORMAT " late, %" G_GUINT64_FORMAT " lost of %u held; delay %u ms\n",
          adaptive ? "adaptive" : "fixed", hail_media_session_get_packets_received (b),
          hail_media_session_get_packets_late (b), hail_media_session_get_packets_lost (b),
          media_test_relay_get_held (relay), hail_media_session_get_jitter_latency_ms (b));
  fflush (stdout);
  hail_media_session_stop (a);
  hail_media_session_stop (b);
  media_test_relay_free (relay);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  run (HAIL_MEDIA_CODEC_PCMU, 0);
  run (HAIL_MEDIA_CODEC_OPUS, 111);
  run_jitter (FALSE);
  run_jitter (TRUE);
  return 0;
}
