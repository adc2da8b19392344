/* test-media-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two sessions on 127.0.0.1 talking to each other through real sockets,
 * with file sources and recorders: no sound card needed.
 */
#include "config.h"

#include "hail-media-error.h"
#include "hail-media-private.h"
#include "hail-media-session.h"
#include "hail-test-util.h"
#include "media-test-audio.h"

#include <glib/gstdio.h>
#include <math.h>

/* Audio each pair test lets flow, in packets of 20 ms. */
#define FLOW_PACKETS 100
/* Every wait is bounded by this. */
#define WAIT_MS 10000

typedef struct {
  char             *dir;
  HailMediaSession *a;
  HailMediaSession *b;
  char             *a_wav;    /* what a recorded (b's audio) */
  char             *b_wav;
  GString          *b_digits;
} Pair;

static void
digit_cb (HailMediaSession *session,
          const char       *digit,
          GString          *digits)
{
  g_string_append (digits, digit);
}

static void
pair_setup (Pair          *pair,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pair->dir = g_dir_make_tmp ("hail-media-XXXXXX", &error);
  g_assert_no_error (error);
  pair->a = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  pair->b = hail_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  pair->a_wav = g_build_filename (pair->dir, "a.wav", NULL);
  pair->b_wav = g_build_filename (pair->dir, "b.wav", NULL);
  pair->b_digits = g_string_new (NULL);
  g_signal_connect (pair->b, "dtmf-received", G_CALLBACK (digit_cb), pair->b_digits);
}

static void
pair_teardown (Pair          *pair,
               gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (pair->dir, 0, NULL);
  const char *name;

  hail_media_session_stop (pair->a);
  hail_media_session_stop (pair->b);
  g_assert_finalize_object (pair->a);
  g_assert_finalize_object (pair->b);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (pair->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (pair->dir);
  g_free (pair->dir);
  g_free (pair->a_wav);
  g_free (pair->b_wav);
  g_string_free (pair->b_digits, TRUE);
}

/* A stream from @from's point of view towards @to. */
static HailMediaStreamConfig *
config_to (HailMediaSession *to,
           HailMediaCodec    codec)
{
  guint pt = codec == HAIL_MEDIA_CODEC_OPUS ? 111 : codec == HAIL_MEDIA_CODEC_G722 ? 9
             : codec == HAIL_MEDIA_CODEC_PCMU ? 0 : 8;
  HailMediaStreamConfig *config =
    hail_media_stream_config_new (codec, pt, "127.0.0.1",
                                  hail_media_session_get_local_rtp_port (to));

  config->telephone_event_pt = 101;
  return config;
}

static void
set_io (HailMediaSession *session,
        HailMediaSource  *source,
        const char       *record)
{
  g_autoptr(HailMediaSource) owned_source = source;
  g_autoptr(HailMediaSink) sink = hail_media_sink_new_recorder (record);
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_media_session_set_source (session, owned_source, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_session_set_sink (session, sink, &error));
  g_assert_no_error (error);
}

static void
start_pair (Pair                  *pair,
            HailMediaStreamConfig *to_b,
            HailMediaStreamConfig *to_a)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_media_session_start (pair->a, to_b, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_session_start (pair->b, to_a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hail_media_session_get_state (pair->a), ==, HAIL_MEDIA_SESSION_STATE_RUNNING);
}

typedef struct {
  HailMediaSession *session;
  guint64           packets;
} ReceivedAtLeast;

static gboolean
received_at_least (gpointer data)
{
  ReceivedAtLeast *r = data;

  g_assert_null (hail_media_session_get_error (r->session));
  return hail_media_session_get_packets_received (r->session) >= r->packets;
}

static void
wait_received (HailMediaSession *session,
               guint64           packets)
{
  ReceivedAtLeast r = { session, packets };

  if (!hail_test_wait_until (received_at_least, &r, WAIT_MS))
    g_error ("Only %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " packets arrived",
             hail_media_session_get_packets_received (session), packets);
}

/* Reads a recording and checks its format: 16-bit mono at @rate. */
static GBytes *
read_recording (const char *path,
                guint       rate)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *samples;
  gsize length;
  guint file_rate = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 44);
  g_assert_cmpmem (contents + 20, 4, "\x01\x00\x01\x00", 4);   /* PCM, mono */
  g_assert_cmpint (((guint8) contents[34]), ==, 16);            /* bits per sample */
  /* wavenc rewrote the sizes at EOS: the data size matches the file. */
  g_assert_cmpuint (GUINT32_FROM_LE (*(guint32 *) (contents + 40)), ==, length - 44);
  samples = _hail_media_wav_parse ((const guint8 *) contents, length, &file_rate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file_rate, ==, rate);
  return samples;
}

