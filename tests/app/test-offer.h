/* test-offer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HailOfferView as the core engine gives it: accept and decline record
 * the answer and decide it; test_offer_decide() is the peer cancelling.
 */
#pragma once

#include "hail-offer-view.h"

G_BEGIN_DECLS

#define TEST_TYPE_OFFER (test_offer_get_type ())
G_DECLARE_FINAL_TYPE (TestOffer, test_offer, TEST, OFFER, GObject)

typedef enum {
  TEST_OFFER_OPEN,
  TEST_OFFER_ACCEPTED,
  TEST_OFFER_DECLINED,
  TEST_OFFER_GONE,
} TestOfferAnswer;

struct _TestOffer {
  GObject parent_instance;
  char *id;
  char *remote;
  char *display_name;
  char *file_name;
  guint64 size;
  TestOfferAnswer answer;
};

TestOffer *test_offer_new    (const char      *id,
                              const char      *remote,
                              const char      *display_name,
                              const char      *file_name,
                              guint64          size);
void       test_offer_decide (TestOffer       *self,
                              TestOfferAnswer  answer);

G_END_DECLS
