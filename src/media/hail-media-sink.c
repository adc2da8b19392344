/* hail-media-sink.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a session plays what it receives, and the GStreamer bin for it.
 */
#include "config.h"

#include "hail-media-sink.h"

#include "hail-media-error.h"
#include "hail-media-private.h"

#include <string.h>

/* The recorder's wavenc and caps, kept on its bin so that it can be
 * finished alone. */
#define RECORDER_ENCODER_KEY "hail-recorder-encoder"
#define RECORDER_CAPS_KEY "hail-recorder-caps"
#define RECORDER_PATH_KEY "hail-recorder-path"
#define RECORDER_EMPTY_KEY "hail-recorder-empty"
/* The sound server's default output. */
#define DEFAULT_OUTPUT "pulsesink"

struct _HailMediaSink {
  HailMediaSinkKind  kind;
  HailMediaDevice   *device;   /* DEVICE: NULL for the default output */
  char              *path;     /* RECORDER */
};

G_DEFINE_BOXED_TYPE (HailMediaSink, hail_media_sink, hail_media_sink_ref, hail_media_sink_unref)

static HailMediaSink *
sink_new (HailMediaSinkKind kind)
{
  HailMediaSink *self = g_atomic_rc_box_new0 (HailMediaSink);

  self->kind = kind;
  return self;
}

static void
sink_clear (HailMediaSink *self)
{
  g_clear_object (&self->device);
  g_free (self->path);
}

static gboolean
build_device (GstBin         *bin,
              HailMediaSink  *self,
              const char     *echo_probe,
              GError        **error)
{
  GstElement *probe = NULL, *convert, *resample, *sink;

  if (echo_probe != NULL
      && (probe = _hail_media_gst_add (bin, "webrtcechoprobe", echo_probe, error)) == NULL)
    return FALSE;
  if ((convert = _hail_media_gst_add (bin, "audioconvert", NULL, error)) == NULL
      || (resample = _hail_media_gst_add (bin, "audioresample", NULL, error)) == NULL
      || (sink = _hail_media_device_add_element (self->device, bin, DEFAULT_OUTPUT, error)) == NULL)
    return FALSE;
  /* A call's audio is live: never hold the pipeline's state change. */
  g_object_set (sink, "async", FALSE, NULL);

  if (probe != NULL)
    {
      if (!_hail_media_gst_link_chain (error, probe, convert, resample, sink, NULL))
        return FALSE;
      _hail_media_gst_ghost (GST_ELEMENT (bin), "sink", probe, "sink");
    }
  else
    {
      if (!_hail_media_gst_link_chain (error, convert, resample, sink, NULL))
        return FALSE;
      _hail_media_gst_ghost (GST_ELEMENT (bin), "sink", convert, "sink");
    }
  return TRUE;
}

static gboolean
build_recorder (GstBin         *bin,
                HailMediaSink  *self,
                guint           rate,
                GError        **error)
{
  g_autoptr(GstCaps) caps = NULL;
  GstElement *convert, *resample, *filter, *enc, *sink;

  if ((convert = _hail_media_gst_add (bin, "audioconvert", NULL, error)) == NULL
      || (resample = _hail_media_gst_add (bin, "audioresample", NULL, error)) == NULL
      || (filter = _hail_media_gst_add (bin, "capsfilter", NULL, error)) == NULL
      || (enc = _hail_media_gst_add (bin, "wavenc", NULL, error)) == NULL
      || (sink = _hail_media_gst_add (bin, "filesink", NULL, error)) == NULL)
    return FALSE;
  /* WAV is little-endian whatever the machine. */
  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, (int) rate,
                              "channels", G_TYPE_INT, 1,
                              NULL);
  g_object_set (filter, "caps", caps, NULL);
  /* Every decoded sample is written in order, whatever its timestamp: the
   * jitter buffer stamps packets by arrival, and audiorate, meant to fill
   * gaps, dropped a burst of queued packets as overlapping (0.9 s recorded
   * of 2 s received). Hold and unconcealed loss are left out, not silenced. */
  g_object_set (sink, "location", self->path, "sync", FALSE, "async", FALSE, NULL);
  /* Every 10 ms buffer goes straight to the file: a crash loses little, and
   * the file's size tells how far the recording got. */
  gst_util_set_object_arg (G_OBJECT (sink), "buffer-mode", "unbuffered");
  if (!_hail_media_gst_link_chain (error, convert, resample, filter, enc, sink, NULL))
    return FALSE;
  g_object_set_data (G_OBJECT (bin), RECORDER_ENCODER_KEY, enc);
  g_object_set_data_full (G_OBJECT (bin), RECORDER_CAPS_KEY, gst_caps_ref (caps),
                          (GDestroyNotify) gst_caps_unref);
  g_object_set_data_full (G_OBJECT (bin), RECORDER_PATH_KEY, g_strdup (self->path), g_free);
  _hail_media_gst_ghost (GST_ELEMENT (bin), "sink", convert, "sink");
  return TRUE;
}

