/* hail-media-devices.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audio inputs and outputs, as two list models kept up to date by a
 * GstDeviceMonitor whose bus messages arrive on our main context.
 */
#include "config.h"

#include "hail-media-devices.h"

#include "hail-media-error.h"
#include "hail-media-private.h"

enum {
  PROP_0,
  PROP_INPUTS,
  PROP_OUTPUTS,
  N_PROPS
};

struct _HailMediaDevices {
  GObject parent_instance;

  /* owned */
  GstDeviceMonitor *monitor;
  GListStore       *inputs;
  GListStore       *outputs;
  GSource          *bus_watch;
};

G_DEFINE_FINAL_TYPE (HailMediaDevices, hail_media_devices, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static gboolean
device_is_default (GstDevice *device)
{
  g_autoptr(GstStructure) props = gst_device_get_properties (device);
  gboolean is_default = FALSE;

  /* The PulseAudio provider marks the server's default source and sink. */
  if (props != NULL)
    gst_structure_get_boolean (props, "is-default", &is_default);
  return is_default;
}

static GListStore *
store_for (HailMediaDevices *self,
           GstDevice        *device)
{
  return gst_device_has_classes (device, "Source") ? self->inputs : self->outputs;
}

static gboolean
find_device (GListStore *store,
             GstDevice  *device,
             guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailMediaDevice) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (_hail_media_device_get_gst_device (item) == device)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
add_device (HailMediaDevices *self,
            GstDevice        *device)
{
  g_autoptr(HailMediaDevice) item = NULL;
  GListStore *store = store_for (self, device);
  guint position;

  if (find_device (store, device, &position))
    return;
  item = _hail_media_device_new (device, device_is_default (device));
  g_debug ("Audio device added: %s (%s)", hail_media_device_get_name (item),
           hail_media_device_get_id (item));
  g_list_store_append (store, item);
}

static void
remove_device (HailMediaDevices *self,
               GstDevice        *device)
{
  GListStore *store = store_for (self, device);
  guint position;

  if (find_device (store, device, &position))
    g_list_store_remove (store, position);
}

static void
change_device (HailMediaDevices *self,
               GstDevice        *device,
               GstDevice        *old)
{
  GListStore *store = store_for (self, device);
  guint position;

  if (find_device (store, old, &position))
    {
      g_autoptr(HailMediaDevice) item = _hail_media_device_new (device, device_is_default (device));

      g_list_store_splice (store, position, 1, (gpointer *) &item, 1);
    }
  else
    add_device (self, device);
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  HailMediaDevices *self = user_data;
  g_autoptr(GstDevice) device = NULL;
  g_autoptr(GstDevice) old = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      add_device (self, device);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      remove_device (self, device);
      break;
    case GST_MESSAGE_DEVICE_CHANGED:
      gst_message_parse_device_changed (message, &device, &old);
      change_device (self, device, old);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
hail_media_devices_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HailMediaDevices *self = HAIL_MEDIA_DEVICES (object);

  switch (prop_id)
    {
    case PROP_INPUTS:
      g_value_set_object (value, self->inputs);
      break;
    case PROP_OUTPUTS:
      g_value_set_object (value, self->outputs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_media_devices_dispose (GObject *object)
{
  HailMediaDevices *self = HAIL_MEDIA_DEVICES (object);

  hail_media_devices_stop (self);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (hail_media_devices_parent_class)->dispose (object);
}

static void
hail_media_devices_finalize (GObject *object)
{
  HailMediaDevices *self = HAIL_MEDIA_DEVICES (object);

  g_clear_object (&self->inputs);
  g_clear_object (&self->outputs);

  G_OBJECT_CLASS (hail_media_devices_parent_class)->finalize (object);
}

static void
hail_media_devices_class_init (HailMediaDevicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_media_devices_get_property;
  object_class->dispose = hail_media_devices_dispose;
  object_class->finalize = hail_media_devices_finalize;

  properties[PROP_INPUTS] =
    g_param_spec_object ("inputs", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTPUTS] =
    g_param_spec_object ("outputs", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

static void
hail_media_devices_init (HailMediaDevices *self)
{
  self->inputs = g_list_store_new (HAIL_TYPE_MEDIA_DEVICE);
  self->outputs = g_list_store_new (HAIL_TYPE_MEDIA_DEVICE);
}

/**
 * hail_media_devices_new:
 *
 * Returns: (transfer full): an idle device list; call start() to fill it.
 */
HailMediaDevices *
hail_media_devices_new (void)
{
  return g_object_new (HAIL_TYPE_MEDIA_DEVICES, NULL);
}

/**
 * hail_media_devices_start:
 *
 * Lists the devices present and follows changes on the thread-default main
 * context. Fails when no device provider could start (no sound server).
 */
gboolean
hail_media_devices_start (HailMediaDevices  *self,
                          GError           **error)
{
  g_autoptr(GstBus) bus = NULL;
  GList *devices;

  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICES (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->bus_watch != NULL)
    return TRUE;
  if (self->monitor == NULL)
    {
      self->monitor = gst_device_monitor_new ();
      gst_device_monitor_add_filter (self->monitor, "Audio/Source", NULL);
      gst_device_monitor_add_filter (self->monitor, "Audio/Sink", NULL);
    }
  bus = gst_device_monitor_get_bus (self->monitor);
  self->bus_watch = _hail_media_gst_watch_bus (bus, bus_cb, self, NULL);

  if (!gst_device_monitor_start (self->monitor))
    {
      hail_media_devices_stop (self);
      g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_DEVICE,
                           "Cannot list audio devices: no sound server answers");
      return FALSE;
    }
  devices = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    add_device (self, l->data);
  g_list_free_full (devices, gst_object_unref);
  return TRUE;
}

/**
 * hail_media_devices_stop:
 *
 * Stops following changes; the lists are emptied.
 */
void
hail_media_devices_stop (HailMediaDevices *self)
{
  g_return_if_fail (HAIL_IS_MEDIA_DEVICES (self));

  if (self->bus_watch == NULL)
    return;
  g_source_destroy (self->bus_watch);
  g_clear_pointer (&self->bus_watch, g_source_unref);
  gst_device_monitor_stop (self->monitor);
  g_list_store_remove_all (self->inputs);
  g_list_store_remove_all (self->outputs);
}

/**
 * hail_media_devices_get_inputs:
 *
 * Returns: (transfer none): a list model of #HailMediaDevice inputs.
 */
GListModel *
hail_media_devices_get_inputs (HailMediaDevices *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICES (self), NULL);

  return G_LIST_MODEL (self->inputs);
}

/**
 * hail_media_devices_get_outputs:
 *
 * Returns: (transfer none): a list model of #HailMediaDevice outputs.
 */
GListModel *
hail_media_devices_get_outputs (HailMediaDevices *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICES (self), NULL);

  return G_LIST_MODEL (self->outputs);
}

/**
 * hail_media_devices_find:
 * @id: an id from hail_media_device_get_id(), e.g. kept in settings
 *
 * Returns: (transfer none) (nullable): the device of that kind and id.
 */
HailMediaDevice *
hail_media_devices_find (HailMediaDevices    *self,
                         HailMediaDeviceKind  kind,
                         const char          *id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (HAIL_IS_MEDIA_DEVICES (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  model = G_LIST_MODEL (kind == HAIL_MEDIA_DEVICE_KIND_INPUT ? self->inputs : self->outputs);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailMediaDevice) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (hail_media_device_get_id (item), id) == 0)
        return item;   /* the store keeps it alive */
    }
  return NULL;
}
