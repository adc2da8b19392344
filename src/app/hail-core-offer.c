/* hail-core-offer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-core-offer.h"

struct _HailCoreOffer {
  GObject parent_instance;

  /* owned references */
  HailChatOffer *offer;
  char *id;
};

static void hail_core_offer_iface_init (HailOfferViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailCoreOffer, hail_core_offer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_OFFER_VIEW,
                                                      hail_core_offer_iface_init))

static void
hail_core_offer_accept (HailOfferView *view)
{
  hail_chat_offer_accept (HAIL_CORE_OFFER (view)->offer);
}

static void
hail_core_offer_decline (HailOfferView *view)
{
  hail_chat_offer_decline (HAIL_CORE_OFFER (view)->offer);
}

static void
hail_core_offer_iface_init (HailOfferViewInterface *iface)
{
  iface->accept = hail_core_offer_accept;
  iface->decline = hail_core_offer_decline;
}

static void
decided_cb (HailCoreOffer *self)
{
  g_object_notify (G_OBJECT (self), "decided");
}

static void
hail_core_offer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HailCoreOffer *self = HAIL_CORE_OFFER (object);

  switch (prop_id - 1)
    {
    case HAIL_OFFER_VIEW_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case HAIL_OFFER_VIEW_PROP_REMOTE:
      g_value_set_string (value, hail_chat_offer_get_remote (self->offer));
      break;
    case HAIL_OFFER_VIEW_PROP_DISPLAY_NAME:
      g_value_set_string (value, hail_chat_offer_get_display_name (self->offer));
      break;
    case HAIL_OFFER_VIEW_PROP_FILE_NAME:
      g_value_set_string (value, hail_chat_offer_is_file (self->offer)
                                 ? hail_chat_offer_get_file_name (self->offer) : NULL);
      break;
    case HAIL_OFFER_VIEW_PROP_SIZE:
      g_value_set_uint64 (value, hail_chat_offer_get_file_size (self->offer));
      break;
    case HAIL_OFFER_VIEW_PROP_DECIDED:
      g_value_set_boolean (value, hail_chat_offer_get_decided (self->offer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_core_offer_dispose (GObject *object)
{
  HailCoreOffer *self = HAIL_CORE_OFFER (object);

  if (self->offer != NULL)
    g_signal_handlers_disconnect_by_data (self->offer, self);
  g_clear_object (&self->offer);

  G_OBJECT_CLASS (hail_core_offer_parent_class)->dispose (object);
}

static void
hail_core_offer_finalize (GObject *object)
{
  HailCoreOffer *self = HAIL_CORE_OFFER (object);

  g_free (self->id);

  G_OBJECT_CLASS (hail_core_offer_parent_class)->finalize (object);
}

static void
hail_core_offer_class_init (HailCoreOfferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_core_offer_get_property;
  object_class->dispose = hail_core_offer_dispose;
  object_class->finalize = hail_core_offer_finalize;
  /* Ids from 1: 0 is not a property id. */
  hail_offer_view_override_properties (object_class, 1);
}

static void
hail_core_offer_init (HailCoreOffer *self)
{
}

HailCoreOffer *
hail_core_offer_new (HailChatOffer *offer)
{
  static guint serial;
  HailCoreOffer *self;

  g_return_val_if_fail (HAIL_IS_CHAT_OFFER (offer), NULL);

  self = g_object_new (HAIL_TYPE_CORE_OFFER, NULL);
  self->offer = g_object_ref (offer);
  self->id = g_strdup_printf ("offer-%u", ++serial);
  g_signal_connect_swapped (offer, "notify::decided", G_CALLBACK (decided_cb), self);
  return self;
}
