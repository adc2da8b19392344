/* test-media-tone.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-media-private.h"
#include "hail-media-tone.h"
#include "hail-test-util.h"
#include "media-test-audio.h"

#include <glib/gstdio.h>
#include <math.h>

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Plays @kind into a recorder for 1.5 s and returns the recording. */
static GBytes *
record_tone (HailMediaToneKind kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hail-tone-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tone.wav", NULL);
  g_autoptr(HailMediaSink) sink = hail_media_sink_new_recorder (path);
  g_autoptr(HailMediaTone) tone = hail_media_tone_new (kind, sink);
  gboolean played = FALSE;
  g_autofree char *contents = NULL;
  gsize length;
  guint rate = 0;
  GBytes *samples;

  g_assert_no_error (error);
  g_assert_true (hail_media_tone_start (tone, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_tone_get_playing (tone));
  /* 1.5 s of tone: the first ring-back burst and the start of its pause. */
  g_timeout_add (1500, set_flag_cb, &played);
  g_assert_true (hail_test_wait_until (flag_set, &played, 10000));
  hail_media_tone_stop (tone);
  g_assert_false (hail_media_tone_get_playing (tone));
  g_assert_finalize_object (g_steal_pointer (&tone));

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  samples = _hail_media_wav_parse ((const guint8 *) contents, length, &rate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, HAIL_MEDIA_TONE_RATE);
  g_unlink (path);
  g_rmdir (dir);
  return samples;
}

static void
test_ringback (void)
{
  g_autoptr(GBytes) bytes = record_tone (HAIL_MEDIA_TONE_KIND_RINGBACK);
  const gint16 *s = g_bytes_get_data (bytes, NULL);
  gsize n = g_bytes_get_size (bytes) / sizeof (gint16);
  guint rate = HAIL_MEDIA_TONE_RATE;

  /* One second of 425 Hz, then the four-second pause. */
  g_assert_cmpuint (n, >=, rate * 13 / 10);
  g_assert_cmpfloat (fabs (media_test_dominant_hz (s + rate / 10, rate * 8 / 10, rate) / 425.0 - 1),
                     <=, 0.02);
  g_assert_cmpfloat (media_test_rms (s + rate / 10, rate * 8 / 10), >, 0.1);
  g_assert_cmpfloat (media_test_rms (s + rate * 11 / 10, rate / 5), <, 0.001);
}

static void
test_ring (void)
{
  g_autoptr(GBytes) bytes = record_tone (HAIL_MEDIA_TONE_KIND_RING);
  const gint16 *s = g_bytes_get_data (bytes, NULL);
  guint rate = HAIL_MEDIA_TONE_RATE;

  /* The melody opens on E5, then G5. */
  g_assert_cmpfloat (fabs (media_test_dominant_hz (s + rate / 50, rate / 10, rate) / 659.25 - 1),
                     <=, 0.02);
  g_assert_cmpfloat (fabs (media_test_dominant_hz (s + rate * 17 / 100, rate / 10, rate)
                           / 783.99 - 1), <=, 0.02);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/media/tone/ringback-cadence", test_ringback);
  g_test_add_func ("/media/tone/ring-melody", test_ring);
  return g_test_run ();
}
