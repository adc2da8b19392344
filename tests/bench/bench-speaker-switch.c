/* bench-speaker-switch.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long a running call is silent when its speaker changes: a session
 * (Opus, echo-cancelled default microphone, as the app has it) plays a
 * peer's 440 Hz tone to null sink A; hail_media_session_set_sink() moves
 * it to null sink B, idle until then (reported alone: PulseAudio's null
 * sink sleeps through the long block it rendered while idle), then back
 * and forth SWITCHES times. Each sink's monitor
 * is recorded in 10 ms chunks stamped on arrival; the figure is the time
 * from the call to the first loud chunk on the new sink (median, min,
 * max). Then STEADY_SECONDS on the last sink: its quiet chunks (a gap or
 * drift after the first sound) and the chunks still loud on the old one.
 * Needs a PulseAudio server and pactl; exits 77 without them.
 */
#include "config.h"

#include "hail-media-devices.h"
#include "hail-media-session.h"
#include "hail-test-util.h"
#include "media-test-pulse.h"

#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>

#define SWITCHES 5
#define STEADY_SECONDS 5
#define LOUD_RMS 0.01
#define WAIT_MS 10000
#define BUSY_MS 50

static gboolean
found_cb (gpointer data)
{
  gpointer *p = data;

  return hail_media_devices_find (p[0], HAIL_MEDIA_DEVICE_KIND_OUTPUT, p[1]) != NULL;
}

static HailMediaDevice *
wait_device (HailMediaDevices *devices,
             const char       *id)
{
  gpointer p[2] = { devices, (gpointer) id };

  if (!hail_test_wait_until (found_cb, p, WAIT_MS))
    g_error ("The device monitor never listed %s", id);
  return hail_media_devices_find (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, id);
}

static gboolean
done_cb (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* Runs the main context for @ms. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  hail_test_wait_until (done_cb, &end, ms + 1000);
}

/* Moves @phone's output to @sink and waits for the tone on @monitor;
 * returns the milliseconds from the call to the first loud chunk, after
 * printing what the next second sounded like. */
