/* hail-call-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-call-view.h"

#include <string.h>

G_DEFINE_INTERFACE (HailCallView, hail_call_view, G_TYPE_OBJECT)

GType
hail_call_view_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { HAIL_CALL_VIEW_STATE_INCOMING, "HAIL_CALL_VIEW_STATE_INCOMING", "incoming" },
        { HAIL_CALL_VIEW_STATE_DIALING, "HAIL_CALL_VIEW_STATE_DIALING", "dialing" },
        { HAIL_CALL_VIEW_STATE_RINGING, "HAIL_CALL_VIEW_STATE_RINGING", "ringing" },
        { HAIL_CALL_VIEW_STATE_ACTIVE, "HAIL_CALL_VIEW_STATE_ACTIVE", "active" },
        { HAIL_CALL_VIEW_STATE_ENDED, "HAIL_CALL_VIEW_STATE_ENDED", "ended" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("HailCallViewState"), values);

      g_once_init_leave (&type_id, id);
    }
  return type_id;
}

static void
hail_call_view_default_init (HailCallViewInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("peer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("peer-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_CALL_VIEW_STATE,
                       HAIL_CALL_VIEW_STATE_DIALING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_uint ("duration", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("held", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_double ("input-level", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_double ("output-level", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("input-device", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("output-device", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("end-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

/* The notification actions name a call by its id. */
char *
hail_call_view_dup_id (HailCallView *self)
{
  char *id = NULL;

  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), NULL);

  g_object_get (self, "id", &id, NULL);
  return id != NULL ? id : g_strdup ("");
}

HailCallViewState
hail_call_view_get_state (HailCallView *self)
{
  HailCallViewState state;

  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), HAIL_CALL_VIEW_STATE_ENDED);

  g_object_get (self, "state", &state, NULL);
  return state;
}

char *
hail_call_view_dup_peer (HailCallView *self)
{
  char *peer = NULL;

  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), NULL);

  g_object_get (self, "peer", &peer, NULL);
  return peer;
}

/* The peer's name when known, else its address. */
char *
hail_call_view_dup_display_name (HailCallView *self)
{
  char *name = NULL;

  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), NULL);

  g_object_get (self, "peer-name", &name, NULL);
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = hail_call_view_dup_peer (self);
    }
  return name != NULL ? name : g_strdup ("");
}

gboolean
hail_call_view_answer (HailCallView  *self,
                       GError       **error)
{
  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HAIL_CALL_VIEW_GET_IFACE (self)->answer (self, error);
}

gboolean
hail_call_view_hang_up (HailCallView  *self,
                        GError       **error)
{
  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HAIL_CALL_VIEW_GET_IFACE (self)->hang_up (self, error);
}

gboolean
hail_call_view_refuse_busy (HailCallView  *self,
                            GError       **error)
{
  HailCallViewInterface *iface;

  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = HAIL_CALL_VIEW_GET_IFACE (self);
  if (iface->refuse_busy == NULL)
    return iface->hang_up (self, error);
  return iface->refuse_busy (self, error);
}

gboolean
hail_call_view_send_dtmf (HailCallView  *self,
                          char           digit,
                          GError       **error)
{
  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), FALSE);
  g_return_val_if_fail (digit != '\0' && strchr ("0123456789*#ABCD", digit) != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HAIL_CALL_VIEW_GET_IFACE (self)->send_dtmf (self, digit, error);
}

/* "1:05" or "1:02:05": the call window's and the history's duration. */
char *
hail_call_view_format_duration (guint seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  return g_strdup_printf ("%u:%02u", seconds / 60, seconds % 60);
}
