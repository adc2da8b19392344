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

/* The recorder writes each buffer at once, so the file's size is the
 * recording's progress: 1.5 s of 16-bit samples after the 44-byte header. */
static gboolean
recorded_enough (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && st.st_size >= 44 + HAIL_MEDIA_TONE_RATE * 2 * 3 / 2;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
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
  guint tick;
  g_autofree char *contents = NULL;
  gsize length;
  guint rate = 0;
  GBytes *samples;

  g_assert_no_error (error);
  g_assert_true (hail_media_tone_start (tone, &error));
  g_assert_no_error (error);
  g_assert_true (hail_media_tone_get_playing (tone));
  /* 1.5 s of tone: the first ring-back burst and the start of its pause.
   * Nothing else wakes the main context, so a tick polls the file. */
  tick = g_timeout_add (20, tick_cb, NULL);
  g_assert_true (hail_test_wait_until (recorded_enough, path, 10000));
  g_source_remove (tick);
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

/* Whether a 100 ms window somewhere in the first @seconds is dominated by
 * @hz (within 2 %). */
static gboolean
has_note (const gint16 *s,
          gsize         n,
          double        seconds,
          double        hz)
{
  guint rate = HAIL_MEDIA_TONE_RATE;

  for (gsize i = 0; i + rate / 10 <= MIN (n, (gsize) (seconds * rate)); i += rate / 40)
    {
      if (media_test_rms (s + i, rate / 10) > 0.1
          && fabs (media_test_dominant_hz (s + i, rate / 10, rate) / hz - 1) <= 0.02)
        return TRUE;
    }
  return FALSE;
}

static void
test_ring (void)
{
  g_autoptr(GBytes) bytes = record_tone (HAIL_MEDIA_TONE_KIND_RING);
  const gint16 *s = g_bytes_get_data (bytes, NULL);
  gsize n = g_bytes_get_size (bytes) / sizeof (gint16);

  /* E5, G5 and C6 within the first phrase; A4 (a wrong note) nowhere. */
  g_assert_true (has_note (s, n, 1.0, 659.25));
  g_assert_true (has_note (s, n, 1.0, 783.99));
  g_assert_true (has_note (s, n, 1.0, 1046.50));
  g_assert_false (has_note (s, n, 1.0, 440.0));
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
