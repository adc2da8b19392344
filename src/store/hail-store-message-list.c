/* hail-store-message-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-message-list.h"

#include "hail-store-private.h"

enum {
  PROP_0,
  PROP_STORE,
  PROP_CONVERSATION_ID,
  PROP_HAS_OLDER,
  N_PROPS
};

struct _HailStoreMessageList
{
  GObject     parent_instance;

  /* Owned. */
  HailStore  *store;
  GPtrArray  *items;    /* HailStoreMessage, ascending id */
  GHashTable *by_id;    /* gint64 * (the item's) -> HailStoreMessage, borrowed */

  /* State. */
  gint64      conversation_id;
  gboolean    loaded;   /* the newest page arrived: live additions apply */
  gboolean    has_older;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailStoreMessageList, hail_store_message_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return HAIL_TYPE_STORE_MESSAGE;
}

static guint
get_n_items (GListModel *model)
{
  return HAIL_STORE_MESSAGE_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  HailStoreMessageList *self = HAIL_STORE_MESSAGE_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gint64
item_id (gpointer item)
{
  return hail_store_message_get_id (item);
}

static void
index_item (HailStoreMessageList *self,
            HailStoreMessage     *item)
{
  gint64 *key = g_new (gint64, 1);

  *key = hail_store_message_get_id (item);
  g_hash_table_replace (self->by_id, key, item);
}

static void
set_has_older (HailStoreMessageList *self,
               gboolean              has_older)
{
  if (self->has_older == has_older)
    return;
  self->has_older = has_older;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_OLDER]);
}

static void
message_added_cb (HailStoreMessageList *self,
                  HailStoreMessage     *message)
{
  guint position = self->items->len;

  if (!self->loaded || hail_store_message_get_conversation_id (message) != self->conversation_id)
    return;
  /* Completions arrive in the worker's order, so a message newer than the
   * last item is new to this list; anything else is already in it. */
  if (position > 0 &&
      hail_store_message_get_id (message) <= item_id (self->items->pdata[position - 1]))
    return;
  g_ptr_array_add (self->items, g_object_ref (message));
  index_item (self, message);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
message_changed_cb (HailStoreMessageList *self,
                    HailStoreMessage     *snapshot)
{
  gint64 id = hail_store_message_get_id (snapshot);
  HailStoreMessage *item = g_hash_table_lookup (self->by_id, &id);

  if (item == NULL)
    return;
  _hail_store_message_update (item, snapshot);
}

static void
conversation_removed_cb (HailStoreMessageList *self,
                         gint64                id)
{
  guint removed = self->items->len;

  if (id != self->conversation_id)
    return;
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->items, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  set_has_older (self, FALSE);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GError) error = NULL;
  HailStoreMessageList *self = g_task_get_source_object (task);
  gboolean older = g_task_get_source_tag (task) == hail_store_message_list_load_older_async;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 first_id = self->items->len > 0 ? item_id (self->items->pdata[0]) : G_MAXINT64;
  gint64 last_id = self->items->len > 0 ? item_id (g_ptr_array_index (self->items,
                                                                     self->items->len - 1))
                                        : 0;
  guint n;

  rows = hail_store_list_messages_finish (HAIL_STORE (object), result, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      HailStoreMessage *item = g_list_model_get_item (rows, i);

      /* Skip what the list holds already (a load racing a live addition). */
      if (g_hash_table_contains (self->by_id, &(gint64) { item_id (item) }))
        g_object_unref (item);
      else
        g_ptr_array_add (fresh, item);
    }

  /* The rows are ascending. Older than the list (all of a first load, or of
   * an older page) go in front; newer ones, if a live addition raced the
   * load, at the end. */
  if (older || !self->loaded)
    {
      guint front = 0;
      guint back = 0;

      while (front < fresh->len && item_id (fresh->pdata[front]) < first_id)
        {
          index_item (self, fresh->pdata[front]);
          g_ptr_array_insert (self->items, front, g_object_ref (fresh->pdata[front]));
          front++;
        }
      if (front > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, front);
      for (guint i = front; i < fresh->len; i++)
        {
          if (item_id (fresh->pdata[i]) <= last_id)
            continue;
          index_item (self, fresh->pdata[i]);
          g_ptr_array_add (self->items, g_object_ref (fresh->pdata[i]));
          back++;
        }
      if (back > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - back, 0, back);
    }

  self->loaded = TRUE;
  set_has_older (self, n >= HAIL_STORE_MESSAGE_PAGE);
  g_task_return_boolean (task, TRUE);
}

