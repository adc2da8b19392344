/* hail-media-source.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a session sends, and the GStreamer bin that produces it.
 */
#include "config.h"

#include "hail-media-source.h"

#include "hail-media-error.h"
#include "hail-media-private.h"

struct _HailMediaSource {
  HailMediaSourceKind  kind;
  HailMediaDevice     *device;     /* DEVICE: NULL for the default input */
  char                *path;       /* FILE */
  gboolean             loop;       /* FILE */
  double               frequency;  /* TONE */
  gboolean             echo_cancel; /* DEVICE: when the sink is a device too */
};

G_DEFINE_BOXED_TYPE (HailMediaSource, hail_media_source,
                     hail_media_source_ref, hail_media_source_unref)

static HailMediaSource *
source_new (HailMediaSourceKind kind)
{
  HailMediaSource *self = g_atomic_rc_box_new0 (HailMediaSource);

  self->kind = kind;
  return self;
}

static void
source_clear (HailMediaSource *self)
{
  g_clear_object (&self->device);
  g_free (self->path);
}

static gboolean
build_device (GstBin           *bin,
              HailMediaSource  *self,
              guint             rate,
              const char       *echo_probe,
              GError          **error)
{
  g_autoptr(GstCaps) caps = _hail_media_gst_raw_caps (rate);
  GstElement *src, *convert, *resample, *filter, *dsp;

  if ((src = _hail_media_device_add_element (self->device, bin, "pulsesrc", error)) == NULL
      || (convert = _hail_media_gst_add (bin, "audioconvert", NULL, error)) == NULL
      || (resample = _hail_media_gst_add (bin, "audioresample", NULL, error)) == NULL
      || (filter = _hail_media_gst_add (bin, "capsfilter", NULL, error)) == NULL
      || (dsp = _hail_media_gst_add (bin, "webrtcdsp", NULL, error)) == NULL)
    return FALSE;
  g_object_set (filter, "caps", caps, NULL);
  /* Echo cancellation needs the probe on the playback side; noise
   * suppression and gain control work without it. */
  g_object_set (dsp,
                "echo-cancel", echo_probe != NULL,
                "noise-suppression", TRUE,
                NULL);
  if (echo_probe != NULL)
    g_object_set (dsp, "probe", echo_probe, NULL);
  if (!_hail_media_gst_link_chain (error, src, convert, resample, filter, dsp, NULL))
    return FALSE;
  _hail_media_gst_ghost (GST_ELEMENT (bin), "src", dsp, "src");
  return TRUE;
}

static gboolean
build_test_source (GstBin           *bin,
                   HailMediaSource  *self,
                   guint             rate,
                   GError          **error)
{
  g_autoptr(GstCaps) caps = _hail_media_gst_raw_caps (rate);
  GstElement *src, *filter;

  if ((src = _hail_media_gst_add (bin, "audiotestsrc", NULL, error)) == NULL
      || (filter = _hail_media_gst_add (bin, "capsfilter", NULL, error)) == NULL)
    return FALSE;
  g_object_set (src,
                "is-live", TRUE,
                "samplesperbuffer", (int) (rate * HAIL_MEDIA_BUFFER_MS / 1000),
                NULL);
  if (self->kind == HAIL_MEDIA_SOURCE_KIND_TONE)
    g_object_set (src, "wave", 0 /* sine */, "freq", self->frequency, "volume", 0.5, NULL);
  else
    g_object_set (src, "wave", 4 /* silence */, NULL);
  g_object_set (filter, "caps", caps, NULL);
  if (!_hail_media_gst_link_chain (error, src, filter, NULL))
    return FALSE;
  _hail_media_gst_ghost (GST_ELEMENT (bin), "src", filter, "src");
  return TRUE;
}

/* Returns a floating bin with a "src" pad giving live mono 16-bit audio at
 * @rate. @echo_probe names the playback probe for echo cancellation, or is
 * %NULL when the session does not play to a device. */
GstElement *
_hail_media_source_build (HailMediaSource  *self,
                          guint             rate,
                          const char       *echo_probe,
                          GError          **error)
{
  g_autoptr(GBytes) samples = NULL;
  GstElement *bin;
  gboolean ok;
  guint file_rate = 0;

  switch (self->kind)
    {
    case HAIL_MEDIA_SOURCE_KIND_FILE:
      if ((samples = _hail_media_wav_load (self->path, &file_rate, error)) == NULL)
        return NULL;
      return _hail_media_pcm_source_new (samples, file_rate, self->loop, rate, error);
    case HAIL_MEDIA_SOURCE_KIND_DEVICE:
      bin = gst_bin_new (NULL);
      ok = build_device (GST_BIN (bin), self, rate, echo_probe, error);
      break;
    case HAIL_MEDIA_SOURCE_KIND_SILENCE:
    case HAIL_MEDIA_SOURCE_KIND_TONE:
    default:
      bin = gst_bin_new (NULL);
      ok = build_test_source (GST_BIN (bin), self, rate, error);
      break;
    }
  if (!ok)
    {
      gst_object_unref (bin);
      return NULL;
    }
  return bin;
}