/* The dominant frequency of the last second of a recording, leaving out
 * the final 100 ms. */
static void
assert_recording_tone (const char *path,
                       guint       rate,
                       double      expected_hz)
{
  g_autoptr(GBytes) bytes = read_recording (path, rate);
  gsize n = g_bytes_get_size (bytes) / sizeof (gint16);
  const gint16 *samples = g_bytes_get_data (bytes, NULL);
  gsize window = rate;
  gsize end = n - rate / 10;
  double hz;

  g_assert_cmpuint (n, >, window + rate / 10);
  hz = media_test_dominant_hz (samples + end - window, window, rate);
  g_test_message ("%s: %.1f Hz (expected %.1f), RMS %.3f", path, hz, expected_hz,
                  media_test_rms (samples + end - window, window));
  g_assert_cmpfloat (fabs (hz / expected_hz - 1.0), <=, 0.02);
  g_assert_cmpfloat (media_test_rms (samples + end - window, window), >, 0.05);
}

static void
test_codec (Pair          *pair,
            gconstpointer  data)
{
  HailMediaCodec codec = GPOINTER_TO_INT (data);
  guint rate = hail_media_codec_get_decoded_rate (codec);
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, codec);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, codec);
  g_autofree char *tone_wav = g_build_filename (pair->dir, "tone.wav", NULL);

  /* a plays a 44.1 kHz stereo WAV (resampled, mixed down, looped); b a
   * generated 1000 Hz tone. */
  media_test_write_wav (tone_wav, 44100, 2, 16, 440.0, 0.5);
  set_io (pair->a, hail_media_source_new_file (tone_wav, TRUE), pair->a_wav);
  set_io (pair->b, hail_media_source_new_tone (1000.0), pair->b_wav);
  start_pair (pair, to_b, to_a);

  wait_received (pair->a, FLOW_PACKETS);
  wait_received (pair->b, FLOW_PACKETS);
  g_assert_cmpuint (hail_media_session_get_packets_sent (pair->a), >, 0);
  g_assert_cmpuint (hail_media_session_get_packets_sent (pair->b), >, 0);
  /* Half-scale sines have an RMS of 0.35. */
  g_assert_cmpfloat (hail_media_session_get_input_level (pair->a), >, 0.1);
  g_assert_cmpfloat (hail_media_session_get_output_level (pair->b), >, 0.1);
  hail_media_session_stop (pair->a);
  hail_media_session_stop (pair->b);

  assert_recording_tone (pair->a_wav, rate, 1000.0);
  assert_recording_tone (pair->b_wav, rate, 440.0);
}

