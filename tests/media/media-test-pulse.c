/* media-test-pulse.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "media-test-pulse.h"

#include "hail-test-util.h"
#include "media-test-audio.h"

#include <gst/gst.h>
#include <string.h>

gboolean
media_test_pulse_available (void)
{
  g_autofree char *path = NULL;

  if (g_getenv ("PULSE_SERVER") != NULL)
    return TRUE;
  path = g_build_filename (g_get_user_runtime_dir (), "pulse", "native", NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
pactl (const char  *args,
       char       **out)
{
  g_autofree char *pactl_path = g_find_program_in_path ("pactl");
  g_autofree char *command = NULL;
  int status = 0;

  if (pactl_path == NULL)
    return FALSE;
  command = g_strdup_printf ("%s %s", pactl_path, args);
  if (!g_spawn_command_line_sync (command, out, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

guint
media_test_pulse_load_sink (const char *name)
{
  g_autofree char *args = g_strdup_printf ("load-module module-null-sink sink_name=%s", name);
  g_autofree char *out = NULL;
  guint64 module = 0;

  if (!pactl (args, &out) || !g_ascii_string_to_unsigned (g_strstrip (out), 10, 1, G_MAXUINT,
                                                          &module, NULL))
    return 0;
  return (guint) module;
}

gboolean
media_test_pulse_unload (guint module)
{
  g_autofree char *args = g_strdup_printf ("unload-module %u", module);

  return pactl (args, NULL);
}

typedef struct {
  gint64  arrival;   /* monotonic, µs */
  double  rms;
  gint16  samples[MEDIA_TEST_MONITOR_RATE * MEDIA_TEST_MONITOR_CHUNK_MS / 1000];
} Chunk;

struct _MediaTestMonitor {
  GstElement *pipeline;
  GMutex      lock;
  GArray     *chunks;    /* Chunk, under lock */
  GByteArray *pending;   /* bytes of the chunk being filled, streaming thread only */
};

/* Streaming thread: cuts what pulsesrc gives into 10 ms chunks, each
 * stamped when its last sample came in. */
static void
handoff_cb (GstElement       *sink,
            GstBuffer        *buffer,
            GstPad           *pad,
            MediaTestMonitor *self)
{
  const gsize chunk_bytes = sizeof ((Chunk *) NULL)->samples;
  gint64 now = g_get_monotonic_time ();
  GstMapInfo map;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  g_byte_array_append (self->pending, map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  while (self->pending->len >= chunk_bytes)
    {
      Chunk chunk;

      chunk.arrival = now;
      memcpy (chunk.samples, self->pending->data, chunk_bytes);
      chunk.rms = media_test_rms (chunk.samples, G_N_ELEMENTS (chunk.samples));
      g_byte_array_remove_range (self->pending, 0, chunk_bytes);
      g_mutex_lock (&self->lock);
      g_array_append_val (self->chunks, chunk);
      g_mutex_unlock (&self->lock);
    }
}

MediaTestMonitor *
media_test_monitor_new (const char  *sink,
                        GError     **error)
{
  g_autofree char *description = NULL;
  g_autoptr(MediaTestMonitor) self = g_new0 (MediaTestMonitor, 1);
  g_autoptr(GstElement) fakesink = NULL;

  g_mutex_init (&self->lock);
  self->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
  self->pending = g_byte_array_new ();
  /* A short capture buffer, so that a chunk arrives soon after the sink
   * played it: the measured delay is the switch's, not the recorder's. */
  description = g_strdup_printf ("pulsesrc device=%s.monitor buffer-time=200000 "
                                 "latency-time=%u ! audio/x-raw,format=S16LE,rate=%u,"
                                 "channels=1 ! fakesink name=out sync=false "
                                 "signal-handoffs=true",
                                 sink, MEDIA_TEST_MONITOR_CHUNK_MS * 1000,
                                 MEDIA_TEST_MONITOR_RATE);
  self->pipeline = gst_parse_launch (description, error);
  if (self->pipeline == NULL)
    return NULL;
  fakesink = gst_bin_get_by_name (GST_BIN (self->pipeline), "out");
  g_signal_connect (fakesink, "handoff", G_CALLBACK (handoff_cb), self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                   "Cannot record %s.monitor", sink);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
media_test_monitor_free (MediaTestMonitor *self)
{
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_object_unref (self->pipeline);
    }
  g_array_unref (self->chunks);
  g_byte_array_unref (self->pending);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gint64
media_test_monitor_first_loud (MediaTestMonitor *self,
                               gint64            since,
                               double            rms)
{
  gint64 found = -1;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->chunks->len && found < 0; i++)
    {
      Chunk *c = &g_array_index (self->chunks, Chunk, i);

      if (c->arrival >= since && c->rms > rms)
        found = c->arrival;
    }
  g_mutex_unlock (&self->lock);
  return found;
}

typedef struct {
  MediaTestMonitor *monitor;
  gint64            since;
  double            rms;
  guint             count;
} Wait;

static gboolean
loud_cb (gpointer data)
{
  Wait *w = data;

  return media_test_monitor_first_loud (w->monitor, w->since, w->rms) >= 0;
}

gint64
media_test_monitor_wait_loud (MediaTestMonitor *self,
                              gint64            since,
                              double            rms,
                              guint             timeout_ms)
{
  Wait w = { self, since, rms, 0 };

  hail_test_wait_until (loud_cb, &w, timeout_ms);
  return media_test_monitor_first_loud (self, since, rms);
}

static gboolean
count_cb (gpointer data)
{
  Wait *w = data;

  return media_test_monitor_count (w->monitor, w->since, 0.0, NULL) >= w->count;
}

gboolean
media_test_monitor_wait_count (MediaTestMonitor *self,
                               gint64            since,
                               guint             count,
                               guint             timeout_ms)
{
  Wait w = { self, since, 0.0, count };

  return hail_test_wait_until (count_cb, &w, timeout_ms);
}

guint
media_test_monitor_count (MediaTestMonitor *self,
                          gint64            since,
                          double            rms,
                          guint            *quiet)
{
  guint n = 0, q = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->chunks->len; i++)
    {
      Chunk *c = &g_array_index (self->chunks, Chunk, i);

      if (c->arrival < since)
        continue;
      n++;
      if (c->rms <= rms)
        q++;
    }
  g_mutex_unlock (&self->lock);
  if (quiet != NULL)
    *quiet = q;
  return n;
}

char *
media_test_monitor_pattern (MediaTestMonitor *self,
                            gint64            since,
                            double            rms,
                            guint             max)
{
  GString *pattern = g_string_new (NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->chunks->len && pattern->len < max; i++)
    {
      Chunk *c = &g_array_index (self->chunks, Chunk, i);

      if (c->arrival >= since)
        g_string_append_c (pattern, c->rms > rms ? '#' : '.');
    }
  g_mutex_unlock (&self->lock);
  return g_string_free (pattern, FALSE);
}

GArray *
media_test_monitor_samples (MediaTestMonitor *self,
                            gint64            since)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint16));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->chunks->len; i++)
    {
      Chunk *c = &g_array_index (self->chunks, Chunk, i);

      if (c->arrival >= since)
        g_array_append_vals (samples, c->samples, G_N_ELEMENTS (c->samples));
    }
  g_mutex_unlock (&self->lock);
  return samples;
}
