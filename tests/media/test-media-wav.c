/* test-media-wav.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WAV reader behind file sources: every PCM layout comes out as mono
 * 16-bit at the file's rate, and broken files give a GError.
 */
#include "config.h"

#include "hail-media-error.h"
#include "hail-media-private.h"
#include "media-test-audio.h"

#include <math.h>
#include <string.h>

typedef struct {
  guint rate;
  guint channels;
  guint bits;
  guint format;
} Layout;

static void
test_layout (gconstpointer data)
{
  const Layout *layout = data;
  g_autoptr(GBytes) wav = media_test_wav_bytes (layout->rate, layout->channels, layout->bits,
                                                layout->format, 440.0, 0.5);
  g_autoptr(GBytes) samples = NULL;
  g_autoptr(GError) error = NULL;
  guint rate = 0;
  gsize n;
  double hz;

  samples = _hail_media_wav_parse (g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), &rate,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, layout->rate);
  n = g_bytes_get_size (samples) / sizeof (gint16);
  g_assert_cmpuint (n, ==, layout->rate / 2);
  hz = media_test_dominant_hz (g_bytes_get_data (samples, NULL), n, rate);
  g_assert_cmpfloat (fabs (hz - 440.0), <, 2.0);
  /* Written at half scale, mixed down without loss of level. */
  g_assert_cmpfloat (fabs (media_test_rms (g_bytes_get_data (samples, NULL), n) - 0.354), <, 0.02);
}

static GBytes *
patched (guint        offset,
         const void  *bytes,
         gsize        length)
{
  g_autoptr(GBytes) wav = media_test_wav_bytes (8000, 1, 16, 1, 440.0, 0.1);
  guint8 *copy = g_memdup2 (g_bytes_get_data (wav, NULL), g_bytes_get_size (wav));

  memcpy (copy + offset, bytes, length);
  return g_bytes_new_take (copy, g_bytes_get_size (wav));
}

static void
assert_rejected (GBytes *wav)
{
  g_autoptr(GBytes) samples = NULL;
  g_autoptr(GError) error = NULL;
  guint rate = 0;

  samples = _hail_media_wav_parse (g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), &rate,
                                   &error);
  g_assert_null (samples);
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE);
}

static void
test_rejects (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("RIFF\0\0\0\0WAVX", 12);
  g_autoptr(GBytes) no_fmt = g_bytes_new_static ("RIFF\0\0\0\0WAVEdata\4\0\0\0abcd", 24);
  g_autoptr(GBytes) mp3 = patched (20, "\x55\x00", 2);            /* format tag 0x55 */
  g_autoptr(GBytes) no_channels = patched (22, "\0\0", 2);
  g_autoptr(GBytes) bits12 = patched (34, "\x0c\x00", 2);
  g_autoptr(GBytes) bad_align = patched (32, "\x07\x00", 2);
  g_autoptr(GBytes) huge_fmt = patched (16, "\xff\xff\xff\x7f", 4);
  g_autoptr(GBytes) rate0 = patched (24, "\0\0\0\0", 4);

  assert_rejected (empty);
  assert_rejected (text);
  assert_rejected (no_fmt);
  assert_rejected (mp3);
  assert_rejected (no_channels);
  assert_rejected (bits12);
  assert_rejected (bad_align);
  assert_rejected (huge_fmt);
  assert_rejected (rate0);
}

static void
test_truncated_data_kept (void)
{
  g_autoptr(GBytes) wav = media_test_wav_bytes (8000, 1, 16, 1, 440.0, 0.1);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (wav, 0, 44 + 101);   /* half a frame at the end */
  g_autoptr(GBytes) samples = NULL;
  g_autoptr(GError) error = NULL;
  guint rate = 0;

  samples = _hail_media_wav_parse (g_bytes_get_data (cut, NULL), g_bytes_get_size (cut), &rate,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (samples), ==, 100);
}

/* Every prefix of a valid file is either read or refused, never over-read
 * (ASan checks the reads). */
static void
test_every_prefix (void)
{
  g_autoptr(GBytes) wav = media_test_wav_bytes (8000, 2, 24, 0xfffe, 440.0, 0.01);
  gsize size = g_bytes_get_size (wav);

  for (gsize len = 0; len <= size; len++)
    {
      guint8 *copy = g_memdup2 (g_bytes_get_data (wav, NULL), len);
      g_autoptr(GBytes) samples = NULL;
      g_autoptr(GError) error = NULL;
      guint rate = 0;

      samples = _hail_media_wav_parse (copy, len, &rate, &error);
      g_assert_true ((samples == NULL) != (error == NULL));
      g_free (copy);
    }
}

static void
test_load_missing (void)
{
  g_autoptr(GBytes) samples = NULL;
  g_autoptr(GError) error = NULL;
  guint rate = 0;

  samples = _hail_media_wav_load ("/nonexistent/file.wav", &rate, &error);
  g_assert_null (samples);
  g_assert_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE);
}

int
main (int   argc,
      char *argv[])
{
  static const Layout layouts[] = {
    { 8000, 1, 8, 1 },
    { 16000, 1, 16, 1 },
    { 44100, 2, 16, 1 },
    { 48000, 2, 24, 1 },
    { 22050, 3, 32, 1 },
    { 48000, 2, 32, 3 },
    { 96000, 2, 24, 0xfffe },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/media/wav/reads-%u-hz-%u-ch-%u-bit-fmt-%x",
                                               layouts[i].rate, layouts[i].channels,
                                               layouts[i].bits, layouts[i].format);

      g_test_add_data_func (path, &layouts[i], test_layout);
    }
  g_test_add_func ("/media/wav/rejects-broken-files", test_rejects);
  g_test_add_func ("/media/wav/truncated-data-kept", test_truncated_data_kept);
  g_test_add_func ("/media/wav/every-prefix", test_every_prefix);
  g_test_add_func ("/media/wav/load-missing", test_load_missing);
  return g_test_run ();
}
