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

static void
hail_store_conversation_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HailStoreConversation *self = HAIL_STORE_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_REMOTE:
      g_value_set_string (value, self->remote);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_LAST_ACTIVITY:
      g_value_set_int64 (value, self->last_activity);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_conversation_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HailStoreConversation *self = HAIL_STORE_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_string (value);
      break;
    case PROP_REMOTE:
      self->remote = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_LAST_ACTIVITY:
      self->last_activity = g_value_get_int64 (value);
      break;
    case PROP_UNREAD_COUNT:
      self->unread_count = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_conversation_finalize (GObject *object)
{
  HailStoreConversation *self = HAIL_STORE_CONVERSATION (object);

  g_free (self->account);
  g_free (self->remote);
  g_free (self->title);

  G_OBJECT_CLASS (hail_store_conversation_parent_class)->finalize (object);
}

static void
hail_store_conversation_class_init (HailStoreConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = hail_store_conversation_get_property;
  object_class->set_property = hail_store_conversation_set_property;
  object_class->finalize = hail_store_conversation_finalize;

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

  g_object_class_install_properties (object_class, N_PROPS, properties);
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
  g_assert (HAIL_IS_STORE_CONVERSATION (self));
  g_assert (HAIL_IS_STORE_CONVERSATION (from));
  g_assert (self->id == from->id);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->title, from->title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (from->title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (self->last_activity != from->last_activity)
    {
      self->last_activity = from->last_activity;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ACTIVITY]);
    }
  if (self->unread_count != from->unread_count)
    {
      self->unread_count = from->unread_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
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
