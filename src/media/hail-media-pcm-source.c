/* hail-media-pcm-source.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A source bin that plays mono 16-bit samples held in memory, once or in a
 * loop, and carries on with silence after the end. identity sync=true paces
 * the appsrc to the clock. A live audiomixer over a silent audiotestsrc
 * did the same more elegantly, but under load (ASan) it dropped the late
 * appsrc buffers and sent seconds of silence; identity passes late buffers
 * on and so catches up.
 */
#include "config.h"

#include "hail-media-error.h"
#include "hail-media-private.h"

#define FEED_CHUNK_MS 20

/* Owned by the appsrc's need-data handler; only its streaming thread uses
 * it after the pipeline starts. */
typedef struct {
  GBytes  *samples;
  guint    rate;
  gboolean loop;
  gsize    position;
  guint64  emitted;
} PcmFeed;

static void
pcm_feed_free (gpointer data,
               GClosure *closure)
{
  PcmFeed *feed = data;

  g_bytes_unref (feed->samples);
  g_free (feed);
}

static void
need_data_cb (GstElement *appsrc,
              guint       size,
              gpointer    user_data)
{
  PcmFeed *feed = user_data;
  gsize n_samples = g_bytes_get_size (feed->samples) / sizeof (gint16);
  const gint16 *samples = g_bytes_get_data (feed->samples, NULL);
  gsize chunk = feed->rate * FEED_CHUNK_MS / 1000;
  g_autoptr(GstBuffer) buffer = NULL;
  GstFlowReturn ret;
  GstMapInfo map;

  buffer = gst_buffer_new_allocate (NULL, chunk * sizeof (gint16), NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < chunk; i++)
    {
      gint16 *out = (gint16 *) map.data + i;

      if (feed->position >= n_samples && feed->loop && n_samples > 0)
        feed->position = 0;
      /* Past the end of a file played once: silence, so RTP keeps flowing. */
      *out = feed->position < n_samples ? samples[feed->position++] : 0;
    }
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale_int (feed->emitted, GST_SECOND, feed->rate);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (chunk, GST_SECOND, feed->rate);
  feed->emitted += chunk;
  g_signal_emit_by_name (appsrc, "push-buffer", buffer, &ret);
}

static gboolean
build (GstBin    *bin,
       GBytes    *samples,
       guint      samples_rate,
       gboolean   loop,
       guint      rate,
       GError   **error)
{
  g_autoptr(GstCaps) in_caps = _hail_media_gst_raw_caps (samples_rate);
  g_autoptr(GstCaps) out_caps = _hail_media_gst_raw_caps (rate);
  GstElement *appsrc, *convert, *resample, *filter, *pace;
  PcmFeed *feed;

  if ((appsrc = _hail_media_gst_add (bin, "appsrc", NULL, error)) == NULL
      || (convert = _hail_media_gst_add (bin, "audioconvert", NULL, error)) == NULL
      || (resample = _hail_media_gst_add (bin, "audioresample", NULL, error)) == NULL
      || (filter = _hail_media_gst_add (bin, "capsfilter", NULL, error)) == NULL
      || (pace = _hail_media_gst_add (bin, "identity", NULL, error)) == NULL)
    return FALSE;

  g_object_set (filter, "caps", out_caps, NULL);
  g_object_set (pace, "sync", TRUE, NULL);
  /* A few chunks ahead at most: identity lets them go in real time. */
  g_object_set (appsrc,
                "caps", in_caps,
                "format", GST_FORMAT_TIME,
                "is-live", FALSE,
                "emit-signals", TRUE,
                "max-bytes", (guint64) (samples_rate * sizeof (gint16) * FEED_CHUNK_MS / 1000 * 4),
                NULL);

  feed = g_new0 (PcmFeed, 1);
  feed->samples = g_bytes_ref (samples);
  feed->rate = samples_rate;
  feed->loop = loop;
  g_signal_connect_data (appsrc, "need-data", G_CALLBACK (need_data_cb), feed,
                         pcm_feed_free, 0);

  if (!_hail_media_gst_link_chain (error, appsrc, convert, resample, filter, pace, NULL))
    return FALSE;
  _hail_media_gst_ghost (GST_ELEMENT (bin), "src", pace, "src");
  return TRUE;
}

/* Returns a floating bin with a "src" pad giving mono 16-bit audio at @rate
 * from @samples (recorded at @samples_rate). */
GstElement *
_hail_media_pcm_source_new (GBytes    *samples,
                            guint      samples_rate,
                            gboolean   loop,
                            guint      rate,
                            GError   **error)
{
  GstElement *bin = gst_bin_new (NULL);

  g_assert (samples_rate > 0 && rate > 0);

  if (!build (GST_BIN (bin), samples, samples_rate, loop, rate, error))
    {
      gst_object_unref (bin);
      return NULL;
    }
  return bin;
}