static void
test_file_ends_in_silence (Pair          *pair,
                           gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_PCMU);
  g_autofree char *short_wav = g_build_filename (pair->dir, "short.wav", NULL);
  g_autoptr(GBytes) bytes = NULL;
  const gint16 *samples;
  gsize n;

  /* 0.3 s of tone played once: RTP goes on, carrying silence. */
  media_test_write_wav (short_wav, 16000, 1, 16, 440.0, 0.3);
  set_io (pair->a, hail_media_source_new_file (short_wav, FALSE), pair->a_wav);
  set_io (pair->b, hail_media_source_new_silence (), pair->b_wav);
  start_pair (pair, to_b, to_a);
  wait_received (pair->b, FLOW_PACKETS);
  hail_media_session_stop (pair->b);

  bytes = read_recording (pair->b_wav, 8000);
  samples = g_bytes_get_data (bytes, NULL);
  n = g_bytes_get_size (bytes) / sizeof (gint16);
  g_assert_cmpuint (n, >=, 8000 * 3 / 2);
  g_assert_cmpfloat (media_test_rms (samples, 8000 / 2), >, 0.05);
  g_assert_cmpfloat (media_test_rms (samples + n - 8000, 8000), <, 0.001);
}

typedef struct {
  HailMediaSession *session;
  gboolean          above;
  double            threshold;
} LevelWait;

static gboolean
output_level_is (gpointer data)
{
  LevelWait *w = data;
  double level = hail_media_session_get_output_level (w->session);

  return w->above ? level > w->threshold : level < w->threshold;
}

static void
wait_output_level (HailMediaSession *session,
                   gboolean          above,
                   double            threshold)
{
  LevelWait w = { session, above, threshold };

  if (!hail_test_wait_until (output_level_is, &w, WAIT_MS))
    g_error ("Output level stayed at %f", hail_media_session_get_output_level (session));
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_mute (Pair          *pair,
           gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_OPUS);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_OPUS);
  guint muted_notifies = 0;
  guint64 sent;

  set_io (pair->a, hail_media_source_new_tone (440.0), pair->a_wav);
  g_signal_connect (pair->a, "notify::muted", G_CALLBACK (notify_count_cb), &muted_notifies);
  start_pair (pair, to_b, to_a);
  wait_output_level (pair->b, TRUE, 0.1);

  /* Muted, a keeps sending (silence): b's level falls, packets still come. */
  hail_media_session_set_muted (pair->a, TRUE);
  hail_media_session_set_muted (pair->a, TRUE);
  g_assert_cmpuint (muted_notifies, ==, 1);
  wait_output_level (pair->b, FALSE, 0.01);
  sent = hail_media_session_get_packets_sent (pair->a);
  wait_received (pair->b, hail_media_session_get_packets_received (pair->b) + 10);
  g_assert_cmpuint (hail_media_session_get_packets_sent (pair->a), >, sent);
  /* The microphone level is measured before the mute. */
  g_assert_cmpfloat (hail_media_session_get_input_level (pair->a), >, 0.1);

  hail_media_session_set_muted (pair->a, FALSE);
  wait_output_level (pair->b, TRUE, 0.1);
  g_assert_cmpuint (muted_notifies, ==, 2);
}

static gboolean
failed (gpointer data)
{
  return hail_media_session_get_state (data) == HAIL_MEDIA_SESSION_STATE_FAILED;
}

/* A runtime error inside the pipeline (here the recorder's disk is full)
 * reaches the session as a failed state with a GError. */
static void
test_runtime_error_fails (Pair          *pair,
                          gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(HailMediaSink) full = NULL;
  g_autoptr(GError) error = NULL;
  const GError *failure;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No /dev/full");
      return;
    }
  full = hail_media_sink_new_recorder ("/dev/full");
  g_assert_true (hail_media_session_set_sink (pair->b, full, &error));
  start_pair (pair, to_b, to_a);
  g_assert_true (hail_test_wait_until (failed, pair->b, WAIT_MS));
  failure = hail_media_session_get_error (pair->b);
  g_assert_nonnull (failure);
  g_assert_true (failure->domain == HAIL_MEDIA_ERROR);
  g_test_message ("Failure: %s", failure->message);
  /* A failed session can be started again, here with a working sink. */
  g_clear_pointer (&full, hail_media_sink_unref);
  full = hail_media_sink_new_discard ();
  g_assert_true (hail_media_session_set_sink (pair->b, full, &error));
  g_assert_true (hail_media_session_start (pair->b, to_a, &error));
  g_assert_no_error (error);
  g_assert_null (hail_media_session_get_error (pair->b));
}

