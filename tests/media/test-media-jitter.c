/* test-media-jitter.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The adaptive jitter buffer: its rules step by step, then real sessions
 * on 127.0.0.1 with a relay in between that holds every Nth RTP packet
 * back, as a jittery network does.
 */
#include "config.h"

#include "hail-media-jitter.h"
#include "hail-media-session.h"
#include "hail-test-util.h"
#include "media-test-relay.h"

#include <gst/gst.h>

/* Every wait is bounded by this. */
#define WAIT_MS 15000
/* The relay holds every HOLD_EVERY-th packet back HOLD_MS. */
#define HOLD_EVERY 10
#define HOLD_MS 150

/* The rules, without GStreamer. */

static void
feed (HailMediaJitter *jitter,
      guint64          late,
      guint            jitter_ms,
      guint            checks)
{
  HailMediaJitterStats stats = { late, 0, jitter_ms };

  for (guint i = 0; i < checks; i++)
    _hail_media_jitter_update (jitter, &stats);
}

static void
test_rules_rise (void)
{
  HailMediaJitter jitter;
  HailMediaJitterStats stats = { 0, 0, 5 };

  _hail_media_jitter_init (&jitter, 0);
  g_assert_cmpuint (jitter.latency_ms, ==, HAIL_MEDIA_JITTER_MIN_MS);
  g_assert_false (_hail_media_jitter_update (&jitter, &stats));
  /* Late packets: up by half at least. */
  stats.late = 2;
  g_assert_true (_hail_media_jitter_update (&jitter, &stats));
  g_assert_cmpuint (jitter.latency_ms, ==, 90);
  /* No new late packet: it stays. */
  g_assert_false (_hail_media_jitter_update (&jitter, &stats));
  /* A high jitter sets the rise: 3 * 50 + 40. */
  stats.late = 3;
  stats.jitter_ms = 50;
  g_assert_true (_hail_media_jitter_update (&jitter, &stats));
  g_assert_cmpuint (jitter.latency_ms, ==, 190);
  /* Late packets right after a rise were waited for with the old delay. */
  stats.late = 4;
  g_assert_false (_hail_media_jitter_update (&jitter, &stats));
  g_assert_cmpuint (jitter.latency_ms, ==, 190);
  /* Never above the cap, however bad. */
  stats.late = 10;
  stats.jitter_ms = 5000;
  _hail_media_jitter_update (&jitter, &stats);
  g_assert_cmpuint (jitter.latency_ms, ==, HAIL_MEDIA_JITTER_MAX_MS);
}

static void
test_rules_steady (void)
{
  HailMediaJitter jitter;

  _hail_media_jitter_init (&jitter, 0);
  feed (&jitter, 0, 20, 1000);
  g_assert_cmpuint (jitter.latency_ms, ==, HAIL_MEDIA_JITTER_MIN_MS);
}

/* Two rises, 60 -> 90 -> 140 ms; returns the checks of a steady period. */
static guint
rise_twice (HailMediaJitter *jitter)
{
  _hail_media_jitter_init (jitter, 0);
  feed (jitter, 1, 2, 1);
  feed (jitter, 1, 2, 1);
  feed (jitter, 3, 2, 1);
  g_assert_cmpuint (jitter->latency_ms, ==, 140);
  return HAIL_MEDIA_JITTER_STEADY_MS / HAIL_MEDIA_JITTER_CHECK_MS;
}

static void
test_rules_lower (void)
{
  HailMediaJitter jitter;
  guint steady = rise_twice (&jitter);

  /* Not before the steady period. */
  feed (&jitter, 3, 2, steady);
  g_assert_cmpuint (jitter.latency_ms, ==, 140);
  feed (&jitter, 3, 2, 1);
  g_assert_cmpuint (jitter.latency_ms, ==, 140 - HAIL_MEDIA_JITTER_STEP_DOWN_MS);
  /* Not below what the jitter needs: 3 * 20 + 40. */
  feed (&jitter, 3, 20, 100);
  g_assert_cmpuint (jitter.latency_ms, ==, 100);
  /* Down to the floor once the jitter is gone, not below. */
  feed (&jitter, 3, 2, 100);
  g_assert_cmpuint (jitter.latency_ms, ==, HAIL_MEDIA_JITTER_MIN_MS);
}

