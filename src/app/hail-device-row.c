/* hail-device-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The combo row shows names; a parallel array holds the ids the settings
 * key stores. Both are rebuilt whenever the device list changes, and the
 * selection follows the key, not the position, since devices move.
 */
#include "config.h"

#include "hail-device-row.h"

#include "hail-media-device.h"

#include <glib/gi18n.h>

/* A device monitor lists what the sound server has; past this many the
 * rest are left out rather than making the list unusable. */
#define MAX_DEVICES 64

struct _HailDeviceRow {
  AdwComboRow parent_instance;

  /* owned references */
  GListModel *devices;
  GSettings *settings;
  GtkStringList *names;
  GPtrArray *ids;                /* char *, parallel to names */
  char *key;

  /* state */
  gboolean rebuilding;
};

G_DEFINE_FINAL_TYPE (HailDeviceRow, hail_device_row, ADW_TYPE_COMBO_ROW)

static guint
position_of (HailDeviceRow *self,
             const char    *id)
{
  for (guint i = 0; i < self->ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->ids, i), id))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
append (HailDeviceRow *self,
        const char    *id,
        const char    *name)
{
  gtk_string_list_append (self->names, name);
  g_ptr_array_add (self->ids, g_strdup (id));
}

static void
rebuild (HailDeviceRow *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, self->key);
  guint n = MIN (g_list_model_get_n_items (self->devices), MAX_DEVICES);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint pos;

  /* Replaced whole: the combo row keeps no stale position meanwhile. */
  self->rebuilding = TRUE;
  g_set_object (&self->names, names);
  g_ptr_array_set_size (self->ids, 0);
  append (self, "", _("Default"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailMediaDevice) device = g_list_model_get_item (self->devices, i);

      append (self, hail_media_device_get_id (device), hail_media_device_get_name (device));
    }
  if (position_of (self, chosen) == GTK_INVALID_LIST_POSITION)
    {
      /* Translators: %s identifies an audio device that is unplugged or off */
      g_autofree char *absent = g_strdup_printf (_("%s (not connected)"), chosen);

      append (self, chosen, absent);
    }
  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (self->names));
  pos = position_of (self, chosen);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self), pos);
  self->rebuilding = FALSE;
}

/* Another window (or a test) changed the key; one's own write is
 * already shown, and rebuilding inside the selection change would pull
 * the model from under it. */
static void
setting_changed_cb (HailDeviceRow *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, self->key);

  if (!g_str_equal (chosen, hail_device_row_get_chosen (self)))
    rebuild (self);
}

static void
selected_cb (HailDeviceRow *self)
{
  guint pos = adw_combo_row_get_selected (ADW_COMBO_ROW (self));

  if (self->rebuilding || self->settings == NULL || pos >= self->ids->len)
    return;
  g_settings_set_string (self->settings, self->key, g_ptr_array_index (self->ids, pos));
}

static void
hail_device_row_dispose (GObject *object)
{
  HailDeviceRow *self = HAIL_DEVICE_ROW (object);

  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  g_clear_object (&self->settings);
  g_clear_object (&self->names);

  G_OBJECT_CLASS (hail_device_row_parent_class)->dispose (object);
}

static void
hail_device_row_finalize (GObject *object)
{
  HailDeviceRow *self = HAIL_DEVICE_ROW (object);

  g_ptr_array_unref (self->ids);
  g_free (self->key);

  G_OBJECT_CLASS (hail_device_row_parent_class)->finalize (object);
}

static void
hail_device_row_class_init (HailDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_device_row_dispose;
  object_class->finalize = hail_device_row_finalize;
}

static void
hail_device_row_init (HailDeviceRow *self)
{
  self->ids = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (self, "notify::selected", G_CALLBACK (selected_cb), NULL);
}

void
hail_device_row_bind (HailDeviceRow *self,
                      GListModel    *devices,
                      GSettings     *settings,
                      const char    *key)
{
  g_autofree char *changed = NULL;

  g_return_if_fail (HAIL_IS_DEVICE_ROW (self));
  g_return_if_fail (G_IS_LIST_MODEL (devices));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (key != NULL);
  g_return_if_fail (self->devices == NULL);

  self->devices = g_object_ref (devices);
  self->settings = g_object_ref (settings);
  self->key = g_strdup (key);
  g_signal_connect_swapped (devices, "items-changed", G_CALLBACK (rebuild), self);
  changed = g_strdup_printf ("changed::%s", key);
  g_signal_connect_object (settings, changed, G_CALLBACK (setting_changed_cb), self,
                           G_CONNECT_SWAPPED);
  rebuild (self);
}

const char *
hail_device_row_get_chosen (HailDeviceRow *self)
{
  guint pos;

  g_return_val_if_fail (HAIL_IS_DEVICE_ROW (self), NULL);

  pos = adw_combo_row_get_selected (ADW_COMBO_ROW (self));
  return pos < self->ids->len ? g_ptr_array_index (self->ids, pos) : "";
}