static gboolean
digits_in (gpointer data)
{
  Pair *pair = data;

  return pair->b_digits->len >= 6;
}

static void
test_dtmf (Pair          *pair,
           gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(GError) error = NULL;

  start_pair (pair, to_b, to_a);
  wait_received (pair->b, 5);
  g_assert_true (hail_media_session_send_dtmf (pair->a, "1234*#", &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (digits_in, pair, WAIT_MS));
  g_assert_cmpstr (pair->b_digits->str, ==, "1234*#");

  g_assert_false (hail_media_session_send_dtmf (pair->a, "12x", &error));
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID);
}

static GBytes *
key (guint8 seed)
{
  guint8 k[HAIL_MEDIA_SRTP_KEY_LENGTH];

  for (guint i = 0; i < sizeof k; i++)
    k[i] = (guint8) (seed + i * 7);
  return g_bytes_new (k, sizeof k);
}

static void
set_srtp (HailMediaStreamConfig *config,
          const char            *suite,
          guint8                 send_seed,
          guint8                 recv_seed)
{
  g_autoptr(GBytes) send = key (send_seed);
  g_autoptr(GBytes) recv = key (recv_seed);
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_media_stream_config_set_srtp (config, suite, send, recv, &error));
  g_assert_no_error (error);
}

static void
test_srtp_match (Pair          *pair,
                 gconstpointer  data)
{
  const char *suite = data;
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_PCMA);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_PCMA);

  set_srtp (to_b, suite, 1, 2);
  set_srtp (to_a, suite, 2, 1);
  set_io (pair->a, hail_media_source_new_tone (440.0), pair->a_wav);
  set_io (pair->b, hail_media_source_new_tone (1000.0), pair->b_wav);
  start_pair (pair, to_b, to_a);
  wait_received (pair->a, FLOW_PACKETS);
  wait_received (pair->b, FLOW_PACKETS);
  hail_media_session_stop (pair->a);
  hail_media_session_stop (pair->b);
  assert_recording_tone (pair->a_wav, 8000, 1000.0);
  assert_recording_tone (pair->b_wav, 8000, 440.0);
}

static void
test_srtp_mismatch (Pair          *pair,
                    gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(GBytes) bytes = NULL;

  /* b expects a key a does not use. */
  set_srtp (to_b, "AES_CM_128_HMAC_SHA1_80", 1, 2);
  set_srtp (to_a, "AES_CM_128_HMAC_SHA1_80", 2, 9);
  set_io (pair->a, hail_media_source_new_tone (440.0), pair->a_wav);
  set_io (pair->b, hail_media_source_new_tone (1000.0), pair->b_wav);
  start_pair (pair, to_b, to_a);
  /* a still hears b, so time passes with packets in flight both ways. */
  wait_received (pair->a, FLOW_PACKETS);
  g_assert_cmpuint (hail_media_session_get_packets_sent (pair->a), >=, FLOW_PACKETS / 2);
  g_assert_cmpuint (hail_media_session_get_packets_received (pair->b), ==, 0);
  g_assert_cmpfloat (hail_media_session_get_output_level (pair->b), <, 0.001);
  hail_media_session_stop (pair->b);

  /* Nothing decoded, nothing recorded: a valid WAV without samples. */
  bytes = read_recording (pair->b_wav, 8000);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);
  g_assert_cmpfloat (media_test_rms (g_bytes_get_data (bytes, NULL),
                                     g_bytes_get_size (bytes) / sizeof (gint16)), <, 0.001);
}