static void
test_rules_backoff (void)
{
  HailMediaJitter jitter;
  guint steady = rise_twice (&jitter);

  feed (&jitter, 3, 2, steady + 1);
  g_assert_cmpuint (jitter.latency_ms, ==, 120);
  /* Late again after coming down: the next steady period is twice as long. */
  feed (&jitter, 4, 2, 1);
  g_assert_cmpuint (jitter.latency_ms, ==, 180);
  feed (&jitter, 4, 2, steady + 1);
  g_assert_cmpuint (jitter.latency_ms, ==, 180);
  feed (&jitter, 4, 2, steady);
  g_assert_cmpuint (jitter.latency_ms, ==, 160);
}

static void
test_rules_new_stream (void)
{
  HailMediaJitter jitter;

  _hail_media_jitter_init (&jitter, 0);
  feed (&jitter, 50, 2, 1);
  g_assert_cmpuint (jitter.latency_ms, ==, 90);
  feed (&jitter, 50, 2, 1);
  /* A new jitter buffer counts from zero: its one late packet counts. */
  feed (&jitter, 1, 2, 1);
  g_assert_cmpuint (jitter.latency_ms, ==, 140);
  /* A new pipeline keeps the delay. */
  _hail_media_jitter_reset (&jitter);
  g_assert_cmpuint (jitter.latency_ms, ==, 140);
  feed (&jitter, 1, 2, 1);
  g_assert_cmpuint (jitter.latency_ms, ==, 210);
}

/* A call from a sender (a tone) through the relay to a receiver, which
 * discards what it plays; the receiver sends silence straight back. */
typedef struct {
  HailMediaSession *sender;
  HailMediaSession *receiver;
  MediaTestRelay   *relay;
  guint             max_latency;   /* the receiver's, as notified */
  guint             rises;
} Call;

static void
latency_cb (HailMediaSession *session,
            GParamSpec       *pspec,
            Call             *call)
{
  guint latency = hail_media_session_get_jitter_latency_ms (session);

  g_test_message ("Jitter latency %u ms (late %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT
                  ", relay held %u)", latency, hail_media_session_get_packets_late (session),
                  hail_media_session_get_packets_lost (session),
                  media_test_relay_get_held (call->relay));
  if (latency > call->max_latency)
    call->rises++;
  call->max_latency = MAX (call->max_latency, latency);
}