static void
hail_store_message_list_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HailStoreMessageList *self = HAIL_STORE_MESSAGE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_int64 (value, self->conversation_id);
      break;
    case PROP_HAS_OLDER:
      g_value_set_boolean (value, self->has_older);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_message_list_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HailStoreMessageList *self = HAIL_STORE_MESSAGE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CONVERSATION_ID:
      self->conversation_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_message_list_constructed (GObject *object)
{
  HailStoreMessageList *self = HAIL_STORE_MESSAGE_LIST (object);

  G_OBJECT_CLASS (hail_store_message_list_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "message-added",
                           G_CALLBACK (message_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "message-changed",
                           G_CALLBACK (message_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "conversation-removed",
                           G_CALLBACK (conversation_removed_cb), self, G_CONNECT_SWAPPED);
}

static void
hail_store_message_list_dispose (GObject *object)
{
  HailStoreMessageList *self = HAIL_STORE_MESSAGE_LIST (object);

  g_clear_object (&self->store);
  if (self->by_id != NULL)
    g_hash_table_remove_all (self->by_id);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (hail_store_message_list_parent_class)->dispose (object);
}

static void
hail_store_message_list_finalize (GObject *object)
{
  HailStoreMessageList *self = HAIL_STORE_MESSAGE_LIST (object);

  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (hail_store_message_list_parent_class)->finalize (object);
}

static void
hail_store_message_list_class_init (HailStoreMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_store_message_list_get_property;
  object_class->set_property = hail_store_message_list_set_property;
  object_class->constructed = hail_store_message_list_constructed;
  object_class->dispose = hail_store_message_list_dispose;
  object_class->finalize = hail_store_message_list_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, HAIL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONVERSATION_ID] =
    g_param_spec_int64 ("conversation-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HAS_OLDER] =
    g_param_spec_boolean ("has-older", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_store_message_list_init (HailStoreMessageList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->has_older = TRUE;
}

HailStoreMessageList *
hail_store_message_list_new (HailStore *store,
                             gint64     conversation_id)
{
  g_return_val_if_fail (HAIL_IS_STORE (store), NULL);

  return g_object_new (HAIL_TYPE_STORE_MESSAGE_LIST,
                       "store", store,
                       "conversation-id", conversation_id,
                       NULL);
}

gint64
hail_store_message_list_get_conversation_id (HailStoreMessageList *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_MESSAGE_LIST (self), 0);

  return self->conversation_id;
}

gboolean
hail_store_message_list_get_has_older (HailStoreMessageList *self)
{
  g_return_val_if_fail (HAIL_IS_STORE_MESSAGE_LIST (self), FALSE);

  return self->has_older;
}

static void
load (HailStoreMessageList *self,
      gint64                before_id,
      gpointer              source_tag,
      GCancellable         *cancellable,
      GAsyncReadyCallback   callback,
      gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  hail_store_list_messages_async (self->store, self->conversation_id, before_id,
                                  HAIL_STORE_MESSAGE_PAGE, cancellable, load_cb, task);
}

void
hail_store_message_list_load_async (HailStoreMessageList *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_return_if_fail (HAIL_IS_STORE_MESSAGE_LIST (self));
  g_return_if_fail (self->store != NULL);

  load (self, 0, hail_store_message_list_load_async, cancellable, callback, user_data);
}

void
hail_store_message_list_load_older_async (HailStoreMessageList *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_return_if_fail (HAIL_IS_STORE_MESSAGE_LIST (self));
  g_return_if_fail (self->store != NULL);

  load (self, self->items->len > 0 ? item_id (self->items->pdata[0]) : 0,
        hail_store_message_list_load_older_async, cancellable, callback, user_data);
}

gboolean
hail_store_message_list_load_finish (HailStoreMessageList  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