static gboolean
build_discard (GstBin  *bin,
               GError **error)
{
  GstElement *sink;

  if ((sink = _hail_media_gst_add (bin, "fakesink", NULL, error)) == NULL)
    return FALSE;
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  _hail_media_gst_ghost (GST_ELEMENT (bin), "sink", sink, "sink");
  return TRUE;
}

/* Returns a floating bin with a "sink" pad taking mono 16-bit audio at
 * @rate. With @echo_probe, a device sink feeds that echo probe. */
GstElement *
_hail_media_sink_build (HailMediaSink  *self,
                        guint           rate,
                        const char     *echo_probe,
                        GError        **error)
{
  GstElement *bin = gst_bin_new (NULL);
  gboolean ok;

  switch (self->kind)
    {
    case HAIL_MEDIA_SINK_KIND_DEVICE:
      ok = build_device (GST_BIN (bin), self, echo_probe, error);
      break;
    case HAIL_MEDIA_SINK_KIND_RECORDER:
      ok = build_recorder (GST_BIN (bin), self, rate, error);
      break;
    case HAIL_MEDIA_SINK_KIND_DISCARD:
    default:
      ok = build_discard (GST_BIN (bin), error);
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
_hail_media_sink_is_device (HailMediaSink *self)
{
  return self->kind == HAIL_MEDIA_SINK_KIND_DEVICE;
}

/* Makes the running @sink_bin, built for @from, play to @to's device (see
 * _hail_media_device_swap_sink()). FALSE means the pipeline must be
 * rebuilt. */
gboolean
_hail_media_sink_move (HailMediaSink *from,
                       HailMediaSink *to,
                       GstElement    *sink_bin)
{
  return from != NULL && from->kind == HAIL_MEDIA_SINK_KIND_DEVICE
         && to->kind == HAIL_MEDIA_SINK_KIND_DEVICE
         && _hail_media_device_swap_sink (to->device, sink_bin, DEFAULT_OUTPUT);
}

/* Shared between _hail_media_sink_finish() and its worker thread; whichever
 * drops the last reference frees it, so a worker stuck past the deadline
 * stays safe. */
typedef struct {
  GMutex    lock;
  GCond     cond;
  gboolean  done;
  GstPad   *pad;
} FinishJob;

static void
finish_job_clear (FinishJob *job)
{
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  gst_object_unref (job->pad);
}

static gpointer
finish_thread (gpointer data)
{
  FinishJob *job = data;

  /* Serialised with the streaming thread by the pad's stream lock: when it
   * returns, wavenc has rewritten the header with the final sizes. */
  gst_pad_send_event (job->pad, gst_event_new_eos ());
  g_mutex_lock (&job->lock);
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  g_atomic_rc_box_release_full (job, (GDestroyNotify) finish_job_clear);
  return NULL;
}

/* Ends a recorder's WAV file with EOS into this branch alone (never through
 * rtpbin, which can hang on EOS), waiting at most @timeout_ms. The caller
 * then sets the pipeline to NULL, which also unblocks a late worker. Returns
 * FALSE when the header could not be finished in time; TRUE too for sinks
 * that are not recorders. */
gboolean
_hail_media_sink_finish (GstElement *sink_bin,
                         guint       timeout_ms)
{
  GstElement *enc = g_object_get_data (G_OBJECT (sink_bin), RECORDER_ENCODER_KEY);
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GThread) thread = NULL;
  FinishJob *job;
  gint64 deadline;
  gboolean done;

  if (enc == NULL)
    return TRUE;
  /* Nothing arrived, so wavenc has written nothing: _hail_media_sink_close()
   * writes the empty WAV once the file is closed. */
  pad = gst_element_get_static_pad (enc, "sink");
  if (!gst_pad_has_current_caps (pad))
    {
      g_object_set_data (G_OBJECT (sink_bin), RECORDER_EMPTY_KEY, GINT_TO_POINTER (TRUE));
      return TRUE;
    }

  job = g_atomic_rc_box_new0 (FinishJob);
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  job->pad = gst_element_get_static_pad (enc, "sink");
  thread = g_thread_new ("hail-recorder-eos", finish_thread, g_atomic_rc_box_acquire (job));

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&job->lock);
  while (!job->done)
    if (!g_cond_wait_until (&job->cond, &job->lock, deadline))
      break;
  done = job->done;
  g_mutex_unlock (&job->lock);
  g_atomic_rc_box_release_full (job, (GDestroyNotify) finish_job_clear);
  if (!done)
    g_debug ("The recorder did not finish its WAV header within %u ms", timeout_ms);
  return done;
}

