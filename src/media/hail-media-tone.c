/* hail-media-tone.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ring-back and ring tones, generated once into memory and looped.
 */
#include "config.h"

#include "hail-media-tone.h"

#include "hail-media-enums.h"
#include "hail-media-error.h"
#include "hail-media-private.h"

#include <math.h>

/* Fades at each note's ends keep the tones free of clicks. */
#define FADE_MS 10

enum {
  PROP_0,
  PROP_KIND,
  PROP_SINK,
  PROP_PLAYING,
  N_PROPS
};

struct _HailMediaTone {
  GObject parent_instance;

  /* owned */
  HailMediaSink *sink;
  GstElement    *pipeline;
  GstElement    *sink_bin;    /* borrowed from pipeline */
  GSource       *bus_watch;

  /* state */
  HailMediaToneKind kind;
};

G_DEFINE_FINAL_TYPE (HailMediaTone, hail_media_tone, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

typedef struct {
  double frequency;   /* 0 for a pause */
  guint  ms;
} Note;

static const Note ringback_notes[] = { { 425.0, 1000 }, { 0.0, 4000 } };

/* E5 G5 C6 G5, twice, then a pause: recognisably a phone, not an alarm. */
static const Note ring_notes[] = {
  { 659.25, 150 }, { 783.99, 150 }, { 1046.50, 150 }, { 783.99, 150 }, { 0.0, 100 },
  { 659.25, 150 }, { 783.99, 150 }, { 1046.50, 150 }, { 783.99, 150 }, { 0.0, 2500 },
};

static GBytes *
render (const Note *notes,
        guint       n_notes)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, TRUE, sizeof (gint16));

  for (guint i = 0; i < n_notes; i++)
    {
      guint n = HAIL_MEDIA_TONE_RATE * notes[i].ms / 1000;
      guint fade = HAIL_MEDIA_TONE_RATE * FADE_MS / 1000;
      guint start = samples->len;

      g_array_set_size (samples, start + n);
      if (notes[i].frequency == 0.0)
        continue;
      for (guint s = 0; s < n; s++)
        {
          double envelope = MIN (1.0, MIN ((double) s / fade, (double) (n - s) / fade));
          double value = sin (2.0 * G_PI * notes[i].frequency * s / HAIL_MEDIA_TONE_RATE);

          g_array_index (samples, gint16, start + s) = (gint16) lrint (value * envelope * 12000.0);
        }
    }
  return g_bytes_new (samples->data, samples->len * sizeof (gint16));
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  HailMediaTone *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;
  gst_message_parse_error (message, &error, &debug);
  g_debug ("Tone failed: %s (%s)", error->message, debug != NULL ? debug : "");
  /* A tone is a courtesy: failing to play it stops it, nothing more. */
  hail_media_tone_stop (self);
  return G_SOURCE_REMOVE;
}

static gboolean
build (HailMediaTone  *self,
       GError        **error)
{
  g_autoptr(GBytes) samples = NULL;
  GstElement *src;

  if (self->kind == HAIL_MEDIA_TONE_KIND_RINGBACK)
    samples = render (ringback_notes, G_N_ELEMENTS (ringback_notes));
  else
    samples = render (ring_notes, G_N_ELEMENTS (ring_notes));

  if ((src = _hail_media_pcm_source_new (samples, HAIL_MEDIA_TONE_RATE, TRUE,
                                         HAIL_MEDIA_TONE_RATE, error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), src);
  if ((self->sink_bin = _hail_media_sink_build (self->sink, HAIL_MEDIA_TONE_RATE, NULL,
                                                error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), self->sink_bin);
  return _hail_media_gst_link_chain (error, src, self->sink_bin, NULL);
}

static void
hail_media_tone_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HailMediaTone *self = HAIL_MEDIA_TONE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SINK:
      g_value_set_boxed (value, self->sink);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->pipeline != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_media_tone_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HailMediaTone *self = HAIL_MEDIA_TONE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_SINK:
      self->sink = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_media_tone_dispose (GObject *object)
{
  HailMediaTone *self = HAIL_MEDIA_TONE (object);

  hail_media_tone_stop (self);

  G_OBJECT_CLASS (hail_media_tone_parent_class)->dispose (object);
}

static void
hail_media_tone_finalize (GObject *object)
{
  HailMediaTone *self = HAIL_MEDIA_TONE (object);

  g_clear_pointer (&self->sink, hail_media_sink_unref);

  G_OBJECT_CLASS (hail_media_tone_parent_class)->finalize (object);
}

static void
hail_media_tone_class_init (HailMediaToneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_media_tone_get_property;
  object_class->set_property = hail_media_tone_set_property;
  object_class->dispose = hail_media_tone_dispose;
  object_class->finalize = hail_media_tone_finalize;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, HAIL_TYPE_MEDIA_TONE_KIND,
                       HAIL_MEDIA_TONE_KIND_RINGBACK,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SINK] =
    g_param_spec_boxed ("sink", NULL, NULL, HAIL_TYPE_MEDIA_SINK,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

static void
hail_media_tone_init (HailMediaTone *self)
{
}

/**
 * hail_media_tone_new:
 * @sink: where to play: a device, or a recorder in tests
 *
 * Returns: (transfer full): a stopped tone player.
 */
HailMediaTone *
hail_media_tone_new (HailMediaToneKind  kind,
                     HailMediaSink     *sink)
{
  g_return_val_if_fail (kind == HAIL_MEDIA_TONE_KIND_RINGBACK || kind == HAIL_MEDIA_TONE_KIND_RING,
                        NULL);
  g_return_val_if_fail (sink != NULL, NULL);

  return g_object_new (HAIL_TYPE_MEDIA_TONE, "kind", kind, "sink", sink, NULL);
}

/**
 * hail_media_tone_start:
 *
 * Plays the tone in a loop until stopped.
 */
gboolean
hail_media_tone_start (HailMediaTone  *self,
                       GError        **error)
{
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (HAIL_IS_MEDIA_TONE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->pipeline != NULL)
    return TRUE;
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("hail-tone"));
  if (!build (self, error))
    {
      self->sink_bin = NULL;
      gst_clear_object (&self->pipeline);
      return FALSE;
    }
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = _hail_media_gst_watch_bus (bus, bus_cb, self, NULL);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_DEVICE,
                           "Cannot play the tone: the audio output did not open");
      hail_media_tone_stop (self);
      return FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
  return TRUE;
}

/**
 * hail_media_tone_stop:
 *
 * Stops at once (a recording is finished, bounded).
 */
void
hail_media_tone_stop (HailMediaTone *self)
{
  g_return_if_fail (HAIL_IS_MEDIA_TONE (self));

  if (self->pipeline == NULL)
    return;
  if (self->bus_watch != NULL)
    {
      g_source_destroy (self->bus_watch);
      g_clear_pointer (&self->bus_watch, g_source_unref);
    }
  _hail_media_sink_finish (self->sink_bin, 2000);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  _hail_media_sink_close (self->sink_bin);
  self->sink_bin = NULL;
  gst_clear_object (&self->pipeline);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
hail_media_tone_get_playing (HailMediaTone *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_TONE (self), FALSE);

  return self->pipeline != NULL;
}

HailMediaToneKind
hail_media_tone_get_kind (HailMediaTone *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_TONE (self), HAIL_MEDIA_TONE_KIND_RINGBACK);

  return self->kind;
}