gboolean
_hail_media_source_wants_echo_cancellation (HailMediaSource *self)
{
  return self->kind == HAIL_MEDIA_SOURCE_KIND_DEVICE && self->echo_cancel;
}

/* Makes @source_bin, built for @from, capture from @to's device by moving
 * its live stream (see _hail_media_device_move()). Only between devices
 * with the same processing; FALSE means the pipeline must be rebuilt. */
gboolean
_hail_media_source_move (HailMediaSource *from,
                         HailMediaSource *to,
                         GstElement      *source_bin)
{
  return from != NULL && from->kind == HAIL_MEDIA_SOURCE_KIND_DEVICE
         && to->kind == HAIL_MEDIA_SOURCE_KIND_DEVICE
         && from->echo_cancel == to->echo_cancel
         && _hail_media_device_move (to->device, source_bin);
}

/**
 * hail_media_source_new_device:
 * @device: (nullable): an input from #HailMediaDevices, or %NULL for the
 *   sound server's default input
 *
 * Returns: (transfer full): a source capturing from @device, with echo
 * cancellation (when the sink is a device too) and noise suppression.
 */
HailMediaSource *
hail_media_source_new_device (HailMediaDevice *device)
{
  return hail_media_source_new_device_full (device, TRUE);
}

/**
 * hail_media_source_new_device_full:
 * @device: (nullable): as for hail_media_source_new_device()
 * @echo_cancellation: whether to cancel the echo of what the sink plays;
 *   %FALSE for a headset, or when the sound server already does it
 *
 * Returns: (transfer full): a source capturing from @device, with noise
 * suppression and, when asked and the sink is a device too, echo
 * cancellation.
 */
HailMediaSource *
hail_media_source_new_device_full (HailMediaDevice *device,
                                   gboolean         echo_cancellation)
{
  HailMediaSource *self;

  g_return_val_if_fail (device == NULL || HAIL_IS_MEDIA_DEVICE (device), NULL);
  g_return_val_if_fail (device == NULL
                        || hail_media_device_get_kind (device) == HAIL_MEDIA_DEVICE_KIND_INPUT,
                        NULL);

  self = source_new (HAIL_MEDIA_SOURCE_KIND_DEVICE);
  if (device != NULL)
    self->device = g_object_ref (device);
  self->echo_cancel = echo_cancellation;
  return self;
}

/**
 * hail_media_source_new_file:
 * @path: a PCM WAV file (any rate, channels, 8-32 bit or float samples)
 * @loop: whether to start over at the end, rather than go on with silence
 *
 * The file is read when the session starts; errors are reported then.
 *
 * Returns: (transfer full): a source playing @path.
 */
HailMediaSource *
hail_media_source_new_file (const char *path,
                            gboolean    loop)
{
  HailMediaSource *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = source_new (HAIL_MEDIA_SOURCE_KIND_FILE);
  self->path = g_strdup (path);
  self->loop = !!loop;
  return self;
}

/**
 * hail_media_source_new_silence:
 *
 * Returns: (transfer full): a source of digital silence.
 */
HailMediaSource *
hail_media_source_new_silence (void)
{
  return source_new (HAIL_MEDIA_SOURCE_KIND_SILENCE);
}

/**
 * hail_media_source_new_tone:
 * @frequency: in Hz, below half the codec's rate to be heard
 *
 * Returns: (transfer full): a source of a sine wave at half full scale.
 */
HailMediaSource *
hail_media_source_new_tone (double frequency)
{
  HailMediaSource *self;

  g_return_val_if_fail (frequency > 0 && frequency <= 20000, NULL);

  self = source_new (HAIL_MEDIA_SOURCE_KIND_TONE);
  self->frequency = frequency;
  return self;
}

HailMediaSource *
hail_media_source_ref (HailMediaSource *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hail_media_source_unref (HailMediaSource *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) source_clear);
}

HailMediaSourceKind
hail_media_source_get_kind (HailMediaSource *self)
{
  g_return_val_if_fail (self != NULL, HAIL_MEDIA_SOURCE_KIND_SILENCE);

  return self->kind;
}