static void
test_hold (Pair          *pair,
           gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_G722);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_G722);
  g_autoptr(GError) error = NULL;
  guint64 held, b_base;

  start_pair (pair, to_b, to_a);
  wait_received (pair->a, 25);

  /* a puts the call on hold: sendonly, so what b keeps sending is dropped. */
  to_b->direction = HAIL_MEDIA_DIRECTION_SENDONLY;
  g_assert_true (hail_media_session_update (pair->a, to_b, &error));
  g_assert_no_error (error);
  /* Let the jitter buffer drain what came before the hold: until a's count
   * stands still while b receives fifty packets (progress, not time; a
   * loaded machine can stall a's streaming thread for a few packets). */
  do
    {
      held = hail_media_session_get_packets_received (pair->a);
      b_base = hail_media_session_get_packets_received (pair->b);
      wait_received (pair->b, b_base + 50);
    }
  while (hail_media_session_get_packets_received (pair->a) != held);
  b_base = hail_media_session_get_packets_received (pair->b);
  wait_received (pair->b, b_base + 50);
  g_assert_cmpuint (hail_media_session_get_packets_received (pair->a), ==, held);
  g_assert_cmpint (hail_media_session_get_config (pair->a)->direction, ==,
                   HAIL_MEDIA_DIRECTION_SENDONLY);

  /* Resume brings b's audio back, on the same pipeline. */
  to_b->direction = HAIL_MEDIA_DIRECTION_SENDRECV;
  g_assert_true (hail_media_session_update (pair->a, to_b, &error));
  g_assert_no_error (error);
  wait_received (pair->a, held + 25);
}

static void
test_update_rebuilds (Pair          *pair,
                      gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_PCMU);
  g_autoptr(HailMediaStreamConfig) opus_to_b = config_to (pair->b, HAIL_MEDIA_CODEC_OPUS);
  g_autoptr(HailMediaStreamConfig) opus_to_a = config_to (pair->a, HAIL_MEDIA_CODEC_OPUS);
  g_autoptr(GError) error = NULL;
  guint64 before;

  start_pair (pair, to_b, to_a);
  wait_received (pair->b, 10);
  /* A re-INVITE switching codec: both rebuild on the same ports. */
  g_assert_true (hail_media_session_update (pair->a, opus_to_b, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_session_update (pair->b, opus_to_a, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hail_media_session_get_local_rtp_port (pair->a) % 2, ==, 0);
  before = hail_media_session_get_packets_received (pair->b);
  wait_received (pair->b, before + 25);
  g_assert_cmpint (hail_media_session_get_config (pair->b)->codec, ==, HAIL_MEDIA_CODEC_OPUS);
}

static void
test_stop_while_flowing (Pair          *pair,
                         gconstpointer  data)
{
  g_autoptr(HailMediaStreamConfig) to_b = config_to (pair->b, HAIL_MEDIA_CODEC_OPUS);
  g_autoptr(HailMediaStreamConfig) to_a = config_to (pair->a, HAIL_MEDIA_CODEC_OPUS);
  gint64 started;

  set_io (pair->a, hail_media_source_new_tone (440.0), pair->a_wav);
  set_io (pair->b, hail_media_source_new_tone (1000.0), pair->b_wav);
  start_pair (pair, to_b, to_a);
  wait_received (pair->a, 25);
  wait_received (pair->b, 25);

  /* Both directions and RTCP are busy: stop must not wait for an EOS that
   * rtpbin may never deliver. The deadline is generous; a hang is minutes. */
  started = g_get_monotonic_time ();
  hail_media_session_stop (pair->a);
  hail_media_session_stop (pair->b);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (hail_media_session_get_state (pair->a), ==, HAIL_MEDIA_SESSION_STATE_READY);
  /* The recording is a complete WAV even so. */
  g_autoptr(GBytes) recording = read_recording (pair->a_wav, 48000);
  g_assert_cmpuint (g_bytes_get_size (recording), >, 0);
}

static void
test_ports (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMediaSession) session = hail_media_session_new ("127.0.0.1", &error);
  g_autoptr(HailMediaSession) bad = NULL;
  guint16 rtp;

  g_assert_no_error (error);
  rtp = hail_media_session_get_local_rtp_port (session);
  g_assert_cmpuint (rtp % 2, ==, 0);
  g_assert_cmpuint (rtp, >, 0);
  g_assert_cmpuint (hail_media_session_get_local_rtcp_port (session), ==, rtp + 1);
  g_assert_cmpstr (hail_media_session_get_local_address (session), ==, "127.0.0.1");

  bad = hail_media_session_new ("not-an-address", &error);
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID);
  g_assert_null (bad);
}

