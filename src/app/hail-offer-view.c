/* hail-offer-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-offer-view.h"

#include <glib/gi18n.h>

G_DEFINE_INTERFACE (HailOfferView, hail_offer_view, G_TYPE_OBJECT)

static void
hail_offer_view_default_init (HailOfferViewInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("remote", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_string ("file-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("decided", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

void
hail_offer_view_override_properties (GObjectClass *klass,
                                     guint         first_prop)
{
  static const char *names[] = {
    "id", "remote", "display-name", "file-name", "size", "decided",
  };

  g_return_if_fail (G_IS_OBJECT_CLASS (klass));
  g_return_if_fail (first_prop > 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_class_override_property (klass, first_prop + i, names[i]);
}

char *
hail_offer_view_dup_id (HailOfferView *self)
{
  char *id = NULL;

  g_return_val_if_fail (HAIL_IS_OFFER_VIEW (self), NULL);

  g_object_get (self, "id", &id, NULL);
  return id != NULL ? id : g_strdup ("");
}

char *
hail_offer_view_dup_remote (HailOfferView *self)
{
  char *remote = NULL;

  g_return_val_if_fail (HAIL_IS_OFFER_VIEW (self), NULL);

  g_object_get (self, "remote", &remote, NULL);
  return remote != NULL ? remote : g_strdup ("");
}

gboolean
hail_offer_view_is_decided (HailOfferView *self)
{
  gboolean decided = TRUE;

  g_return_val_if_fail (HAIL_IS_OFFER_VIEW (self), TRUE);

  g_object_get (self, "decided", &decided, NULL);
  return decided;
}

char *
hail_offer_view_dup_question (HailOfferView *self)
{
  g_autofree char *name = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *size_text = NULL;
  guint64 size = 0;

  g_return_val_if_fail (HAIL_IS_OFFER_VIEW (self), NULL);

  g_object_get (self, "display-name", &name, "file-name", &file_name, "size", &size, NULL);
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = hail_offer_view_dup_remote (self);
    }
  if (file_name == NULL)
    /* Translators: %s is who asks, e.g. "Bob" or "sip:bob@example.com" */
    return g_strdup_printf (_("%s wants to start a chat session"), name);
  if (size == 0)
    /* Translators: who asks, then the file's name: "Bob wants to send you report.pdf" */
    return g_strdup_printf (_("%s wants to send you %s"), name, file_name);
  size_text = g_format_size (size);
  /* Translators: who asks, the file's name and its size:
   * "Bob wants to send you report.pdf (2.3 MB)" */
  return g_strdup_printf (_("%s wants to send you %s (%s)"), name, file_name, size_text);
}

void
hail_offer_view_accept (HailOfferView *self)
{
  g_return_if_fail (HAIL_IS_OFFER_VIEW (self));

  HAIL_OFFER_VIEW_GET_IFACE (self)->accept (self);
}

void
hail_offer_view_decline (HailOfferView *self)
{
  g_return_if_fail (HAIL_IS_OFFER_VIEW (self));

  HAIL_OFFER_VIEW_GET_IFACE (self)->decline (self);
}
