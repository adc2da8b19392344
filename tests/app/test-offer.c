/* test-offer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-offer.h"

static void test_offer_iface_init (HailOfferViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestOffer, test_offer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_OFFER_VIEW,
                                                      test_offer_iface_init))

static void
test_offer_accept (HailOfferView *view)
{
  test_offer_decide (TEST_OFFER (view), TEST_OFFER_ACCEPTED);
}

static void
test_offer_decline (HailOfferView *view)
{
  test_offer_decide (TEST_OFFER (view), TEST_OFFER_DECLINED);
}

static void
test_offer_iface_init (HailOfferViewInterface *iface)
{
  iface->accept = test_offer_accept;
  iface->decline = test_offer_decline;
}

static void
test_offer_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TestOffer *self = TEST_OFFER (object);

  switch (prop_id - 1)
    {
    case HAIL_OFFER_VIEW_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case HAIL_OFFER_VIEW_PROP_REMOTE:
      g_value_set_string (value, self->remote);
      break;
    case HAIL_OFFER_VIEW_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case HAIL_OFFER_VIEW_PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    case HAIL_OFFER_VIEW_PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case HAIL_OFFER_VIEW_PROP_DECIDED:
      g_value_set_boolean (value, self->answer != TEST_OFFER_OPEN);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_offer_finalize (GObject *object)
{
  TestOffer *self = TEST_OFFER (object);

  g_free (self->id);
  g_free (self->remote);
  g_free (self->display_name);
  g_free (self->file_name);

  G_OBJECT_CLASS (test_offer_parent_class)->finalize (object);
}

static void
test_offer_class_init (TestOfferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_offer_get_property;
  object_class->finalize = test_offer_finalize;
  /* Ids from 1: 0 is not a property id. */
  hail_offer_view_override_properties (object_class, 1);
}

static void
test_offer_init (TestOffer *self)
{
}

TestOffer *
test_offer_new (const char *id,
                const char *remote,
                const char *display_name,
                const char *file_name,
                guint64     size)
{
  TestOffer *self = g_object_new (TEST_TYPE_OFFER, NULL);

  self->id = g_strdup (id);
  self->remote = g_strdup (remote);
  self->display_name = g_strdup (display_name);
  self->file_name = g_strdup (file_name);
  self->size = size;
  return self;
}

/* Only the first answer counts, as the contract says. */
void
test_offer_decide (TestOffer       *self,
                   TestOfferAnswer  answer)
{
  if (self->answer != TEST_OFFER_OPEN)
    return;
  self->answer = answer;
  g_object_notify (G_OBJECT (self), "decided");
}
