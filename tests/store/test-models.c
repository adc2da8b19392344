/* test-models.c: HailStoreConversationList and HailStoreMessageList, loaded
 * from a real store and kept live by its signals.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store-conversation-list.h"
#include "hail-store-message-list.h"

#include "hail-test-util.h"
#include "store-test-helpers.h"

#define BOB "sip:bob@example.test"
#define CAROL "sip:carol@example.test"
#define DAVE "sip:dave@example.test"

typedef struct {
  char      *dir;
  HailStore *store;
  GArray    *changes;   /* guint triples: position, removed, added */
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *path = NULL;

  fx->dir = store_test_make_dir ();
  path = g_build_filename (fx->dir, "hail.db", NULL);
  fx->store = store_test_open (path);
  fx->changes = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  store_test_close (g_steal_pointer (&fx->store));
  store_test_rmdir (fx->dir);
  g_array_unref (fx->changes);
  g_free (fx->dir);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fx)
{
  guint triple[3] = { position, removed, added };

  g_array_append_vals (fx->changes, triple, 3);
}

static void
assert_changes (Fixture     *fx,
                const guint *expected,
                guint        n)
{
  g_assert_cmpuint (fx->changes->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (fx->changes, guint, i), ==, expected[i]);
  g_array_set_size (fx->changes, 0);
}

static HailStoreConversationList *
load_conversations (Fixture *fx)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HailStoreConversationList *list = hail_store_conversation_list_new (fx->store);

  hail_store_conversation_list_load_async (list, NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_conversation_list_load_finish (list, store_test_wait (&result),
                                                           &error));
  g_assert_no_error (error);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), fx);
  return list;
}

static HailStoreConversation *
conversation_at (gpointer list,
                 guint    position)
{
  /* Borrowed: the list keeps its items alive. */
  HailStoreConversation *item = g_list_model_get_item (list, position);

  g_object_unref (item);
  return item;
}

static void
test_conversations_sorted (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(HailStoreConversationList) list = NULL;

  store_test_add_out (fx->store, BOB, "first");
  store_test_add_out (fx->store, CAROL, "second");
  store_test_add_out (fx->store, DAVE, "third");
  list = load_conversations (fx);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) ==
                 HAIL_TYPE_STORE_CONVERSATION);
  g_assert_cmpstr (hail_store_conversation_get_remote (conversation_at (list, 0)), ==, DAVE);
  g_assert_cmpstr (hail_store_conversation_get_remote (conversation_at (list, 2)), ==, BOB);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 3));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* The list must look consistent to a notify handler: same length as the
 * last items-changed said, the item still where it was. */
static void
notify_sees_list_cb (GObject    *object,
                     GParamSpec *pspec,
                     GListModel *list)
{
  g_autoptr(GObject) at_bottom = g_list_model_get_item (list, 2);

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_true (at_bottom == object);
}

static void
test_conversations_live (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(HailStoreConversationList) list = NULL;
  HailStoreConversation *bob;
  guint activity_notifies = 0;
  gboolean duplicate;
  const guint new_at_top[] = { 0, 0, 1 };
  const guint bob_to_top[] = { 2, 1, 0, 0, 0, 1 };

  store_test_add_out (fx->store, BOB, "first");
  store_test_add_out (fx->store, CAROL, "second");
  list = load_conversations (fx);
  bob = conversation_at (list, 1);
  g_signal_connect (bob, "notify::last-activity", G_CALLBACK (count_notify_cb),
                    &activity_notifies);

  store_test_add_out (fx->store, DAVE, "a new conversation");
  assert_changes (fx, new_at_top, G_N_ELEMENTS (new_at_top));
  g_assert_cmpstr (hail_store_conversation_get_remote (conversation_at (list, 0)), ==, DAVE);

  /* Bob's reply moves the same item from the bottom to the top. */
  g_signal_connect (bob, "notify::unread-count", G_CALLBACK (notify_sees_list_cb), list);
  store_test_add_in (fx->store, BOB, "reply", "live-1@x", 1, &duplicate);
  assert_changes (fx, bob_to_top, G_N_ELEMENTS (bob_to_top));
  g_assert_true (conversation_at (list, 0) == bob);
  g_assert_cmpuint (activity_notifies, ==, 1);
  g_assert_cmpuint (hail_store_conversation_get_unread_count (bob), ==, 1);
  g_signal_handlers_disconnect_by_func (bob, count_notify_cb, &activity_notifies);
  g_signal_handlers_disconnect_by_func (bob, notify_sees_list_cb, list);
}

static void
test_conversations_read_and_removed (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(HailStoreConversationList) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  HailStoreConversation *bob;
  guint unread_notifies = 0;
  gboolean duplicate;
  const guint removed[] = { 0, 1, 0 };

  store_test_add_out (fx->store, CAROL, "first");
  store_test_add_in (fx->store, BOB, "unread", "r-1@x", 1, &duplicate);
  list = load_conversations (fx);
  bob = conversation_at (list, 0);
  g_assert_cmpuint (hail_store_conversation_get_unread_count (bob), ==, 1);
  g_signal_connect (bob, "notify::unread-count", G_CALLBACK (count_notify_cb), &unread_notifies);

  hail_store_mark_conversation_read_async (fx->store, hail_store_conversation_get_id (bob), NULL,
                                           store_test_result_cb, &result);
  g_assert_true (hail_store_update_finish (fx->store, store_test_wait (&result), NULL));
  g_clear_object (&result);
  g_assert_cmpuint (unread_notifies, ==, 1);
  g_assert_cmpuint (hail_store_conversation_get_unread_count (bob), ==, 0);
  /* Reading does not reorder: no items-changed. */
  assert_changes (fx, NULL, 0);
  g_signal_handlers_disconnect_by_func (bob, count_notify_cb, &unread_notifies);

  hail_store_delete_conversation_async (fx->store, hail_store_conversation_get_id (bob), NULL,
                                        store_test_result_cb, &result);
  g_assert_true (hail_store_update_finish (fx->store, store_test_wait (&result), NULL));
  assert_changes (fx, removed, G_N_ELEMENTS (removed));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

static HailStoreMessageList *
load_messages (Fixture  *fx,
               gint64    conversation_id,
               gboolean  older,
               HailStoreMessageList *list)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (list == NULL)
    {
      list = hail_store_message_list_new (fx->store, conversation_id);
      g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), fx);
    }
  if (older)
    hail_store_message_list_load_older_async (list, NULL, store_test_result_cb, &result);
  else
    hail_store_message_list_load_async (list, NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_message_list_load_finish (list, store_test_wait (&result), &error));
  g_assert_no_error (error);
  return list;
}

