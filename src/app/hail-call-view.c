/* hail-call-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-call-view.h"

#include <glib/gi18n.h>

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
  g_signal_new ("quality-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);
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

gboolean
hail_call_view_get_quality (HailCallView    *self,
                            HailCallQuality *quality)
{
  HailCallViewInterface *iface;

  g_return_val_if_fail (HAIL_IS_CALL_VIEW (self), FALSE);
  g_return_val_if_fail (quality != NULL, FALSE);

  memset (quality, 0, sizeof *quality);
  iface = HAIL_CALL_VIEW_GET_IFACE (self);
  if (iface->get_quality == NULL || !iface->get_quality (self, quality))
    {
      memset (quality, 0, sizeof *quality);
      return FALSE;
    }
  return TRUE;
}

char *
hail_call_quality_dup_codec_text (const HailCallQuality *quality)
{
  const char *name;

  g_return_val_if_fail (quality != NULL, NULL);

  switch (quality->codec)
    {
    /* G.711 is 8 kHz by definition: its rate would say nothing. */
    case HAIL_MEDIA_CODEC_PCMU:
      return g_strdup (_("G.711 µ-law"));
    case HAIL_MEDIA_CODEC_PCMA:
      return g_strdup (_("G.711 A-law"));
    case HAIL_MEDIA_CODEC_G722:
      name = "G.722";
      break;
    case HAIL_MEDIA_CODEC_OPUS:
    default:
      name = "Opus";
      break;
    }
  if (quality->rate == 0)
    return g_strdup (name);
  if (quality->rate % 1000 == 0)
    /* Translators: a codec's name and the rate of its audio, e.g. "Opus, 48 kHz" */
    return g_strdup_printf (_("%s, %u kHz"), name, quality->rate / 1000);
  /* Translators: a codec's name and the rate of its audio, e.g. "Opus, 44.1 kHz" */
  return g_strdup_printf (_("%s, %.1f kHz"), name, quality->rate / 1000.0);
}

double
hail_call_quality_percent (guint64 count,
                           guint64 total)
{
  if (total == 0)
    return 0.0;
  return 100.0 * (double) count / (double) total;
}

gboolean
hail_call_quality_loss_between (const HailCallQuality *since,
                                const HailCallQuality *now,
                                double                *percent)
{
  guint64 received;
  guint64 lost;

  g_return_val_if_fail (since != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (percent != NULL, FALSE);

  *percent = 0.0;
  if (now->received < since->received || now->lost < since->lost)
    return FALSE;
  received = now->received - since->received;
  lost = now->lost - since->lost;
  /* A lost packet was never received: count it against all that were due,
   * so that losing everything reads 100 %, not infinity. */
  if (received > G_MAXUINT64 - lost || received + lost < HAIL_CALL_QUALITY_MIN_PACKETS)
    return FALSE;
  *percent = hail_call_quality_percent (lost, received + lost);
  return TRUE;
}

gboolean
hail_call_quality_is_poor (const HailCallQuality *quality,
                           double                 loss_percent)
{
  g_return_val_if_fail (quality != NULL, FALSE);

  if (loss_percent > HAIL_CALL_QUALITY_POOR_LOSS_PERCENT)
    return TRUE;
  return quality->delay_max_ms > 0 && quality->delay_ms >= quality->delay_max_ms;
}
