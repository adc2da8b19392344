/* hail-store-contact.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HAIL_TYPE_STORE_CONTACT (hail_store_contact_get_type ())
G_DECLARE_FINAL_TYPE (HailStoreContact, hail_store_contact, HAIL, STORE_CONTACT, GObject)

gint64              hail_store_contact_get_id            (HailStoreContact *self);
const char         *hail_store_contact_get_name          (HailStoreContact *self);
const char * const *hail_store_contact_get_sip_addresses (HailStoreContact *self);
const char * const *hail_store_contact_get_phone_numbers (HailStoreContact *self);
const char         *hail_store_contact_get_avatar_path   (HailStoreContact *self);

G_END_DECLS