static gint64
first_conversation_id (Fixture *fx)
{
  g_autoptr(HailStoreConversationList) conversations = load_conversations (fx);

  return hail_store_conversation_get_id (conversation_at (conversations, 0));
}

static gint64
message_id_at (gpointer list,
               guint    position)
{
  g_autoptr(HailStoreMessage) item = g_list_model_get_item (list, position);

  return hail_store_message_get_id (item);
}

static void
test_messages_paged (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(HailStoreMessageList) list = NULL;
  gint64 ids[450];
  gint64 conversation;
  const guint first_page[] = { 0, 0, 200 };
  const guint second_page[] = { 0, 0, 200 };
  const guint last_page[] = { 0, 0, 50 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = store_test_add_out (fx->store, BOB, "paged");
  conversation = first_conversation_id (fx);
  g_array_set_size (fx->changes, 0);

  list = load_messages (fx, conversation, FALSE, NULL);
  assert_changes (fx, first_page, 3);
  g_assert_true (hail_store_message_list_get_has_older (list));
  g_assert_cmpint (message_id_at (list, 0), ==, ids[250]);
  g_assert_cmpint (message_id_at (list, 199), ==, ids[449]);

  load_messages (fx, conversation, TRUE, list);
  assert_changes (fx, second_page, 3);
  g_assert_cmpint (message_id_at (list, 0), ==, ids[50]);

  load_messages (fx, conversation, TRUE, list);
  assert_changes (fx, last_page, 3);
  g_assert_false (hail_store_message_list_get_has_older (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 450);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (message_id_at (list, i), ==, ids[i]);
}

static void
test_messages_live (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(HailStoreMessageList) list = NULL;
  g_autoptr(HailStoreMessage) item = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint state_notifies = 0;
  gint64 conversation;
  gint64 id;
  const guint loaded[] = { 0, 0, 1 };
  const guint appended[] = { 1, 0, 1 };

  store_test_add_out (fx->store, BOB, "hello");
  conversation = first_conversation_id (fx);
  g_array_set_size (fx->changes, 0);
  list = load_messages (fx, conversation, FALSE, NULL);
  assert_changes (fx, loaded, 3);

  id = store_test_add_out (fx->store, BOB, "typed while the list is open");
  store_test_add_out (fx->store, CAROL, "another conversation");
  assert_changes (fx, appended, 3);
  item = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpint (hail_store_message_get_id (item), ==, id);
  g_assert_cmpint (hail_store_message_get_state (item), ==, HAIL_STORE_MESSAGE_STATE_QUEUED);

  g_signal_connect (item, "notify::state", G_CALLBACK (count_notify_cb), &state_notifies);
  hail_store_set_message_state_async (fx->store, id, HAIL_STORE_MESSAGE_STATE_FAILED, 408,
                                      "Request Timeout", NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_set_message_state_finish (fx->store, store_test_wait (&result),
                                                      &error));
  g_assert_no_error (error);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpint (hail_store_message_get_state (item), ==, HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (hail_store_message_get_status (item), ==, 408);
  g_assert_cmpstr (hail_store_message_get_reason (item), ==, "Request Timeout");
  /* A state change is a notify on the item, not a change of the list. */
  assert_changes (fx, NULL, 0);
  g_signal_handlers_disconnect_by_func (item, count_notify_cb, &state_notifies);
}

static void
test_messages_conversation_deleted (Fixture       *fx,
                                    gconstpointer  data)
{
  g_autoptr(HailStoreMessageList) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 conversation;
  const guint cleared[] = { 0, 2, 0 };

  store_test_add_out (fx->store, BOB, "one");
  store_test_add_out (fx->store, BOB, "two");
  conversation = first_conversation_id (fx);
  list = load_messages (fx, conversation, FALSE, NULL);
  g_array_set_size (fx->changes, 0);

  hail_store_delete_conversation_async (fx->store, conversation, NULL, store_test_result_cb,
                                        &result);
  g_assert_true (hail_store_update_finish (fx->store, store_test_wait (&result), NULL));
  assert_changes (fx, cleared, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/conversation-list/sorted", test_conversations_sorted);
  ADD ("/store/conversation-list/live-insert-and-move", test_conversations_live);
  ADD ("/store/conversation-list/read-and-removed", test_conversations_read_and_removed);
  ADD ("/store/message-list/paged", test_messages_paged);
  ADD ("/store/message-list/live-append-and-state", test_messages_live);
  ADD ("/store/message-list/conversation-deleted", test_messages_conversation_deleted);

  return g_test_run ();
}
