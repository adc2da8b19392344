/* hail-media-gst.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small GStreamer helpers shared by the media layer.
 */
#include "config.h"

#include "hail-media-error.h"
#include "hail-media-private.h"

#include <gst/audio/audio.h>
#include <math.h>

/* Creates an element, or says which plugin package is missing. The element
 * is returned floating, ready for gst_bin_add(). */
GstElement *
_hail_media_gst_make (const char  *factory,
                      const char  *name,
                      GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_MISSING_ELEMENT,
                 "The GStreamer element “%s” is not installed", factory);
  return element;
}

/* Watches @bus on @context (NULL for the thread-default one): the way
 * every GStreamer result reaches Hail objects. Returns the attached source,
 * to be destroyed and unreffed by the caller. */
GSource *
_hail_media_gst_watch_bus (GstBus       *bus,
                           GstBusFunc    func,
                           gpointer      user_data,
                           GMainContext *context)
{
  GSource *source = gst_bus_create_watch (bus);

  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) func, user_data, NULL);
  g_source_attach (source, context != NULL ? context : g_main_context_get_thread_default ());
  return source;
}

/* The one raw format inside Hail's pipelines: mono 16-bit at @rate. */
GstCaps *
_hail_media_gst_raw_caps (guint rate)
{
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, GST_AUDIO_NE (S16),
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, (int) rate,
                              "channels", G_TYPE_INT, 1,
                              NULL);
}

/* Creates an element inside @bin, which owns it; the return is borrowed. */
GstElement *
_hail_media_gst_add (GstBin      *bin,
                     const char  *factory,
                     const char  *name,
                     GError     **error)
{
  GstElement *element = _hail_media_gst_make (factory, name, error);

  if (element != NULL)
    gst_bin_add (bin, element);
  return element;
}

/* Links @first, then every further element up to a %NULL, in a chain. */
gboolean
_hail_media_gst_link_chain (GError     **error,
                            GstElement  *first,
                            ...)
{
  GstElement *prev = first;
  GstElement *next;
  va_list args;
  gboolean ok = TRUE;

  va_start (args, first);
  while (ok && (next = va_arg (args, GstElement *)) != NULL)
    {
      if (!gst_element_link (prev, next))
        {
          g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_PIPELINE,
                       "Cannot link %s to %s", GST_ELEMENT_NAME (prev), GST_ELEMENT_NAME (next));
          ok = FALSE;
        }
      prev = next;
    }
  va_end (args);
  return ok;
}

/* Gives @bin a ghost pad named @name for @element's static pad @pad_name. */
void
_hail_media_gst_ghost (GstElement *bin,
                       const char *name,
                       GstElement *element,
                       const char *pad_name)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, pad_name);

  g_assert (pad != NULL);
  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
}

/* The level element reports RMS in dB per channel; we show a linear 0-1
 * amplitude of the first (only) channel. */
gboolean
_hail_media_gst_parse_level (const GstStructure *s,
                             double             *level)
{
  const GValue *rms = gst_structure_get_value (s, "rms");
  const GValue *first = NULL;
  double db;

  if (rms == NULL)
    return FALSE;
  /* level still reports a GValueArray, deprecated in GLib but its API. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (G_VALUE_HOLDS_BOXED (rms))
    {
      const GValueArray *array = g_value_get_boxed (rms);

      if (array != NULL && array->n_values > 0)
        first = &array->values[0];
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (first == NULL || !G_VALUE_HOLDS_DOUBLE (first))
    return FALSE;
  db = g_value_get_double (first);
  *level = isfinite (db) ? CLAMP (pow (10.0, db / 20.0), 0.0, 1.0) : 0.0;
  return TRUE;
}