static double
switch_to (HailMediaSession *phone,
           HailMediaSink    *sink,
           MediaTestMonitor *monitor,
           const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pattern = NULL;
  gint64 since = g_get_monotonic_time ();
  guint quiet = 0, total;
  gint64 first;

  if (!hail_media_session_set_sink (phone, sink, &error))
    g_error ("Cannot switch: %s", error->message);
  /* The app's main thread is busy for a while after the click (the
   * drop-down closing, redraws): bus messages wait meanwhile. */
  g_usleep (BUSY_MS * 1000);
  if ((first = media_test_monitor_wait_loud (monitor, since, LOUD_RMS, WAIT_MS)) < 0)
    g_error ("No sound on %s within %d ms", name, WAIT_MS);
  spin (1000);
  total = media_test_monitor_count (monitor, first, LOUD_RMS, &quiet);
  pattern = media_test_monitor_pattern (monitor, since, LOUD_RMS, 100);
  printf ("# to %s: first sound after %.0f ms; then %u of %u chunks quiet\n#   %s\n",
          name, (first - since) / 1000.0, quiet, total, pattern);
  fflush (stdout);
  return (first - since) / 1000.0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (void)
{
  const char *names[2] = { "hailbencha", "hailbenchb" };
  g_autoptr(HailMediaDevices) devices = NULL;
  g_autoptr(HailMediaSession) phone = NULL;
  g_autoptr(HailMediaSession) peer = NULL;
  g_autoptr(HailMediaSource) tone = NULL;
  g_autoptr(HailMediaSource) mic = NULL;
  g_autoptr(HailMediaStreamConfig) to_peer = NULL;
  g_autoptr(HailMediaStreamConfig) to_phone = NULL;
  g_autoptr(GError) error = NULL;
  HailMediaSink *sinks[2];
  MediaTestMonitor *monitors[2];
  guint modules[2];
  double ms[SWITCHES];
  guint quiet = 0, total, old_quiet = 0, old_loud;
  double idle_ms;
  gint64 start;
  int cur = 0;

  gst_init (NULL, NULL);
  if (!media_test_pulse_available ())
    {
      printf ("# skipped: no PulseAudio server\n");
      return 77;
    }
  for (int i = 0; i < 2; i++)
    if ((modules[i] = media_test_pulse_load_sink (names[i])) == 0)
      {
        printf ("# skipped: pactl cannot load a null sink\n");
        return 77;
      }

  devices = hail_media_devices_new ();
  if (!hail_media_devices_start (devices, &error))
    g_error ("No device monitor: %s", error->message);
  for (int i = 0; i < 2; i++)
    {
      sinks[i] = hail_media_sink_new_device (wait_device (devices, names[i]));
      if (i == 0 && (monitors[i] = media_test_monitor_new (names[i], &error)) == NULL)
        g_error ("Cannot record %s: %s", names[i], error->message);
    }

  phone = hail_media_session_new ("127.0.0.1", &error);
  peer = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  tone = hail_media_source_new_tone (440.0);
  hail_media_session_set_source (peer, tone, NULL);
  /* As the app has it: the default microphone, echo cancelled. */
  mic = hail_media_source_new_device_full (NULL, TRUE);
  hail_media_session_set_source (phone, mic, NULL);
  hail_media_session_set_sink (phone, sinks[0], NULL);
  to_peer = hail_media_stream_config_new (HAIL_MEDIA_CODEC_OPUS, 111, "127.0.0.1",
                                          hail_media_session_get_local_rtp_port (peer));
  to_phone = hail_media_stream_config_new (HAIL_MEDIA_CODEC_OPUS, 111, "127.0.0.1",
                                           hail_media_session_get_local_rtp_port (phone));
  if (!hail_media_session_start (phone, to_peer, &error)
      || !hail_media_session_start (peer, to_phone, &error))
    g_error ("Cannot start: %s", error->message);

  if (media_test_monitor_wait_loud (monitors[0], 0, LOUD_RMS, WAIT_MS) < 0)
    g_error ("No sound on %s", names[0]);
  /* Settle: the jitter buffer's delay and the sink's clock. */
  spin (1000);
  start = g_get_monotonic_time ();
  spin (STEADY_SECONDS * 1000);
  total = media_test_monitor_count (monitors[0], start, LOUD_RMS, &quiet);
  printf ("steady %d s before: %u of %u chunks of %d ms quiet\n", STEADY_SECONDS, quiet, total,
          MEDIA_TEST_MONITOR_CHUNK_MS);

  /* First to B while B was idle: its monitor starts recording only
   * 0.3 s before, as in the app's call test. */
  if ((monitors[1] = media_test_monitor_new (names[1], &error)) == NULL)
    g_error ("Cannot record %s: %s", names[1], error->message);
  spin (300);
  idle_ms = switch_to (phone, sinks[1], monitors[1], names[1]);
  cur = 1;
  spin (1000);
  for (int i = 0; i < SWITCHES; i++)
    {
      int next = 1 - cur;

      ms[i] = switch_to (phone, sinks[next], monitors[next], names[next]);
      cur = next;
      spin (1000);
    }

  /* Steady on the last sink: every chunk loud, none on the old one. */
  start = g_get_monotonic_time ();
  spin (STEADY_SECONDS * 1000);
  total = media_test_monitor_count (monitors[cur], start, LOUD_RMS, &quiet);
  old_loud = media_test_monitor_count (monitors[1 - cur], start, LOUD_RMS, &old_quiet) - old_quiet;

  qsort (ms, SWITCHES, sizeof ms[0], compare_double);
  printf ("speaker switch: first sound on the new sink %.0f ms after the call "
          "(median of %d; min %.0f, max %.0f)\n", ms[SWITCHES / 2], SWITCHES, ms[0],
          ms[SWITCHES - 1]);
  printf ("speaker switch to a null sink idle until 0.3 s before: first sound %.0f ms "
          "after the call\n", idle_ms);
  printf ("steady %d s after: %u of %u chunks of %d ms quiet on the new sink, "
          "%u loud on the old one\n", STEADY_SECONDS, quiet, total,
          MEDIA_TEST_MONITOR_CHUNK_MS, old_loud);

  hail_media_session_stop (phone);
  hail_media_session_stop (peer);
  for (int i = 0; i < 2; i++)
    {
      media_test_monitor_free (monitors[i]);
      hail_media_sink_unref (sinks[i]);
    }
  hail_media_devices_stop (devices);
  for (int i = 0; i < 2; i++)
    media_test_pulse_unload (modules[i]);
  return 0;
}