static void
call_setup (Call          *call,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMediaSource) tone = hail_media_source_new_tone (440.0);
  g_autoptr(HailMediaStreamConfig) to_receiver = NULL;
  g_autoptr(HailMediaStreamConfig) to_sender = NULL;

  call->sender = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  call->receiver = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  call->relay = media_test_relay_new (hail_media_session_get_local_rtp_port (call->receiver),
                                      HOLD_EVERY, HOLD_MS, GPOINTER_TO_UINT (data));
  call->max_latency = hail_media_session_get_jitter_latency_ms (call->receiver);
  g_assert_cmpuint (call->max_latency, ==, HAIL_MEDIA_JITTER_MIN_MS);
  g_signal_connect (call->receiver, "notify::jitter-latency", G_CALLBACK (latency_cb), call);

  /* RTP goes through the relay, RTCP straight to the receiver. */
  to_receiver = hail_media_stream_config_new (HAIL_MEDIA_CODEC_PCMU, 0, "127.0.0.1",
                                              media_test_relay_get_port (call->relay));
  to_receiver->remote_rtcp_port = hail_media_session_get_local_rtcp_port (call->receiver);
  to_sender = hail_media_stream_config_new (HAIL_MEDIA_CODEC_PCMU, 0, "127.0.0.1",
                                            hail_media_session_get_local_rtp_port (call->sender));
  g_assert_true (hail_media_session_set_source (call->sender, tone, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_session_start (call->receiver, to_sender, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_session_start (call->sender, to_receiver, &error));
  g_assert_no_error (error);
}

static void
call_teardown (Call          *call,
               gconstpointer  data)
{
  hail_media_session_stop (call->sender);
  hail_media_session_stop (call->receiver);
  g_assert_finalize_object (call->sender);
  g_assert_finalize_object (call->receiver);
  media_test_relay_free (call->relay);
}

typedef struct {
  Call   *call;
  guint64 packets;
  guint   released;
  guint   latency_above;
  guint   latency_at;
} Until;

static gboolean
until_cb (gpointer data)
{
  Until *u = data;
  HailMediaSession *receiver = u->call->receiver;
  guint latency = hail_media_session_get_jitter_latency_ms (receiver);

  g_assert_null (hail_media_session_get_error (receiver));
  return hail_media_session_get_packets_received (receiver) >= u->packets
         && media_test_relay_get_released (u->call->relay) >= u->released
         && latency > u->latency_above
         && (u->latency_at == 0 || latency == u->latency_at);
}

static void
wait_until (Call       *call,
            Until       until,
            const char *what)
{
  until.call = call;
  if (!hail_test_wait_until (until_cb, &until, WAIT_MS))
    g_error ("Timed out waiting for %s: latency %u ms, %" G_GUINT64_FORMAT " received, %"
             G_GUINT64_FORMAT " late, relay released %u of %u held", what,
             hail_media_session_get_jitter_latency_ms (call->receiver),
             hail_media_session_get_packets_received (call->receiver),
             hail_media_session_get_packets_late (call->receiver),
             media_test_relay_get_released (call->relay), media_test_relay_get_held (call->relay));
}

/* Packets held back past the 60 ms start come late; the delay rises, in a
 * few steps, and then the held packets come in time. */
static void
test_rises_on_late (Call          *call,
                    gconstpointer  data)
{
  guint64 late;
  guint released;
  guint rises;

  wait_until (call, (Until) { .latency_above = HOLD_MS }, "the latency to rise");
  g_assert_cmpuint (hail_media_session_get_packets_late (call->receiver), >, 0);
  g_assert_cmpuint (call->rises, <=, 4);
  rises = call->rises;

  /* The packet held while the delay changed was waited for with the old
   * one (see hail-media-jitter.c); from the next, all come in time. */
  wait_until (call, (Until) { .released = media_test_relay_get_held (call->relay) + 1 },
              "the change to settle");
  late = hail_media_session_get_packets_late (call->receiver);
  released = media_test_relay_get_released (call->relay);
  wait_until (call, (Until) { .released = released + 10 }, "ten more held packets");
  /* The last of them is through the jitter buffer once a later one is. */
  wait_until (call, (Until) { .packets = hail_media_session_get_packets_received (call->receiver)
                                         + 10 }, "later packets");
  g_test_message ("Late packets: %" G_GUINT64_FORMAT " while rising, %" G_GUINT64_FORMAT
                  " after; latency %u ms", late,
                  hail_media_session_get_packets_late (call->receiver) - late,
                  hail_media_session_get_jitter_latency_ms (call->receiver));
  g_assert_cmpuint (hail_media_session_get_packets_late (call->receiver), ==, late);
  g_assert_cmpuint (call->rises, ==, rises);
  g_assert_cmpuint (hail_media_session_get_jitter_latency_ms (call->receiver), <=,
                    HAIL_MEDIA_JITTER_MAX_MS);
}

static gboolean
pulse_socket_exists (void)
{
  g_autofree char *path = g_build_filename (g_get_user_runtime_dir (), "pulse", "native", NULL);

  return g_getenv ("PULSE_SERVER") != NULL || g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The same on a device sink, where rtpjitterbuffer keeps a gap queued
 * until its playout time and counts the packet that comes after it as a
 * duplicate, not as late. Needs PulseAudio (the CI's null sink). */
static void
test_device_rises_on_late (Call          *call,
                           gconstpointer  data)
{
  g_autoptr(HailMediaSink) speaker = NULL;
  g_autoptr(GError) error = NULL;

  if (!pulse_socket_exists ())
    {
      g_test_skip ("No PulseAudio server (no socket)");
      return;
    }
  speaker = hail_media_sink_new_device (NULL);
  g_assert_true (hail_media_session_set_sink (call->receiver, speaker, &error));
  g_assert_no_error (error);
  test_rises_on_late (call, data);
}

/* Without jitter the delay stays at its floor. */
static void
test_steady_stays (Call          *call,
                   gconstpointer  data)
{
  /* 150 packets of 20 ms: six checks. */
  wait_until (call, (Until) { .packets = 150 }, "150 packets");
  /* A machine loaded enough can make packets late even on loopback; then
   * a rise is the right answer: what must hold is no rise without them. */
  if (hail_media_session_get_packets_late (call->receiver) > 0)
    {
      g_test_message ("%" G_GUINT64_FORMAT " packets came late on loopback: the machine "
                      "is loaded", hail_media_session_get_packets_late (call->receiver));
      return;
    }
  g_assert_cmpuint (call->max_latency, ==, HAIL_MEDIA_JITTER_MIN_MS);
  g_assert_cmpuint (hail_media_session_get_jitter_latency_ms (call->receiver), ==,
                    HAIL_MEDIA_JITTER_MIN_MS);
}

/* Once the jitter stops, the delay comes back to its floor (the steady
 * period is shortened by HAIL_MEDIA_JITTER_STEADY_MS, see meson.build). */
static void
test_comes_down (Call          *call,
                 gconstpointer  data)
{
  wait_until (call, (Until) { .latency_above = HAIL_MEDIA_JITTER_MIN_MS }, "a rise");
  wait_until (call, (Until) { .released = media_test_relay_get_max_held (call->relay) },
              "the jitter to stop");
  wait_until (call, (Until) { .latency_at = HAIL_MEDIA_JITTER_MIN_MS }, "the latency to drop");
  g_assert_cmpuint (call->max_latency, >, HAIL_MEDIA_JITTER_MIN_MS);
}

/* Not adaptive, the delay stays at 60 ms and held packets keep coming
 * late: what the adaptive delay is measured against. */
static void
test_fixed_stays (Call          *call,
                  gconstpointer  data)
{
  g_assert_true (hail_media_session_get_adaptive_jitter (call->receiver));
  hail_media_session_set_adaptive_jitter (call->receiver, FALSE);
  g_assert_false (hail_media_session_get_adaptive_jitter (call->receiver));
  wait_until (call, (Until) { .released = media_test_relay_get_max_held (call->relay) },
              "the held packets");
  wait_until (call, (Until) { .packets = hail_media_session_get_packets_received (call->receiver)
                                         + 10 }, "later packets");
  g_assert_cmpuint (hail_media_session_get_packets_late (call->receiver), >=,
                    media_test_relay_get_max_held (call->relay) / 2);
  g_assert_cmpuint (call->max_latency, ==, HAIL_MEDIA_JITTER_MIN_MS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/media/jitter/rules/rise-on-late", test_rules_rise);
  g_test_add_func ("/media/jitter/rules/steady-stays", test_rules_steady);
  g_test_add_func ("/media/jitter/rules/lower-after-steady", test_rules_lower);
  g_test_add_func ("/media/jitter/rules/backoff", test_rules_backoff);
  g_test_add_func ("/media/jitter/rules/new-stream", test_rules_new_stream);
  /* Enough held packets to outlast the rise and ten more. */
  g_test_add ("/media/jitter/rises-on-late", Call, GUINT_TO_POINTER (100),
              call_setup, test_rises_on_late, call_teardown);
  g_test_add ("/media/jitter/device-rises-on-late", Call, GUINT_TO_POINTER (100),
              call_setup, test_device_rises_on_late, call_teardown);
  g_test_add ("/media/jitter/steady-stays-low", Call, GUINT_TO_POINTER (0),
              call_setup, test_steady_stays, call_teardown);
  g_test_add ("/media/jitter/fixed-stays", Call, GUINT_TO_POINTER (6),
              call_setup, test_fixed_stays, call_teardown);
  g_test_add ("/media/jitter/comes-down", Call, GUINT_TO_POINTER (6),
              call_setup, test_comes_down, call_teardown);

  return g_test_run ();
}