static void
put_le (guint8  *p,
        guint32  value,
        guint    bytes)
{
  for (guint i = 0; i < bytes; i++)
    p[i] = (value >> (8 * i)) & 0xff;
}

/* After the pipeline is NULL (the file closed): a recorder that never got
 * audio still leaves a valid WAV, with no samples. */
void
_hail_media_sink_close (GstElement *sink_bin)
{
  const char *path = g_object_get_data (G_OBJECT (sink_bin), RECORDER_PATH_KEY);
  GstCaps *caps = g_object_get_data (G_OBJECT (sink_bin), RECORDER_CAPS_KEY);
  g_autoptr(GError) error = NULL;
  guint8 header[44];
  int rate = 0;

  if (g_object_get_data (G_OBJECT (sink_bin), RECORDER_EMPTY_KEY) == NULL || path == NULL)
    return;
  gst_structure_get_int (gst_caps_get_structure (caps, 0), "rate", &rate);
  memcpy (header, "RIFF", 4);
  put_le (header + 4, 36, 4);
  memcpy (header + 8, "WAVEfmt ", 8);
  put_le (header + 16, 16, 4);
  put_le (header + 20, 1, 2);              /* PCM */
  put_le (header + 22, 1, 2);              /* mono */
  put_le (header + 24, (guint32) rate, 4);
  put_le (header + 28, (guint32) rate * 2, 4);
  put_le (header + 32, 2, 2);
  put_le (header + 34, 16, 2);
  memcpy (header + 36, "data", 4);
  put_le (header + 40, 0, 4);
  if (!g_file_set_contents (path, (const char *) header, sizeof header, &error))
    g_debug ("Cannot write the empty recording: %s", error->message);
}

/**
 * hail_media_sink_new_device:
 * @device: (nullable): an output from #HailMediaDevices, or %NULL for the
 *   sound server's default output
 *
 * Returns: (transfer full): a sink playing to @device.
 */
HailMediaSink *
hail_media_sink_new_device (HailMediaDevice *device)
{
  HailMediaSink *self;

  g_return_val_if_fail (device == NULL || HAIL_IS_MEDIA_DEVICE (device), NULL);
  g_return_val_if_fail (device == NULL
                        || hail_media_device_get_kind (device) == HAIL_MEDIA_DEVICE_KIND_OUTPUT,
                        NULL);

  self = sink_new (HAIL_MEDIA_SINK_KIND_DEVICE);
  if (device != NULL)
    self->device = g_object_ref (device);
  return self;
}

/**
 * hail_media_sink_new_recorder:
 * @path: the WAV file to write (replaced)
 *
 * Returns: (transfer full): a sink writing 16-bit PCM mono WAV at the decoded
 * rate of the session's codec.
 */
HailMediaSink *
hail_media_sink_new_recorder (const char *path)
{
  HailMediaSink *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = sink_new (HAIL_MEDIA_SINK_KIND_RECORDER);
  self->path = g_strdup (path);
  return self;
}

/**
 * hail_media_sink_new_discard:
 *
 * Returns: (transfer full): a sink that drops the audio.
 */
HailMediaSink *
hail_media_sink_new_discard (void)
{
  return sink_new (HAIL_MEDIA_SINK_KIND_DISCARD);
}

HailMediaSink *
hail_media_sink_ref (HailMediaSink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hail_media_sink_unref (HailMediaSink *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) sink_clear);
}

HailMediaSinkKind
hail_media_sink_get_kind (HailMediaSink *self)
{
  g_return_val_if_fail (self != NULL, HAIL_MEDIA_SINK_KIND_DISCARD);

  return self->kind;
}
