/* test-media-devices.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Device listing and device I/O against a PulseAudio server with a null
 * sink (tests/README: CI starts one). Skipped when no server answers.
 */
#include "config.h"

#include "hail-media-devices.h"
#include "hail-media-private.h"
#include "hail-media-session.h"
#include "hail-test-util.h"
#include "media-test-audio.h"
#include "media-test-pulse.h"

#include <gst/gst.h>

#define WAIT_MS 10000

/* Returns started devices, or NULL after marking the test skipped. */
static HailMediaDevices *
start_devices (void)
{
  g_autoptr(HailMediaDevices) devices = NULL;
  g_autoptr(GError) error = NULL;

  if (!media_test_pulse_available ())
    {
      g_test_skip ("No PulseAudio server answers (no socket)");
      return NULL;
    }
  devices = hail_media_devices_new ();
  if (!hail_media_devices_start (devices, &error))
    {
      g_test_skip_printf ("No PulseAudio server answers: %s", error->message);
      return NULL;
    }
  return g_steal_pointer (&devices);
}

typedef struct {
  HailMediaDevices    *devices;
  HailMediaDeviceKind  kind;
  const char          *id;
  gboolean             present;
} Presence;

static gboolean
presence_is (gpointer data)
{
  Presence *p = data;

  return (hail_media_devices_find (p->devices, p->kind, p->id) != NULL) == p->present;
}

static gboolean
wait_presence (HailMediaDevices    *devices,
               HailMediaDeviceKind  kind,
               const char          *id,
               gboolean             present)
{
  Presence p = { devices, kind, id, present };

  return hail_test_wait_until (presence_is, &p, WAIT_MS);
}

static void
test_lists_null_sink (void)
{
  g_autoptr(HailMediaDevices) devices = start_devices ();
  HailMediaDevice *sink, *monitor;

  if (devices == NULL)
    return;
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, "nullsink", TRUE));
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_INPUT, "nullsink.monitor", TRUE));
  sink = hail_media_devices_find (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, "nullsink");
  monitor = hail_media_devices_find (devices, HAIL_MEDIA_DEVICE_KIND_INPUT, "nullsink.monitor");
  g_assert_cmpint (hail_media_device_get_kind (sink), ==, HAIL_MEDIA_DEVICE_KIND_OUTPUT);
  g_assert_cmpint (hail_media_device_get_kind (monitor), ==, HAIL_MEDIA_DEVICE_KIND_INPUT);
  g_assert_cmpstr (hail_media_device_get_name (sink), !=, "");
  /* The only sink is the server's default. */
  g_assert_true (hail_media_device_get_is_default (sink));
  hail_media_devices_stop (devices);
  g_assert_cmpuint (g_list_model_get_n_items (hail_media_devices_get_outputs (devices)), ==, 0);
}

static void
test_follows_changes (void)
{
  g_autoptr(HailMediaDevices) devices = start_devices ();
  guint module;

  if (devices == NULL)
    return;
  if ((module = media_test_pulse_load_sink ("hailtest")) == 0)
    {
      g_test_skip ("pactl cannot load a null sink");
      return;
    }
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, "hailtest", TRUE));
  g_assert_true (media_test_pulse_unload (module));
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, "hailtest", FALSE));
}

typedef struct {
  HailMediaSession *session;
  guint64           packets;
} Received;

static gboolean
received_at_least (gpointer data)
{
  Received *r = data;

  g_assert_null (hail_media_session_get_error (r->session));
  return hail_media_session_get_packets_received (r->session) >= r->packets;
}

static void
wait_received (HailMediaSession *session,
               guint64           packets)
{
  Received r = { session, packets };

  g_assert_true (hail_test_wait_until (received_at_least, &r, WAIT_MS));
}

static void
digit_cb (HailMediaSession *session,
          const char       *digit,
          GString          *digits)
{
  g_string_append (digits, digit);
}

static gboolean
digits_in (gpointer data)
{
  return ((GString *) data)->len >= 2;
}

/* A session on the default devices (echo cancellation on or off, as
 * @data says), talking to a file-backed one; then its output moves to a
 * device from the list. */
