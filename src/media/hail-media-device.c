/* hail-media-device.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One audio input or output as the device monitor sees it.
 */
#include "config.h"

#include "hail-media-device.h"

#include "hail-media-enums.h"
#include "hail-media-error.h"
#include "hail-media-private.h"

#include <gst/base/gstbasesink.h>

enum {
  PROP_0,
  PROP_NAME,
  PROP_ID,
  PROP_KIND,
  PROP_IS_DEFAULT,
  N_PROPS
};

struct _HailMediaDevice {
  GObject parent_instance;

  /* owned */
  GstDevice *device;
  char      *name;
  char      *id;

  /* state */
  HailMediaDeviceKind kind;
  gboolean            is_default;
};

G_DEFINE_FINAL_TYPE (HailMediaDevice, hail_media_device, G_TYPE_OBJECT)

/* The element a bin captures from or plays to, kept on the bin so that a
 * running call can move it to another device. */
#define DEVICE_ELEMENT_KEY "hail-device-element"

static GParamSpec *properties[N_PROPS];

/* A stable identifier to store in settings: PulseAudio's device name when
 * the provider exposes one (it survives restarts), else the display name. */
static char *
make_id (GstDevice *device)
{
  g_autofree char *internal = NULL;
  g_autoptr(GstStructure) props = gst_device_get_properties (device);
  const char *name = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (device), "internal-name") != NULL)
    {
      g_object_get (device, "internal-name", &internal, NULL);
      if (internal != NULL && *internal != '\0')
        return g_steal_pointer (&internal);
    }
  if (props != NULL && (name = gst_structure_get_string (props, "device.name")) != NULL)
    return g_strdup (name);
  return gst_device_get_display_name (device);
}

static void
hail_media_device_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HailMediaDevice *self = HAIL_MEDIA_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_media_device_finalize (GObject *object)
{
  HailMediaDevice *self = HAIL_MEDIA_DEVICE (object);

  g_clear_object (&self->device);
  g_free (self->name);
  g_free (self->id);

  G_OBJECT_CLASS (hail_media_device_parent_class)->finalize (object);
}

static void
hail_media_device_class_init (HailMediaDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_media_device_get_property;
  object_class->finalize = hail_media_device_finalize;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, HAIL_TYPE_MEDIA_DEVICE_KIND,
                       HAIL_MEDIA_DEVICE_KIND_INPUT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_media_device_init (HailMediaDevice *self)
{
}

HailMediaDevice *
_hail_media_device_new (GstDevice *device,
                        gboolean   is_default)
{
  HailMediaDevice *self = g_object_new (HAIL_TYPE_MEDIA_DEVICE, NULL);

  self->device = g_object_ref (device);
  self->name = gst_device_get_display_name (device);
  self->id = make_id (device);
  self->kind = gst_device_has_classes (device, "Source")
               ? HAIL_MEDIA_DEVICE_KIND_INPUT : HAIL_MEDIA_DEVICE_KIND_OUTPUT;
  self->is_default = !!is_default;
  return self;
}

GstDevice *
_hail_media_device_get_gst_device (HailMediaDevice *self)
{
  return self->device;
}

/* Tells the sound server that the stream is a call: PulseAudio's policy
 * modules (ducking music, switching a headset to its headset profile) and
 * the sound settings know calls by this role. */
static void
set_phone_role (GstElement *element)
{
  g_autoptr(GstStructure) props = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "stream-properties") == NULL)
    return;
  props = gst_structure_new ("props", "media.role", G_TYPE_STRING, "phone", NULL);
  g_object_set (element, "stream-properties", props, NULL);
}

/* Adds to @bin the element that captures from or plays to @self, or, when
 * @self is NULL, the sound server's default one made by @fallback. The
 * return is borrowed (the bin owns it). */
