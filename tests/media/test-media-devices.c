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

#include <gst/gst.h>

#define WAIT_MS 10000

static gboolean
pulse_socket_exists (void)
{
  const char *server = g_getenv ("PULSE_SERVER");
  g_autofree char *path = NULL;

  if (server != NULL)
    return TRUE;
  path = g_build_filename (g_get_user_runtime_dir (), "pulse", "native", NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Returns started devices, or NULL after marking the test skipped. */
static HailMediaDevices *
start_devices (void)
{
  g_autoptr(HailMediaDevices) devices = NULL;
  g_autoptr(GError) error = NULL;

  if (!pulse_socket_exists ())
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

static gboolean
pactl (const char  *args,
       char       **out)
{
  g_autofree char *command = g_strdup_printf ("pactl %s", args);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (command, out, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_follows_changes (void)
{
  g_autoptr(HailMediaDevices) devices = start_devices ();
  g_autofree char *module = NULL;
  g_autofree char *unload = NULL;
  g_autofree char *pactl_path = g_find_program_in_path ("pactl");

  if (devices == NULL)
    return;
  if (pactl_path == NULL
      || !pactl ("load-module module-null-sink sink_name=hailtest", &module))
    {
      g_test_skip ("pactl cannot load a null sink");
      return;
    }
  g_assert_true (wait_presence (devices, HAIL_MEDIA_DEVICE_KIND_OUTPUT, "hailtest", TRUE));
  unload = g_strdup_printf ("unload-module %s", g_strstrip (module));
  g_assert_true (pactl (unload, NULL));
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
  return g_test_run ();
}