static void
test_session_on_devices (gconstpointer data)
{
  gboolean echo_cancellation = GPOINTER_TO_INT (data);
  g_autoptr(HailMediaDevices) devices = start_devices ();
  g_autoptr(HailMediaSession) phone = NULL;
  g_autoptr(HailMediaSession) peer = NULL;
  g_autoptr(HailMediaSource) mic = NULL;
  g_autoptr(HailMediaSink) speaker = NULL;
  g_autoptr(HailMediaSink) chosen = NULL;
  g_autoptr(HailMediaSource) tone = NULL;
  g_autoptr(HailMediaStreamConfig) to_peer = NULL;
  g_autoptr(HailMediaStreamConfig) to_phone = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  HailMediaDevice *nullsink;
  guint64 before;

  if (devices == NULL)
    return;
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, "nullsink", TRUE));
  phone = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  peer = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  mic = hail_media_source_new_device_full (NULL, echo_cancellation);
  g_assert_cmpint (_hail_media_source_wants_echo_cancellation (mic), ==, echo_cancellation);
  speaker = hail_media_sink_new_device (NULL);
  tone = hail_media_source_new_tone (440.0);
  g_assert_false (_hail_media_source_wants_echo_cancellation (tone));
  g_assert_true (hail_media_session_set_source (phone, mic, &error));
  g_assert_true (hail_media_session_set_sink (phone, speaker, &error));
  g_assert_true (hail_media_session_set_source (peer, tone, &error));
  g_signal_connect (peer, "dtmf-received", G_CALLBACK (digit_cb), digits);

  to_peer = hail_media_stream_config_new (HAIL_MEDIA_CODEC_OPUS, 111, "127.0.0.1",
                                          hail_media_session_get_local_rtp_port (peer));
  to_phone = hail_media_stream_config_new (HAIL_MEDIA_CODEC_OPUS, 111, "127.0.0.1",
                                           hail_media_session_get_local_rtp_port (phone));
  to_peer->telephone_event_pt = to_phone->telephone_event_pt = 101;
  g_assert_true (hail_media_session_start (phone, to_peer, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_session_start (peer, to_phone, &error));
  g_assert_no_error (error);
  wait_received (phone, 50);
  wait_received (peer, 50);

  /* Keys are sent and also sounded on the speaker. */
  g_assert_true (hail_media_session_send_dtmf (phone, "5#", &error));
  g_assert_true (hail_test_wait_until (digits_in, digits, WAIT_MS));
  g_assert_cmpstr (digits->str, ==, "5#");

  nullsink = hail_media_devices_find (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, "nullsink");
  chosen = hail_media_sink_new_device (nullsink);
  g_assert_true (hail_media_session_set_sink (phone, chosen, &error));
  g_assert_no_error (error);
  before = hail_media_session_get_packets_received (phone);
  wait_received (phone, before + 25);
  g_assert_cmpint (hail_media_session_get_state (phone), ==, HAIL_MEDIA_SESSION_STATE_RUNNING);

  hail_media_session_stop (phone);
  hail_media_session_stop (peer);
}

#define SWITCH_HZ 440.0
/* A 10 ms chunk louder than this carries the tone (the app's call test
 * takes RMS 300 of 32768). */
#define LOUD_RMS 0.01

/* A running call's output moves from null sink A to null sink B: B then
 * plays the peer's tone, A falls silent, and the session never restarts. */