GstElement *
_hail_media_device_add_element (HailMediaDevice  *self,
                                GstBin           *bin,
                                const char       *fallback,
                                GError          **error)
{
  GstElement *element;

  if (self == NULL)
    {
      if ((element = _hail_media_gst_add (bin, fallback, NULL, error)) == NULL)
        return NULL;
    }
  else
    {
      element = gst_device_create_element (self->device, NULL);
      if (element == NULL)
        {
          g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_DEVICE,
                       "Cannot open the %s device “%s”",
                       self->kind == HAIL_MEDIA_DEVICE_KIND_INPUT ? "input" : "output",
                       hail_media_device_get_name (self));
          return NULL;
        }
      gst_bin_add (bin, element);
    }
  set_phone_role (element);
  g_object_set_data (G_OBJECT (bin), DEVICE_ELEMENT_KEY, element);
  return element;
}

/* The element _hail_media_device_add_element() last added to @bin, or
 * NULL. Borrowed. */
static GstElement *
get_element (GstElement *bin)
{
  return g_object_get_data (G_OBJECT (bin), DEVICE_ELEMENT_KEY);
}

typedef struct {
  GstElement *bin;
  GstElement *old;
  GstElement *new;
  int         done;
} Swap;

static void
swap_free (gpointer data)
{
  Swap *swap = data;

  gst_object_unref (swap->bin);
  gst_object_unref (swap->old);
  gst_object_unref (swap->new);
  g_free (swap);
}

/* Main or streaming thread: runs when no buffer is on its way through
 * @pad, so the old sink can go while nothing is pushed into it. */
static GstPadProbeReturn
swap_cb (GstPad          *pad,
         GstPadProbeInfo *info,
         gpointer         user_data)
{
  Swap *swap = user_data;
  g_autoptr(GstPad) old_pad = gst_element_get_static_pad (swap->old, "sink");
  g_autoptr(GstPad) new_pad = gst_element_get_static_pad (swap->new, "sink");
  GstClockTime latency = GST_CLOCK_TIME_NONE;
  GstPadLinkReturn linked;

  /* An idle probe may fire again before its removal takes effect. */
  if (g_atomic_int_exchange (&swap->done, TRUE))
    return GST_PAD_PROBE_REMOVE;
  if (GST_IS_BASE_SINK (swap->old) && GST_IS_BASE_SINK (swap->new))
    latency = gst_base_sink_get_latency (GST_BASE_SINK (swap->old));
  gst_pad_unlink (pad, old_pad);
  gst_element_set_state (swap->old, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (swap->bin), swap->old);
  if ((linked = gst_pad_link (pad, new_pad)) != GST_PAD_LINK_OK)
    g_debug ("Cannot link the new output: %s", gst_pad_link_get_name (linked));
  gst_element_sync_state_with_parent (swap->new);
  /* The new sink plays at the pipeline's latency from its first buffer,
   * not once the bus watch has redistributed it: meanwhile it dropped the
   * queued audio as late and started a whole latency ahead of its device
   * (bench-speaker-switch: 0.35 s to the first sound with the main
   * thread busy for 50 ms, 0.14 s with this). Sent after the state
   * change, which resets it; the probe holds the data until we return. */
  if (GST_CLOCK_TIME_IS_VALID (latency))
    gst_element_send_event (swap->new, gst_event_new_latency (latency));
  return GST_PAD_PROBE_REMOVE;
}

static gboolean
collect_sticky_cb (GstPad    *pad,
                   GstEvent **event,
                   gpointer   user_data)
{
  g_ptr_array_add (user_data, gst_event_ref (*event));
  return TRUE;
}

/* Starts @new as @old runs, before the swap: in PLAYING, with @old's
 * stream-start, caps and segment, so that a pulsesink has its PulseAudio
 * stream before the first buffer. Unnegotiated, it failed the latency
 * query of the recalculation its state change brings, and the pipeline
 * then gave every sink a latency of 0 (seen in the app 1 ms after the
 * swap, undoing the one swap_cb() gives). Upstream sends the same events
 * again once linked; equal caps leave the stream as it is. */
