/* hail-transfer-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-transfer-view.h"

#include <glib/gi18n.h>

G_DEFINE_INTERFACE (HailTransferView, hail_transfer_view, G_TYPE_OBJECT)

GType
hail_transfer_view_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { HAIL_TRANSFER_VIEW_STATE_PREPARING, "HAIL_TRANSFER_VIEW_STATE_PREPARING",
          "preparing" },
        { HAIL_TRANSFER_VIEW_STATE_CONNECTING, "HAIL_TRANSFER_VIEW_STATE_CONNECTING",
          "connecting" },
        { HAIL_TRANSFER_VIEW_STATE_ACTIVE, "HAIL_TRANSFER_VIEW_STATE_ACTIVE", "active" },
        { HAIL_TRANSFER_VIEW_STATE_DONE, "HAIL_TRANSFER_VIEW_STATE_DONE", "done" },
        { HAIL_TRANSFER_VIEW_STATE_FAILED, "HAIL_TRANSFER_VIEW_STATE_FAILED", "failed" },
        { HAIL_TRANSFER_VIEW_STATE_DECLINED, "HAIL_TRANSFER_VIEW_STATE_DECLINED", "declined" },
        { HAIL_TRANSFER_VIEW_STATE_CANCELLED, "HAIL_TRANSFER_VIEW_STATE_CANCELLED",
          "cancelled" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("HailTransferViewState"),
                                         values);

      g_once_init_leave (&type_id, id);
    }
  return type_id;
}

static void
hail_transfer_view_default_init (HailTransferViewInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("remote", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_uint64 ("done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_TRANSFER_VIEW_STATE,
                       HAIL_TRANSFER_VIEW_STATE_CONNECTING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("outgoing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("unsupported", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

void
hail_transfer_view_override_properties (GObjectClass *klass,
                                        guint         first_prop)
{
  static const char *names[] = {
    "id", "remote", "name", "size", "done", "state", "reason", "outgoing", "file",
    "unsupported",
  };

  g_return_if_fail (G_IS_OBJECT_CLASS (klass));
  g_return_if_fail (first_prop > 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_class_override_property (klass, first_prop + i, names[i]);
}

/* The chat window finds a stored file message's live transfer by it. */
gint64
hail_transfer_view_get_id (HailTransferView *self)
{
  gint64 id = 0;

  g_return_val_if_fail (HAIL_IS_TRANSFER_VIEW (self), 0);

  g_object_get (self, "id", &id, NULL);
  return id;
}

HailTransferViewState
hail_transfer_view_get_state (HailTransferView *self)
{
  HailTransferViewState state;

  g_return_val_if_fail (HAIL_IS_TRANSFER_VIEW (self), HAIL_TRANSFER_VIEW_STATE_FAILED);

  g_object_get (self, "state", &state, NULL);
  return state;
}

gboolean
hail_transfer_view_is_outgoing (HailTransferView *self)
{
  gboolean outgoing = FALSE;

  g_return_val_if_fail (HAIL_IS_TRANSFER_VIEW (self), FALSE);

  g_object_get (self, "outgoing", &outgoing, NULL);
  return outgoing;
}

char *
hail_transfer_view_dup_remote (HailTransferView *self)
{
  char *remote = NULL;

  g_return_val_if_fail (HAIL_IS_TRANSFER_VIEW (self), NULL);

  g_object_get (self, "remote", &remote, NULL);
  return remote;
}

char *
hail_transfer_view_dup_name (HailTransferView *self)
{
  char *name = NULL;

  g_return_val_if_fail (HAIL_IS_TRANSFER_VIEW (self), NULL);

  g_object_get (self, "name", &name, NULL);
  return name != NULL ? name : g_strdup ("");
}

GFile *
hail_transfer_view_dup_file (HailTransferView *self)
{
  GFile *file = NULL;

  g_return_val_if_fail (HAIL_IS_TRANSFER_VIEW (self), NULL);

  g_object_get (self, "file", &file, NULL);
  return file;
}

void
hail_transfer_view_cancel (HailTransferView *self)
{
  g_return_if_fail (HAIL_IS_TRANSFER_VIEW (self));

  HAIL_TRANSFER_VIEW_GET_IFACE (self)->cancel (self);
}

void
hail_transfer_view_retry_async (HailTransferView    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_TRANSFER_VIEW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HAIL_TRANSFER_VIEW_GET_IFACE (self)->retry_async (self, cancellable, callback, user_data);
}

gboolean
hail_transfer_view_retry_finish (HailTransferView  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (HAIL_IS_TRANSFER_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HAIL_TRANSFER_VIEW_GET_IFACE (self)->retry_finish (self, result, error);
}

char *
hail_transfer_view_format_progress (guint64 done,
                                    guint64 size)
{
  g_autofree char *done_text = g_format_size (done);
  g_autofree char *size_text = NULL;

  if (size == 0)
    return g_steal_pointer (&done_text);
  size_text = g_format_size (size);
  /* Translators: bytes of a file moved so far, e.g. "1.2 MB of 5.0 MB" */
  return g_strdup_printf (_("%s of %s"), done_text, size_text);
}
