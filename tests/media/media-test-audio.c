/* media-test-audio.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "media-test-audio.h"

#include <math.h>
#include <string.h>

static void
put_u16 (GByteArray *a,
         guint       v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (a, b, 2);
}

static void
put_u32 (GByteArray *a,
         guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (a, b, 4);
}

/* A sine WAV image: format 1 (PCM) or 3 (float), or 0xfffe (extensible
 * wrapping PCM). Every channel carries the same tone. */
GBytes *
media_test_wav_bytes (guint  rate,
                      guint  channels,
                      guint  bits,
                      guint  format,
                      double frequency,
                      double seconds)
{
  GByteArray *a = g_byte_array_new ();
  guint frames = (guint) (rate * seconds);
  guint block = channels * bits / 8;
  gboolean extensible = format == 0xfffe;

  g_byte_array_append (a, (const guint8 *) "RIFF", 4);
  put_u32 (a, 0);   /* streaming writers leave it wrong; the reader must cope */
  g_byte_array_append (a, (const guint8 *) "WAVEfmt ", 8);
  put_u32 (a, extensible ? 40 : 16);
  put_u16 (a, format);
  put_u16 (a, channels);
  put_u32 (a, rate);
  put_u32 (a, rate * block);
  put_u16 (a, block);
  put_u16 (a, bits);
  if (extensible)
    {
      static const guint8 guid_tail[14] = { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                            0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71 };

      put_u16 (a, 22);
      put_u16 (a, bits);
      put_u32 (a, 0);
      put_u16 (a, 1);
      g_byte_array_append (a, guid_tail, sizeof guid_tail);
    }
  g_byte_array_append (a, (const guint8 *) "data", 4);
  put_u32 (a, frames * block);
  for (guint i = 0; i < frames; i++)
    {
      double v = 0.5 * sin (2.0 * G_PI * frequency * i / rate);

      for (guint c = 0; c < channels; c++)
        {
          if (format == 3)
            {
              union { float f; guint32 u; } x = { .f = (float) v };

              put_u32 (a, x.u);
            }
          else if (bits == 8)
            {
              guint8 b = (guint8) lrint (v * 127.0 + 128.0);

              g_byte_array_append (a, &b, 1);
            }
          else if (bits == 16)
            put_u16 (a, (guint16) (gint16) lrint (v * 32767.0));
          else if (bits == 24)
            {
              gint32 s = (gint32) lrint (v * 8388607.0);
              guint8 b[3] = { s & 0xff, (s >> 8) & 0xff, (s >> 16) & 0xff };

              g_byte_array_append (a, b, 3);
            }
          else
            put_u32 (a, (guint32) (gint32) lrint (v * 2147483647.0));
        }
    }
  return g_byte_array_free_to_bytes (a);
}

void
media_test_write_wav (const char *path,
                      guint       rate,
                      guint       channels,
                      guint       bits,
                      double      frequency,
                      double      seconds)
{
  g_autoptr(GBytes) wav = media_test_wav_bytes (rate, channels, bits, 1, frequency, seconds);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), &error);
  g_assert_no_error (error);
}

/* Goertzel power of @hz over a Hann-windowed block. */
static double
power_at (const gint16 *samples,
          gsize         n,
          guint         rate,
          double        hz)
{
  double coeff = 2.0 * cos (2.0 * G_PI * hz / rate);
  double s1 = 0.0, s2 = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double w = 0.5 - 0.5 * cos (2.0 * G_PI * i / (n - 1));
      double s = samples[i] * w + coeff * s1 - s2;

      s2 = s1;
      s1 = s;
    }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/* The strongest frequency between 100 Hz and 4 kHz: a 10 Hz scan, then a
 * 0.5 Hz refinement around the peak. */
double
media_test_dominant_hz (const gint16 *samples,
                        gsize         n,
                        guint         rate)
{
  double best = 0.0, best_power = -1.0, center;
  double top = MIN (4000.0, rate / 2.0 - 50.0);

  for (double hz = 100.0; hz <= top; hz += 10.0)
    {
      double p = power_at (samples, n, rate, hz);

      if (p > best_power)
        {
          best_power = p;
          best = hz;
        }
    }
  center = best;
  for (double hz = center - 10.0; hz <= center + 10.0; hz += 0.5)
    {
      double p = power_at (samples, n, rate, hz);

      if (p > best_power)
        {
          best_power = p;
          best = hz;
        }
    }
  return best;
}

double
media_test_rms (const gint16 *samples,
                gsize         n)
{
  double sum = 0.0;

  if (n == 0)
    return 0.0;
  for (gsize i = 0; i < n; i++)
    sum += (double) samples[i] * samples[i];
  return sqrt (sum / n) / 32768.0;
}
