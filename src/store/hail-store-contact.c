/* hail-store-contact.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-contact.h"

#include "hail-store-private.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SIP_ADDRESSES,
  PROP_PHONE_NUMBERS,
  PROP_AVATAR_PATH,
  N_PROPS
};

/* A snapshot of one contact; every property is construct-only. */
struct _HailStoreContact
{
  GObject parent_instance;

  gint64   id;
  char    *name;
  GStrv    sip_addresses;
  GStrv    phone_numbers;
  char    *avatar_path;
};

G_DEFINE_FINAL_TYPE (HailStoreContact, hail_store_contact, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Where each property lives (hail-store-item.c reads and writes it). */
static const gsize offsets[N_PROPS] = {
  [PROP_ID] = G_STRUCT_OFFSET (HailStoreContact, id),
  [PROP_NAME] = G_STRUCT_OFFSET (HailStoreContact, name),
  [PROP_SIP_ADDRESSES] = G_STRUCT_OFFSET (HailStoreContact, sip_addresses),
  [PROP_PHONE_NUMBERS] = G_STRUCT_OFFSET (HailStoreContact, phone_numbers),
  [PROP_AVATAR_PATH] = G_STRUCT_OFFSET (HailStoreContact, avatar_path),
};

static void
hail_store_contact_constructed (GObject *object)
{
  HailStoreContact *self = HAIL_STORE_CONTACT (object);

  G_OBJECT_CLASS (hail_store_contact_parent_class)->constructed (object);

  /* Callers iterate the lists without a NULL check. */
  if (self->sip_addresses == NULL)
    self->sip_addresses = g_new0 (char *, 1);
  if (self->phone_numbers == NULL)
    self->phone_numbers = g_new0 (char *, 1);
}

static void
hail_store_contact_class_init (HailStoreContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = hail_store_contact_constructed;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, ro);
  /* sip: or sips: URIs, in the order the vCard listed them. */
  properties[PROP_SIP_ADDRESSES] =
    g_param_spec_boxed ("sip-addresses", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_PHONE_NUMBERS] =
    g_param_spec_boxed ("phone-numbers", NULL, NULL, G_TYPE_STRV, ro);
  /* An image file the store owns, or NULL. */
  properties[PROP_AVATAR_PATH] =
    g_param_spec_string ("avatar-path", NULL, NULL, NULL, ro);

  _hail_store_item_class_install (object_class, properties, offsets, N_PROPS);
}

static void
hail_store_contact_init (HailStoreContact *self)
{
}

gint64
hail_store_contact_get_id (HailStoreContact *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_CONTACT (self), 0);
  return self->id;
}

const char *
hail_store_contact_get_name (HailStoreContact *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_CONTACT (self), NULL);
  return self->name;
}

const char * const *
hail_store_contact_get_sip_addresses (HailStoreContact *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_CONTACT (self), NULL);
  return (const char * const *) self->sip_addresses;
}

const char * const *
hail_store_contact_get_phone_numbers (HailStoreContact *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_CONTACT (self), NULL);
  return (const char * const *) self->phone_numbers;
}

const char *
hail_store_contact_get_avatar_path (HailStoreContact *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_CONTACT (self), NULL);
  return self->avatar_path;
}
