/* hail-store-conversation-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-conversation-list.h"

#include "hail-store-private.h"

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

struct _HailStoreConversationList
{
  GObject    parent_instance;

  /* Owned. */
  HailStore *store;
  GPtrArray *items;   /* HailStoreConversation, newest activity first */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailStoreConversationList, hail_store_conversation_list,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return HAIL_TYPE_STORE_CONVERSATION;
}

static guint
get_n_items (GListModel *model)
{
  return HAIL_STORE_CONVERSATION_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  HailStoreConversationList *self = HAIL_STORE_CONVERSATION_LIST (model);

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

/* The list's order: last activity descending, then id descending (the
 * same as the SQL ORDER BY). */
static gboolean
goes_before (HailStoreConversation *a,
             HailStoreConversation *b)
{
  gint64 ta = hail_store_conversation_get_last_activity (a);
  gint64 tb = hail_store_conversation_get_last_activity (b);

  if (ta != tb)
    return ta > tb;
  return hail_store_conversation_get_id (a) > hail_store_conversation_get_id (b);
}

static guint
insertion_point (HailStoreConversationList *self,
                 HailStoreConversation     *item)
{
  guint lo = 0;
  guint hi = self->items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (goes_before (self->items->pdata[mid], item))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
find (HailStoreConversationList *self,
      gint64                     id,
      guint                     *position)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      if (hail_store_conversation_get_id (self->items->pdata[i]) == id)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
conversation_changed_cb (HailStoreConversationList *self,
                         HailStoreConversation     *snapshot)
{
  g_autoptr(HailStoreConversation) item = NULL;
  guint old_position;
  guint new_position;

  if (!find (self, hail_store_conversation_get_id (snapshot), &old_position))
    {
      new_position = insertion_point (self, snapshot);
      g_ptr_array_insert (self->items, new_position, g_object_ref (snapshot));
      g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
      return;
    }

  /* Keep the item the UI holds and update it in place (its notify sees a
   * consistent list), then move it if its activity changed its rank. */
  item = g_object_ref (self->items->pdata[old_position]);
  _hail_store_conversation_update (item, snapshot);
  g_ptr_array_remove_index (self->items, old_position);
  new_position = insertion_point (self, item);
  g_ptr_array_insert (self->items, new_position, g_object_ref (item));
  if (new_position != old_position)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
    }
}

static void
conversation_removed_cb (HailStoreConversationList *self,
                         gint64                     id)
{
  guint position;

  if (!find (self, id, &position))
    return;
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GError) error = NULL;
  HailStoreConversationList *self = g_task_get_source_object (task);
  guint removed = self->items->len;
  guint n;

  rows = hail_store_list_conversations_finish (HAIL_STORE (object), result, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The worker runs jobs in order, so this snapshot already contains every
   * change signalled before it: it replaces the list. */
  n = g_list_model_get_n_items (rows);
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->items, g_list_model_get_item (rows, i));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, n);
  g_task_return_boolean (task, TRUE);
}

static void
hail_store_conversation_list_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  HailStoreConversationList *self = HAIL_STORE_CONVERSATION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_conversation_list_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  HailStoreConversationList *self = HAIL_STORE_CONVERSATION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_conversation_list_constructed (GObject *object)
{
  HailStoreConversationList *self = HAIL_STORE_CONVERSATION_LIST (object);

  G_OBJECT_CLASS (hail_store_conversation_list_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "conversation-changed",
                           G_CALLBACK (conversation_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "conversation-removed",
                           G_CALLBACK (conversation_removed_cb), self, G_CONNECT_SWAPPED);
}

static void
hail_store_conversation_list_dispose (GObject *object)
{
  HailStoreConversationList *self = HAIL_STORE_CONVERSATION_LIST (object);

  g_clear_object (&self->store);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (hail_store_conversation_list_parent_class)->dispose (object);
}

static void
hail_store_conversation_list_finalize (GObject *object)
{
  HailStoreConversationList *self = HAIL_STORE_CONVERSATION_LIST (object);

  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (hail_store_conversation_list_parent_class)->finalize (object);
}

static void
hail_store_conversation_list_class_init (HailStoreConversationListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_store_conversation_list_get_property;
  object_class->set_property = hail_store_conversation_list_set_property;
  object_class->constructed = hail_store_conversation_list_constructed;
  object_class->dispose = hail_store_conversation_list_dispose;
  object_class->finalize = hail_store_conversation_list_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, HAIL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_store_conversation_list_init (HailStoreConversationList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

HailStoreConversationList *
hail_store_conversation_list_new (HailStore *store)
{
  g_return_val_if_fail (HAIL_IS_STORE (store), NULL);

  return g_object_new (HAIL_TYPE_STORE_CONVERSATION_LIST, "store", store, NULL);
}

void
hail_store_conversation_list_load_async (HailStoreConversationList *self,
                                         GCancellable              *cancellable,
                                         GAsyncReadyCallback        callback,
                                         gpointer                   user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_STORE_CONVERSATION_LIST (self));
  g_return_if_fail (self->store != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_store_conversation_list_load_async);
  hail_store_list_conversations_async (self->store, cancellable, load_cb, task);
}

gboolean
hail_store_conversation_list_load_finish (HailStoreConversationList  *self,
                                          GAsyncResult               *result,
                                          GError                    **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
