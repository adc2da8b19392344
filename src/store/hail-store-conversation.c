/* hail-store-conversation.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-conversation.h"

#include "hail-store-private.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT,
  PROP_REMOTE,
  PROP_TITLE,
  PROP_LAST_ACTIVITY,
  PROP_UNREAD_COUNT,
  N_PROPS
};

struct _HailStoreConversation
{
  GObject parent_instance;

  /* Immutable once constructed. */
  gint64  id;
  char   *account;
  char   *remote;

  /* Changes on the main thread only, with notify. */
  char   *title;
  gint64  last_activity;
  guint   unread_count;
};

G_DEFINE_FINAL_TYPE (HailStoreConversation, hail_store_conversation, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Where each property lives (hail-store-item.c reads and writes it). */
static const gsize offsets[N_PROPS] = {
  [PROP_ID] = G_STRUCT_OFFSET (HailStoreConversation, id),
  [PROP_ACCOUNT] = G_STRUCT_OFFSET (HailStoreConversation, account),
  [PROP_REMOTE] = G_STRUCT_OFFSET (HailStoreConversation, remote),
  [PROP_TITLE] = G_STRUCT_OFFSET (HailStoreConversation, title),
  [PROP_LAST_ACTIVITY] = G_STRUCT_OFFSET (HailStoreConversation, last_activity),
  [PROP_UNREAD_COUNT] = G_STRUCT_OFFSET (HailStoreConversation, unread_count),
};

static void
hail_store_conversation_class_init (HailStoreConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;


  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE] =
    g_param_spec_string ("remote", NULL, NULL, NULL, ro);
  /* NULL until the user or a contact names the conversation. */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, ro);
  /* Microseconds since the Unix epoch of the newest message. */
  properties[PROP_LAST_ACTIVITY] =
    g_param_spec_int64 ("last-activity", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, ro);

  _hail_store_item_class_install (object_class, properties, offsets, N_PROPS);
}

static void
hail_store_conversation_init (HailStoreConversation *self)
{
}

/* Copies the mutable fields of @from, a fresher snapshot of the same row. */
void
_hail_store_conversation_update (HailStoreConversation *self,
                                 HailStoreConversation *from)
{
  GParamSpec *mutable[] = {
    properties[PROP_TITLE], properties[PROP_LAST_ACTIVITY], properties[PROP_UNREAD_COUNT],
  };

  g_assert (HAIL_IS_STORE_CONVERSATION (self));
  g_assert (HAIL_IS_STORE_CONVERSATION (from));
  g_assert (self->id == from->id);

  _hail_store_item_refresh (G_OBJECT (self), G_OBJECT (from), mutable, G_N_ELEMENTS (mutable));
}

#define GETTER(type, name) \
  type hail_store_conversation_get_##name (HailStoreConversation *self) \
  { \
    g_return_val_if_fail (HAIL_IS_STORE_CONVERSATION (self), 0); \
    return self->name; \
  }

GETTER (gint64, id)
GETTER (const char *, account)
GETTER (const char *, remote)
GETTER (const char *, title)
GETTER (gint64, last_activity)
GETTER (guint, unread_count)
