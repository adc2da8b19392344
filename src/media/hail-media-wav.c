/* hail-media-wav.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a PCM WAV file into mono 16-bit samples. The file is the user's, not
 * the network's, but it is still treated as untrusted: every length is
 * checked against what is left and the whole file is bounded.
 */
#include "config.h"

#include "hail-media-error.h"
#include "hail-media-private.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#define WAV_FORMAT_PCM        0x0001
#define WAV_FORMAT_FLOAT      0x0003
#define WAV_FORMAT_EXTENSIBLE 0xfffe

#define WAV_MAX_CHANNELS 32
#define WAV_MIN_RATE     1000
#define WAV_MAX_RATE     384000

static guint16
read_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
read_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* One sample of any supported layout, scaled to [-1, 1]. */
static double
read_sample (const guint8 *p,
             guint         bits,
             gboolean      is_float)
{
  if (is_float)
    {
      union { guint32 u; float f; } v = { .u = read_u32 (p) };

      if (!isfinite (v.f))
        return 0.0;
      return CLAMP (v.f, -1.0f, 1.0f);
    }
  switch (bits)
    {
    case 8:
      /* 8-bit WAV samples alone are unsigned. */
      return (p[0] - 128) / 128.0;
    case 16:
      return (gint16) read_u16 (p) / 32768.0;
    case 24:
      return ((gint32) ((guint32) p[0] << 8 | (guint32) p[1] << 16 | (guint32) p[2] << 24) >> 8)
             / 8388608.0;
    case 32:
      return (gint32) read_u32 (p) / 2147483648.0;
    default:
      g_assert_not_reached ();
    }
}

static gpointer
wav_error (GError     **error,
           const char  *message)
{
  g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE, "Not a usable PCM WAV file: %s",
               message);
  return NULL;
}

/* Parses a RIFF/WAVE image and returns its audio mixed down to mono,
 * native-endian 16-bit, at the file's rate (stored in @rate). */
GBytes *
_hail_media_wav_parse (const guint8  *data,
                       gsize          length,
                       guint         *rate,
                       GError       **error)
{
  const guint8 *fmt = NULL;
  const guint8 *pcm = NULL;
  gsize pcm_length = 0;
  gsize pos = 12;
  guint format, channels, bits, block_align;
  gboolean is_float;
  gsize frames;
  gint16 *out;

  g_assert (data != NULL || length == 0);
  g_assert (rate != NULL);

  if (length < 12 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WAVE", 4) != 0)
    return wav_error (error, "no RIFF/WAVE header");

  /* Walk the chunks; the RIFF size is ignored since streaming writers leave
   * it 0 or wrong, and a truncated data chunk keeps what is there. */
  while (pos + 8 <= length && (fmt == NULL || pcm == NULL))
    {
      const guint8 *chunk = data + pos;
      gsize size = read_u32 (chunk + 4);
      gsize avail = length - pos - 8;

      if (memcmp (chunk, "fmt ", 4) == 0)
        {
          if (size < 16 || size > avail)
            return wav_error (error, "bad fmt chunk");
          fmt = chunk + 8;
        }
      else if (memcmp (chunk, "data", 4) == 0)
        {
          pcm = chunk + 8;
          pcm_length = MIN (size, avail);
          if (fmt == NULL)
            return wav_error (error, "data chunk before fmt chunk");
          break;
        }
      if (size > avail)
        break;
      /* Chunks are padded to an even length. */
      pos += 8 + size + (size & 1);
    }
  if (fmt == NULL)
    return wav_error (error, "no fmt chunk");
  if (pcm == NULL)
    return wav_error (error, "no data chunk");

  format = read_u16 (fmt);
  channels = read_u16 (fmt + 2);
  *rate = read_u32 (fmt + 4);
  block_align = read_u16 (fmt + 12);
  bits = read_u16 (fmt + 14);
  if (format == WAV_FORMAT_EXTENSIBLE)
    {
      /* cbSize, valid bits, channel mask, then the sub-format GUID whose
       * first two bytes are the real format tag. */
      if (read_u32 (fmt - 4) < 40)
        return wav_error (error, "short WAVE_FORMAT_EXTENSIBLE header");
      format = read_u16 (fmt + 24);
    }
  if (format != WAV_FORMAT_PCM && format != WAV_FORMAT_FLOAT)
    return wav_error (error, "compressed audio (only PCM and float samples are played)");
  is_float = format == WAV_FORMAT_FLOAT;
  if (channels == 0 || channels > WAV_MAX_CHANNELS)
    return wav_error (error, "bad channel count");
  if (*rate < WAV_MIN_RATE || *rate > WAV_MAX_RATE)
    return wav_error (error, "sample rate out of range");
  if (is_float ? bits != 32 : (bits != 8 && bits != 16 && bits != 24 && bits != 32))
    return wav_error (error, "unsupported sample size");
  if (block_align != channels * bits / 8)
    return wav_error (error, "block alignment does not match the sample format");

  frames = pcm_length / block_align;
  out = g_new (gint16, MAX (frames, 1));
  for (gsize i = 0; i < frames; i++)
    {
      const guint8 *frame = pcm + i * block_align;
      double sum = 0.0;

      for (guint c = 0; c < channels; c++)
        sum += read_sample (frame + c * (bits / 8), bits, is_float);
      out[i] = (gint16) CLAMP (lrint (sum / channels * 32767.0), -32768, 32767);
    }
  return g_bytes_new_take (out, frames * sizeof (gint16));
}

GBytes *
_hail_media_wav_load (const char  *path,
                      guint       *rate,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize length = 0;
  GBytes *samples;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE,
                   "Cannot read the audio file %s: %s", path,
                   g_strerror (errno != 0 ? errno : EINVAL));
      return NULL;
    }
  if (st.st_size > HAIL_MEDIA_WAV_MAX_BYTES)
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE,
                   "The audio file %s is larger than %d MB", path,
                   HAIL_MEDIA_WAV_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE,
                   "Cannot read the audio file: %s", local_error->message);
      return NULL;
    }
  /* The file may have grown since the stat. */
  if (length > HAIL_MEDIA_WAV_MAX_BYTES)
    return wav_error (error, "file too large");
  samples = _hail_media_wav_parse ((const guint8 *) contents, length, rate, &local_error);
  if (samples == NULL)
    g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_FILE, "%s: %s", path,
                 local_error->message);
  return samples;
}