static void
test_start_rejects_bad_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMediaSession) session = hail_media_session_new ("127.0.0.1", &error);
  g_autoptr(HailMediaStreamConfig) config =
    hail_media_stream_config_new (HAIL_MEDIA_CODEC_PCMU, 0, "::1", 4000);

  g_assert_no_error (error);
  /* An IPv6 peer for an IPv4 socket. */
  g_assert_false (hail_media_session_start (session, config, &error));
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hail_media_session_send_dtmf (session, "1", &error));
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_STATE);
  g_assert_cmpint (hail_media_session_get_state (session), ==, HAIL_MEDIA_SESSION_STATE_READY);
}

static void
test_missing_file_fails_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMediaSession) session = hail_media_session_new ("127.0.0.1", &error);
  g_autoptr(HailMediaSource) source = hail_media_source_new_file ("/nonexistent/x.wav", FALSE);
  g_autoptr(HailMediaStreamConfig) config =
    hail_media_stream_config_new (HAIL_MEDIA_CODEC_PCMU, 0, "127.0.0.1", 4000);

  g_assert_no_error (error);
  g_assert_true (hail_media_session_set_source (session, source, &error));
  g_assert_false (hail_media_session_start (session, config, &error));
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE);
  g_assert_cmpint (hail_media_session_get_state (session), ==, HAIL_MEDIA_SESSION_STATE_READY);
}

static void
add_pair_test (const char    *path,
               gconstpointer  data,
               void         (*func) (Pair *, gconstpointer))
{
  g_test_add (path, Pair, data, pair_setup, func, pair_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/media/session/ports-even-odd", test_ports);
  g_test_add_func ("/media/session/start-rejects-bad-config", test_start_rejects_bad_config);
  g_test_add_func ("/media/session/missing-file-fails-start", test_missing_file_fails_start);
  add_pair_test ("/media/session/opus-tones", GINT_TO_POINTER (HAIL_MEDIA_CODEC_OPUS), test_codec);
  add_pair_test ("/media/session/g722-tones", GINT_TO_POINTER (HAIL_MEDIA_CODEC_G722), test_codec);
  add_pair_test ("/media/session/pcmu-tones", GINT_TO_POINTER (HAIL_MEDIA_CODEC_PCMU), test_codec);
  add_pair_test ("/media/session/pcma-tones", GINT_TO_POINTER (HAIL_MEDIA_CODEC_PCMA), test_codec);
  add_pair_test ("/media/session/file-ends-in-silence", NULL, test_file_ends_in_silence);
  add_pair_test ("/media/session/dtmf-in-order", NULL, test_dtmf);
  add_pair_test ("/media/session/srtp-80", "AES_CM_128_HMAC_SHA1_80", test_srtp_match);
  add_pair_test ("/media/session/srtp-32", "AES_CM_128_HMAC_SHA1_32", test_srtp_match);
  add_pair_test ("/media/session/srtp-key-mismatch", NULL, test_srtp_mismatch);
  add_pair_test ("/media/session/hold-resume", NULL, test_hold);
  add_pair_test ("/media/session/mute", NULL, test_mute);
  add_pair_test ("/media/session/runtime-error-fails", NULL, test_runtime_error_fails);
  add_pair_test ("/media/session/update-rebuilds", NULL, test_update_rebuilds);
  add_pair_test ("/media/session/stop-while-flowing", NULL, test_stop_while_flowing);

  return g_test_run ();
}