static void
test_switch_speaker (void)
{
  const char *names[2] = { "hailswitcha", "hailswitchb" };
  g_autoptr(HailMediaDevices) devices = start_devices ();
  g_autoptr(HailMediaSession) phone = NULL;
  g_autoptr(HailMediaSession) peer = NULL;
  g_autoptr(HailMediaSource) tone = NULL;
  g_autoptr(HailMediaStreamConfig) to_peer = NULL;
  g_autoptr(HailMediaStreamConfig) to_phone = NULL;
  g_autoptr(MediaTestMonitor) on_a = NULL;
  g_autoptr(MediaTestMonitor) on_b = NULL;
  g_autoptr(HailMediaSink) sink_a = NULL;
  g_autoptr(HailMediaSink) sink_b = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  guint modules[2] = { 0, 0 };
  guint quiet = 0, total;
  gint64 switched, first;

  if (devices == NULL)
    return;
  for (int i = 0; i < 2; i++)
    if ((modules[i] = media_test_pulse_load_sink (names[i])) == 0)
      {
        g_test_skip ("pactl cannot load a null sink");
        goto out;
      }
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, names[0], TRUE));
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, names[1], TRUE));
  sink_a = hail_media_sink_new_device (hail_media_devices_find (devices,
                                                                HAIL_MEDIA_DEVICE_KIND_OUTPUT,
                                                                names[0]));
  sink_b = hail_media_sink_new_device (hail_media_devices_find (devices,
                                                                HAIL_MEDIA_DEVICE_KIND_OUTPUT,
                                                                names[1]));
  on_a = media_test_monitor_new (names[0], &error);
  g_assert_no_error (error);
  on_b = media_test_monitor_new (names[1], &error);
  g_assert_no_error (error);

  phone = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  peer = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  tone = hail_media_source_new_tone (SWITCH_HZ);
  g_assert_true (hail_media_session_set_source (peer, tone, &error));
  g_assert_true (hail_media_session_set_sink (phone, sink_a, &error));
  to_peer = hail_media_stream_config_new (HAIL_MEDIA_CODEC_PCMU, 0, "127.0.0.1",
                                          hail_media_session_get_local_rtp_port (peer));
  to_phone = hail_media_stream_config_new (HAIL_MEDIA_CODEC_PCMU, 0, "127.0.0.1",
                                           hail_media_session_get_local_rtp_port (phone));
  g_assert_true (hail_media_session_start (phone, to_peer, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_session_start (peer, to_phone, &error));
  g_assert_no_error (error);
  g_assert_cmpint (media_test_monitor_wait_loud (on_a, 0, LOUD_RMS, WAIT_MS), >=, 0);

  switched = g_get_monotonic_time ();
  g_assert_true (hail_media_session_set_sink (phone, sink_b, &error));
  g_assert_no_error (error);
  first = media_test_monitor_wait_loud (on_b, switched, LOUD_RMS, WAIT_MS);
  g_assert_cmpint (first, >=, 0);
  /* 1.5 s of B after its first sound. */
  g_assert_true (media_test_monitor_wait_count (on_b, first,
                                                1500 / MEDIA_TEST_MONITOR_CHUNK_MS, WAIT_MS));
  g_assert_cmpint (hail_media_session_get_state (phone), ==, HAIL_MEDIA_SESSION_STATE_RUNNING);

  samples = media_test_monitor_samples (on_b, first);
  g_assert_cmpfloat_with_epsilon (media_test_dominant_hz ((const gint16 *) samples->data,
                                                          samples->len,
                                                          MEDIA_TEST_MONITOR_RATE),
                                  SWITCH_HZ, SWITCH_HZ * 0.02);
  /* From a second after the switch on, A hears nothing. */
  total = media_test_monitor_count (on_a, first + G_USEC_PER_SEC, LOUD_RMS, &quiet);
  g_assert_cmpuint (total, >, 0);
  g_assert_cmpuint (quiet, ==, total);

  hail_media_session_stop (phone);
  hail_media_session_stop (peer);
out:
  g_clear_pointer (&on_a, media_test_monitor_free);
  g_clear_pointer (&on_b, media_test_monitor_free);
  for (int i = 0; i < 2; i++)
    if (modules[i] != 0)
      media_test_pulse_unload (modules[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/media/devices/lists-null-sink", test_lists_null_sink);
  g_test_add_func ("/media/devices/follows-changes", test_follows_changes);
  g_test_add_data_func ("/media/devices/session-on-devices", GINT_TO_POINTER (TRUE),
                        test_session_on_devices);
  g_test_add_data_func ("/media/devices/session-without-echo-cancellation",
                        GINT_TO_POINTER (FALSE), test_session_on_devices);
  g_test_add_func ("/media/devices/switch-speaker", test_switch_speaker);
  return g_test_run ();
}