static void
prepare_sink (GstElement *old,
              GstElement *new)
{
  g_autoptr(GstPad) old_pad = gst_element_get_static_pad (old, "sink");
  g_autoptr(GstPad) new_pad = gst_element_get_static_pad (new, "sink");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_event_unref);

  gst_element_sync_state_with_parent (new);
  /* Collected first: the old pad stays locked while it lists them. */
  gst_pad_sticky_events_foreach (old_pad, collect_sticky_cb, events);
  for (guint i = 0; i < events->len; i++)
    {
      GstEvent *event = g_ptr_array_index (events, i);

      if (GST_EVENT_TYPE (event) != GST_EVENT_EOS
          && !gst_pad_send_event (new_pad, gst_event_ref (event)))
        g_debug ("The new output refused the %s event", GST_EVENT_TYPE_NAME (event));
    }
}

/* Makes the running @bin (built with _hail_media_device_add_element() for
 * a sink) play to @self, or to @fallback's default, with a new element in
 * place of the old one: the rest of the pipeline runs on, so the call
 * loses a few milliseconds of audio and the peer sees nothing. A new
 * element rather than PulseAudio moving the stream: a moved pulsesink
 * stayed silent for seconds while its clock slaving caught up (about 10 s
 * on the microphone's clock, 0.65 s on the system clock, null sinks).
 * FALSE, with nothing changed, while a previous switch is still pending
 * or when the device cannot be opened: the caller rebuilds. */
gboolean
_hail_media_device_swap_sink (HailMediaDevice *self,
                              GstElement      *bin,
                              const char      *fallback)
{
  GstElement *old = get_element (bin);
  g_autoptr(GstPad) old_pad = old != NULL ? gst_element_get_static_pad (old, "sink") : NULL;
  g_autoptr(GstPad) upstream = old_pad != NULL ? gst_pad_get_peer (old_pad) : NULL;
  g_autoptr(GError) error = NULL;
  GstElement *new;
  Swap *swap;

  if (upstream == NULL)
    return FALSE;
  if ((new = _hail_media_device_add_element (self, GST_BIN (bin), fallback, &error)) == NULL)
    {
      g_debug ("Cannot switch the output: %s", error->message);
      return FALSE;
    }
  /* A call's audio is live: never hold the pipeline's state change. */
  g_object_set (new, "async", FALSE, NULL);
  prepare_sink (old, new);

  swap = g_new0 (Swap, 1);
  swap->bin = gst_object_ref (bin);
  swap->old = gst_object_ref (old);
  swap->new = gst_object_ref (new);
  gst_pad_add_probe (upstream, GST_PAD_PROBE_TYPE_IDLE, swap_cb, swap, swap_free);
  return TRUE;
}

/* Moves the live stream of @bin (made with _hail_media_device_add_element())
 * to @self without stopping it: PulseAudio moves the stream on the server,
 * so the call loses no audio and the peer sees no new SSRC. Returns FALSE
 * when the element cannot change device while playing (another sound
 * server, or the default device asked for): the caller rebuilds instead. */
gboolean
_hail_media_device_move (HailMediaDevice *self,
                         GstElement      *bin)
{
  GstElement *element;

  if (self == NULL || bin == NULL)
    return FALSE;
  element = get_element (bin);
  return element != NULL && gst_device_reconfigure_element (self->device, element);
}

/**
 * hail_media_device_get_name:
 *
 * Returns: (transfer none): the name to show, as the sound server gives it.
 */
const char *
hail_media_device_get_name (HailMediaDevice *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICE (self), NULL);

  return self->name;
}

/**
 * hail_media_device_get_id:
 *
 * Returns: (transfer none): a stable identifier to store in settings.
 */
const char *
hail_media_device_get_id (HailMediaDevice *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICE (self), NULL);

  return self->id;
}

HailMediaDeviceKind
hail_media_device_get_kind (HailMediaDevice *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICE (self), HAIL_MEDIA_DEVICE_KIND_INPUT);

  return self->kind;
}

gboolean
hail_media_device_get_is_default (HailMediaDevice *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICE (self), FALSE);

  return self->is_default;
}
