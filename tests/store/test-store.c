/* test-store.c: HailStore messages, conversations, search, calls, migrations.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store.h"

#include "hail-test-util.h"
#include "store-test-helpers.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BOB "sip:bob@example.test"
#define CAROL "sip:carol@example.test"

typedef struct {
  char      *dir;
  char      *path;
  HailStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->dir = store_test_make_dir ();
  fx->path = g_build_filename (fx->dir, "hail.db", NULL);
  fx->store = store_test_open (fx->path);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  if (fx->store != NULL)
    store_test_close (g_steal_pointer (&fx->store));
  store_test_rmdir (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static gboolean
set_state (HailStore             *store,
           gint64                 id,
           HailStoreMessageState  state,
           guint                  status,
           const char            *reason,
           GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_set_message_state_async (store, id, state, status, reason, NULL,
                                      store_test_result_cb, &result);
  return hail_store_set_message_state_finish (store, store_test_wait (&result), error);
}

static GListModel *
list_messages (HailStore *store,
               gint64     conversation_id,
               gint64     before_id,
               guint      limit)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;

  hail_store_list_messages_async (store, conversation_id, before_id, limit, NULL,
                                  store_test_result_cb, &result);
  model = hail_store_list_messages_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  return model;
}

static GListModel *
search (HailStore  *store,
        const char *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;

  hail_store_search_messages_async (store, query, 100, NULL, store_test_result_cb, &result);
  model = hail_store_list_messages_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  return model;
}

static GListModel *
list_conversations (HailStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;

  hail_store_list_conversations_async (store, NULL, store_test_result_cb, &result);
  model = hail_store_list_conversations_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  return model;
}

/* The id of the conversation with the newest activity. */
static gint64
newest_conversation (HailStore *store)
{
  g_autoptr(GListModel) conversations = list_conversations (store);
  g_autoptr(HailStoreConversation) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (conversations), >, 0);
  first = g_list_model_get_item (conversations, 0);
  return hail_store_conversation_get_id (first);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* Opening */

static void
test_open_creates_schema (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *version = store_test_sql (fx->path, "PRAGMA user_version");
  g_autofree char *mode = store_test_sql (fx->path, "PRAGMA journal_mode");
  g_autofree char *fts = store_test_sql (fx->path, "SELECT name FROM sqlite_master"
                                         " WHERE name = 'messages_fts'");
  g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);
  GStatBuf st;

  g_assert_cmpstr (version, ==, "3");
  g_assert_cmpstr (mode, ==, "wal");
  /* Private history: owner-only, whatever the umask. */
  g_assert_cmpint (g_stat (fx->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpstr (fts, ==, "messages_fts");
  g_assert_cmpstr (hail_store_get_path (fx->store), ==, fx->path);
}

static void
test_open_default_path (void)
{
  g_autofree char *path = hail_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "hail", "hail.db", NULL);
  g_autoptr(HailStore) store = NULL;

  g_assert_cmpstr (path, ==, expected);
  store = store_test_open (NULL);
  g_assert_cmpstr (hail_store_get_path (store), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  store_test_close (g_steal_pointer (&store));
}

static void
test_open_sync (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "cli.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStore) store = hail_store_new_sync (path, &error);
  g_autoptr(GListModel) conversations = NULL;

  g_assert_no_error (error);
  conversations = hail_store_list_conversations_sync (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 0);
}

/* The app and hail-cli may open a new database at the same time: both
 * must succeed, the schema created once. Each round uses a fresh path. */
static void
test_open_concurrently (Fixture       *fx,
                        gconstpointer  data)
{
  for (guint round = 0; round < 10; round++)
    {
      g_autofree char *name = g_strdup_printf ("race-%u.db", round);
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_autofree char *version = NULL;
      GAsyncResult *results[3] = { NULL, };

      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        hail_store_new_async (path, NULL, store_test_result_cb, &results[i]);
      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        {
          g_autoptr(GError) error = NULL;
          HailStore *store = hail_store_new_finish (store_test_wait (&results[i]), &error);

          g_assert_no_error (error);
          g_clear_object (&results[i]);
          store_test_close (store);
        }
      version = store_test_sql (path, "PRAGMA user_version");
      g_assert_cmpstr (version, ==, "3");
    }
}

/* Adds @draft (either way); returns its id, or 0 with @error set. */
static gint64
add_draft (HailStore         *store,
           HailStoreMessage  *draft,
           gboolean          *duplicate,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (hail_store_message_get_direction (draft) == HAIL_STORE_DIRECTION_IN)
    {
      hail_store_add_incoming_message_async (store, draft, NULL, store_test_result_cb, &result);
      return hail_store_add_incoming_message_finish (store, store_test_wait (&result), duplicate,
                                                     error);
    }
  hail_store_add_outgoing_message_async (store, draft, NULL, store_test_result_cb, &result);
  return hail_store_add_outgoing_message_finish (store, store_test_wait (&result), error);
}

static void
test_closed_fails (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStoreMessage) draft = hail_store_message_new ("sip:a@x", BOB,
                                                              HAIL_STORE_DIRECTION_OUT, "hi");

  hail_store_close_async (fx->store, NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_close_finish (fx->store, store_test_wait (&result), NULL));
  g_assert_cmpint (add_draft (fx->store, draft, NULL, &error), ==, 0);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CLOSED);
}

/* Messages */

static void
test_outgoing_queued_first (Fixture       *fx,
                            gconstpointer  data)
{
  gint64 id = store_test_add_out (fx->store, BOB, "hello");
  g_autoptr(GListModel) pending = store_test_pending (fx->store);
  g_autoptr(HailStoreMessage) message = g_list_model_get_item (pending, 0);
  g_autofree char *sql = g_strdup_printf ("SELECT state FROM messages WHERE id = %" G_GINT64_FORMAT,
                                          id);
  g_autofree char *state = store_test_sql (fx->path, sql);

  /* Acknowledged means on disk, readable by another connection. */
  g_assert_cmpstr (state, ==, "0");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  g_assert_cmpint (hail_store_message_get_id (message), ==, id);
  g_assert_cmpint (hail_store_message_get_state (message), ==, HAIL_STORE_MESSAGE_STATE_QUEUED);
  g_assert_cmpint (hail_store_message_get_direction (message), ==, HAIL_STORE_DIRECTION_OUT);
  g_assert_cmpstr (hail_store_message_get_remote (message), ==, BOB);
  g_assert_cmpstr (hail_store_message_get_body (message), ==, "hello");
  g_assert_nonnull (hail_store_message_get_call_id (message));
  g_assert_cmpuint (hail_store_message_get_cseq (message), ==, 1);
  g_assert_cmpint (hail_store_message_get_time_sent (message), >, 0);
}

static void
test_state_updates (Fixture       *fx,
                    gconstpointer  data)
{
  gint64 sent = store_test_add_out (fx->store, BOB, "one");
  gint64 failed = store_test_add_out (fx->store, BOB, "two");
  gint64 sending = store_test_add_out (fx->store, BOB, "three");
  g_autoptr(GListModel) pending = NULL;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(HailStoreMessage) item = NULL;
  g_autoptr(HailStoreMessage) failed_item = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (set_state (fx->store, sent, HAIL_STORE_MESSAGE_STATE_SENT, 200, NULL, &error));
  g_assert_true (set_state (fx->store, failed, HAIL_STORE_MESSAGE_STATE_FAILED, 480,
                            "Temporarily Unavailable", &error));
  g_assert_true (set_state (fx->store, sending, HAIL_STORE_MESSAGE_STATE_SENDING, 0, NULL,
                            &error));
  /* A resend at start-up: QUEUED again, then a second SENDING. */
  g_assert_true (set_state (fx->store, sending, HAIL_STORE_MESSAGE_STATE_QUEUED, 0, NULL,
                            &error));
  g_assert_true (set_state (fx->store, sending, HAIL_STORE_MESSAGE_STATE_SENDING, 0, NULL,
                            &error));
  g_assert_no_error (error);

  /* Only QUEUED and SENDING wait for a resend at start-up. */
  pending = store_test_pending (fx->store);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  item = g_list_model_get_item (pending, 0);
  g_assert_cmpint (hail_store_message_get_id (item), ==, sending);
  g_assert_cmpuint (hail_store_message_get_send_attempts (item), ==, 2);

  page = list_messages (fx->store, hail_store_message_get_conversation_id (item), 0, 10);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 3);
  failed_item = g_list_model_get_item (page, 1);
  g_assert_cmpint (hail_store_message_get_id (failed_item), ==, failed);
  g_assert_cmpint (hail_store_message_get_state (failed_item), ==,
                   HAIL_STORE_MESSAGE_STATE_FAILED);
  g_assert_cmpuint (hail_store_message_get_status (failed_item), ==, 480);
  g_assert_cmpstr (hail_store_message_get_reason (failed_item), ==, "Temporarily Unavailable");
  g_assert_cmpuint (hail_store_message_get_send_attempts (failed_item), ==, 0);
}

static void
test_state_unknown_id (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (set_state (fx->store, 4242, HAIL_STORE_MESSAGE_STATE_SENT, 200, NULL, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

static void
count_cb (gpointer instance,
          gpointer arg,
          gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* Issue #8: a text meant for a message session that went as a MESSAGE
 * after all says so; the change reaches the lists. */
static void
test_mode_updates (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(HailStoreMessage) draft =
    g_object_new (HAIL_TYPE_STORE_MESSAGE, "account", "sip:alice@example.test", "remote", BOB,
                  "direction", HAIL_STORE_DIRECTION_OUT, "body", "long", "content-type",
                  "text/plain", "call-id", "mode@test", "cseq", 1u,
                  "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                  "state", HAIL_STORE_MESSAGE_STATE_QUEUED, NULL);
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(HailStoreMessage) item = NULL;
  guint changed = 0;
  gint64 id;

  hail_store_add_outgoing_message_async (fx->store, draft, NULL, store_test_result_cb, &added);
  id = hail_store_add_outgoing_message_finish (fx->store, store_test_wait (&added), &error);
  g_assert_no_error (error);
  g_signal_connect (fx->store, "message-changed", G_CALLBACK (count_cb), &changed);
  hail_store_set_message_mode_async (fx->store, id, HAIL_STORE_MESSAGE_MODE_PAGER, NULL,
                                     store_test_result_cb, &result);
  g_assert_true (hail_store_set_message_mode_finish (fx->store, store_test_wait (&result),
                                                     &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  page = list_messages (fx->store, newest_conversation (fx->store), 0, 10);
  item = g_list_model_get_item (page, 0);
  g_assert_cmpint (hail_store_message_get_mode (item), ==, HAIL_STORE_MESSAGE_MODE_PAGER);
  g_clear_object (&result);
  hail_store_set_message_mode_async (fx->store, 4242, HAIL_STORE_MESSAGE_MODE_PAGER, NULL,
                                     store_test_result_cb, &result);
  g_assert_false (hail_store_set_message_mode_finish (fx->store, store_test_wait (&result),
                                                      &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  g_signal_handlers_disconnect_by_func (fx->store, count_cb, &changed);
}


static void
test_incoming_dedupe (Fixture       *fx,
                      gconstpointer  data)
{
  gboolean duplicate = TRUE;
  guint added = 0;
  gint64 first;
  gint64 again;
  gint64 next;
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(HailStoreConversation) conversation = NULL;
  g_autofree char *rows = NULL;

  g_signal_connect (fx->store, "message-added", G_CALLBACK (count_cb), &added);
  first = store_test_add_in (fx->store, BOB, "ping", "abc@host", 7, &duplicate);
  g_assert_false (duplicate);
  /* The retransmission: same account, Call-ID and CSeq. */
  again = store_test_add_in (fx->store, BOB, "ping", "abc@host", 7, &duplicate);
  g_assert_true (duplicate);
  g_assert_cmpint (again, ==, first);
  /* A new CSeq in the same Call-ID is a new message. */
  next = store_test_add_in (fx->store, BOB, "ping", "abc@host", 8, &duplicate);
  g_assert_false (duplicate);
  g_assert_cmpint (next, !=, first);

  g_assert_cmpuint (added, ==, 2);
  rows = store_test_sql (fx->path, "SELECT count(*) FROM messages");
  g_assert_cmpstr (rows, ==, "2");
  conversations = list_conversations (fx->store);
  conversation = g_list_model_get_item (conversations, 0);
  g_assert_cmpuint (hail_store_conversation_get_unread_count (conversation), ==, 2);
  g_signal_handlers_disconnect_by_func (fx->store, count_cb, &added);
}

static void
test_invalid_input (Fixture       *fx,
                    gconstpointer  data)
{
  const char *bodies[] = { "bad \xff utf-8", NULL };
  g_autofree char *huge = g_strnfill (1024 * 1024 + 1, 'x');
  g_autofree char *count = NULL;

  bodies[1] = huge;
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(HailStoreMessage) draft = hail_store_message_new ("sip:a@x", BOB,
                                                                  HAIL_STORE_DIRECTION_IN,
                                                                  bodies[i]);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (add_draft (fx->store, draft, NULL, &error), ==, 0);
      g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
    }
  count = store_test_sql (fx->path, "SELECT count(*) FROM conversations");
  g_assert_cmpstr (count, ==, "0");
}

static void
test_messages_paged (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GListModel) newest = NULL;
  g_autoptr(GListModel) older = NULL;
  g_autoptr(HailStoreMessage) first = NULL;
  g_autoptr(HailStoreMessage) last = NULL;
  gint64 ids[25];
  gint64 conversation;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *body = g_strdup_printf ("message %u", i);

      ids[i] = store_test_add_out (fx->store, BOB, body);
    }
  conversation = newest_conversation (fx->store);

  newest = list_messages (fx->store, conversation, 0, 10);
  g_assert_cmpuint (g_list_model_get_n_items (newest), ==, 10);
  first = g_list_model_get_item (newest, 0);
  last = g_list_model_get_item (newest, 9);
  g_assert_cmpint (hail_store_message_get_id (first), ==, ids[15]);
  g_assert_cmpint (hail_store_message_get_id (last), ==, ids[24]);

  older = list_messages (fx->store, conversation, ids[15], 100);
  g_assert_cmpuint (g_list_model_get_n_items (older), ==, 15);
  g_clear_object (&first);
  first = g_list_model_get_item (older, 0);
  g_assert_cmpint (hail_store_message_get_id (first), ==, ids[0]);
}

/* Writes queued back to back share one commit (group commit); a failing
 * one must fail alone, the others be stored and acknowledged. */
static void
queue_out (HailStore     *store,
           const char    *body,
           GAsyncResult **slot)
{
  g_autoptr(HailStoreMessage) draft = hail_store_message_new ("sip:alice@example.test", BOB,
                                                              HAIL_STORE_DIRECTION_OUT, body);

  hail_store_add_outgoing_message_async (store, draft, NULL, store_test_result_cb, slot);
}

static void
test_group_commit_isolates_failures (Fixture       *fx,
                                     gconstpointer  data)
{
  GAsyncResult *results[5] = { NULL, };
  g_autofree char *rows = NULL;
  GError *error = NULL;
  sqlite3 *blocker = NULL;
  gint64 ids[5] = { 0, };

  /* Another connection holds the write lock: the worker waits (busy
   * timeout) on its first write while the others queue up behind it, then
   * takes them as one batch. */
  g_assert_cmpint (sqlite3_open (fx->path, &blocker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (blocker, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  queue_out (fx->store, "first", &results[0]);
  queue_out (fx->store, "second", &results[1]);
  hail_store_set_message_state_async (fx->store, 987654, HAIL_STORE_MESSAGE_STATE_SENT, 200,
                                      NULL, NULL, store_test_result_cb, &results[2]);
  queue_out (fx->store, "not \xff UTF-8", &results[3]);
  queue_out (fx->store, "fifth", &results[4]);
  g_assert_cmpint (sqlite3_exec (blocker, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (blocker);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    store_test_wait (&results[i]);
  ids[0] = hail_store_add_outgoing_message_finish (fx->store, results[0], &error);
  g_assert_no_error (error);
  ids[1] = hail_store_add_outgoing_message_finish (fx->store, results[1], &error);
  g_assert_no_error (error);
  g_assert_false (hail_store_set_message_state_finish (fx->store, results[2], &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ids[3] = hail_store_add_outgoing_message_finish (fx->store, results[3], &error);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  ids[4] = hail_store_add_outgoing_message_finish (fx->store, results[4], &error);
  g_assert_no_error (error);

  g_assert_cmpint (ids[0], >, 0);
  g_assert_cmpint (ids[1], >, ids[0]);
  g_assert_cmpint (ids[3], ==, 0);
  g_assert_cmpint (ids[4], >, ids[1]);
  rows = store_test_sql (fx->path, "SELECT group_concat(body, ',') FROM messages");
  g_assert_cmpstr (rows, ==, "first,second,fifth");
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_object_unref (results[i]);
}

/* Search */

static void
test_search_fts (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GListModel) hits = NULL;
  g_autoptr(HailStoreMessage) hit = NULL;
  gboolean duplicate;

  store_test_add_out (fx->store, BOB, "Lunch at the harbour tomorrow?");
  store_test_add_in (fx->store, CAROL, "The harbour café is closed", "c1@x", 1, &duplicate);
  store_test_add_out (fx->store, CAROL, "Then the station");

  hits = search (fx->store, "harbour");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 2);
  g_clear_object (&hits);

  /* Prefixes, case-insensitive, every word required, newest first. */
  hits = search (fx->store, "HARB clos");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  hit = g_list_model_get_item (hits, 0);
  g_assert_cmpstr (hail_store_message_get_remote (hit), ==, CAROL);
  g_clear_object (&hits);

  /* FTS5 syntax in user text is just text, never a syntax error. */
  hits = search (fx->store, "\"harbour* OR NEAR( AND -:^");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 0);
  g_clear_object (&hits);
  hits = search (fx->store, "   ");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 0);
}

/* Conversations */

static gboolean
update (HailStore *store,
        gint64     id,
        gboolean   read,
        gboolean   delete,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (delete)
    hail_store_delete_conversation_async (store, id, NULL, store_test_result_cb, &result);
  else if (read)
    hail_store_mark_conversation_read_async (store, id, NULL, store_test_result_cb, &result);
  else
    hail_store_set_conversation_title_async (store, id, "Bob B.", NULL, store_test_result_cb,
                                             &result);
  return hail_store_update_finish (store, store_test_wait (&result), error);
}

static void
test_conversation_read_and_title (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(HailStoreConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;
  gboolean duplicate;
  gint64 id;

  store_test_add_in (fx->store, BOB, "one", "r1@x", 1, &duplicate);
  store_test_add_in (fx->store, BOB, "two", "r2@x", 1, &duplicate);
  id = newest_conversation (fx->store);
  g_assert_true (update (fx->store, id, TRUE, FALSE, &error));
  g_assert_true (update (fx->store, id, FALSE, FALSE, &error));
  g_assert_no_error (error);

  conversations = list_conversations (fx->store);
  conversation = g_list_model_get_item (conversations, 0);
  g_assert_cmpuint (hail_store_conversation_get_unread_count (conversation), ==, 0);
  g_assert_cmpstr (hail_store_conversation_get_title (conversation), ==, "Bob B.");
  g_assert_cmpstr (hail_store_conversation_get_account (conversation), ==,
                   "sip:alice@example.test");

  g_assert_false (update (fx->store, id + 100, TRUE, FALSE, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

static void
test_conversation_cascade (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) hits = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *index_rows = NULL;
  g_autofree char *fts_check = NULL;
  gint64 bob;

  store_test_add_out (fx->store, BOB, "walrus one");
  store_test_add_out (fx->store, BOB, "walrus two");
  bob = newest_conversation (fx->store);
  store_test_add_out (fx->store, CAROL, "walrus three");

  g_assert_true (update (fx->store, bob, FALSE, TRUE, &error));
  g_assert_no_error (error);

  messages = store_test_sql (fx->path, "SELECT count(*) FROM messages");
  g_assert_cmpstr (messages, ==, "1");
  /* The index itself (not the content table) has only Carol's row left. */
  index_rows = store_test_sql (fx->path,
                               "SELECT count(*) FROM messages_fts"
                               " WHERE messages_fts MATCH 'walrus'");
  g_assert_cmpstr (index_rows, ==, "1");
  fts_check = store_test_sql (fx->path,
                              "INSERT INTO messages_fts (messages_fts, rank)"
                              " VALUES ('integrity-check', 1)");
  g_assert_null (fts_check);
  hits = search (fx->store, "walrus");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);

  g_assert_false (update (fx->store, bob, FALSE, TRUE, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

/* Calls */

static gint64
add_call (HailStore          *store,
          HailStoreDirection  direction)
{
  g_autoptr(HailStoreCall) draft = hail_store_call_new ("sip:alice@example.test", BOB,
                                                        direction, "call-1@x");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  hail_store_add_call_async (store, draft, NULL, store_test_result_cb, &result);
  id = hail_store_add_call_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static HailStoreCall *
end_call (HailStore  *store,
          gint64      id,
          guint       status,
          const char *reason)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HailStoreCall *call;

  hail_store_end_call_async (store, id, status, reason, NULL, store_test_result_cb, &result);
  call = hail_store_end_call_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  return call;
}

static void
test_calls (Fixture       *fx,
            gconstpointer  data)
{
  gint64 missed_id = add_call (fx->store, HAIL_STORE_DIRECTION_IN);
  gint64 answered_id = add_call (fx->store, HAIL_STORE_DIRECTION_IN);
  gint64 unanswered_out = add_call (fx->store, HAIL_STORE_DIRECTION_OUT);
  gint64 elsewhere_id = add_call (fx->store, HAIL_STORE_DIRECTION_IN);
  g_autoptr(HailStoreCall) elsewhere = NULL;
  g_autoptr(HailStoreCall) ended_twice = NULL;
  g_autoptr(HailStoreCall) missed = NULL;
  g_autoptr(HailStoreCall) answered = NULL;
  g_autoptr(HailStoreCall) out = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) calls = NULL;
  g_autoptr(GError) error = NULL;

  hail_store_answer_call_async (fx->store, answered_id, NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_update_finish (fx->store, store_test_wait (&result), &error));
  g_clear_object (&result);

  missed = end_call (fx->store, missed_id, 487, "Request Terminated");
  answered = end_call (fx->store, answered_id, 200, NULL);
  out = end_call (fx->store, unanswered_out, 486, "Busy Here");
  elsewhere = end_call (fx->store, elsewhere_id, 200, "Call completed elsewhere");
  ended_twice = end_call (fx->store, missed_id, 408, "Late");

  g_assert_true (hail_store_call_get_missed (missed));
  g_assert_cmpuint (hail_store_call_get_status (missed), ==, 487);
  g_assert_cmpstr (hail_store_call_get_reason (missed), ==, "Request Terminated");
  g_assert_cmpint (hail_store_call_get_answer_time (missed), ==, 0);
  g_assert_false (hail_store_call_get_missed (answered));
  g_assert_cmpint (hail_store_call_get_answer_time (answered), >=,
                   hail_store_call_get_start_time (answered));
  g_assert_cmpint (hail_store_call_get_end_time (answered), >=,
                   hail_store_call_get_answer_time (answered));
  g_assert_cmpint (hail_store_call_get_duration (answered), >=, 0);
  /* An outgoing call nobody answered is not "missed" by us. */
  g_assert_false (hail_store_call_get_missed (out));
  g_assert_cmpstr (hail_store_call_get_call_id (out), ==, "call-1@x");
  /* Answered on another device: not missed. */
  g_assert_false (hail_store_call_get_missed (elsewhere));
  /* Only the first end counts. */
  g_assert_cmpuint (hail_store_call_get_status (ended_twice), ==, 487);
  g_assert_cmpint (hail_store_call_get_end_time (ended_twice), ==,
                   hail_store_call_get_end_time (missed));

  hail_store_list_calls_async (fx->store, 10, NULL, store_test_result_cb, &result);
  calls = hail_store_list_calls_finish (fx->store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (calls), ==, 4);
}

/* Declined here (603) is neither missed nor
 * confused with a caller giving up (487) or a 603 from the callee on an
 * outgoing call; the list, read back from SQL, agrees with the end. */
static void
test_call_declined (Fixture       *fx,
                    gconstpointer  data)
{
  static const struct {
    HailStoreDirection direction;
    guint status;
    gboolean missed;
    gboolean declined;
  } cases[] = {
    { HAIL_STORE_DIRECTION_IN, HAIL_STORE_STATUS_DECLINE, FALSE, TRUE },
    /* Refused for want of room (two calls): the user never saw it. */
    { HAIL_STORE_DIRECTION_IN, HAIL_STORE_STATUS_BUSY_HERE, TRUE, FALSE },
    { HAIL_STORE_DIRECTION_IN, 487, TRUE, FALSE },
    { HAIL_STORE_DIRECTION_IN, 480, TRUE, FALSE },
    { HAIL_STORE_DIRECTION_OUT, HAIL_STORE_STATUS_DECLINE, FALSE, FALSE },
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) calls = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 id = add_call (fx->store, cases[i].direction);
      g_autoptr(HailStoreCall) ended = end_call (fx->store, id, cases[i].status, NULL);

      g_assert_cmpuint (hail_store_call_get_status (ended), ==, cases[i].status);
      g_assert_cmpint (hail_store_call_get_missed (ended), ==, cases[i].missed);
      g_assert_cmpint (hail_store_call_get_declined (ended), ==, cases[i].declined);
    }

  hail_store_list_calls_async (fx->store, 10, NULL, store_test_result_cb, &result);
  calls = hail_store_list_calls_finish (fx->store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (calls);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (cases));
  /* Newest first. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HailStoreCall) call = g_list_model_get_item (calls, i);

      g_assert_cmpint (hail_store_call_get_missed (call), ==, cases[n - 1 - i].missed);
      g_assert_cmpint (hail_store_call_get_declined (call), ==, cases[n - 1 - i].declined);
    }
}

/* A 603 on a call that has not ended (a draft) is not a decline yet. */
static void
test_call_declined_needs_end (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(HailStoreCall) ringing = NULL;
  g_autoptr(HailStoreCall) ended = NULL;

  ringing = g_object_new (HAIL_TYPE_STORE_CALL, "direction", HAIL_STORE_DIRECTION_IN,
                          "status", HAIL_STORE_STATUS_DECLINE, NULL);
  ended = g_object_new (HAIL_TYPE_STORE_CALL, "direction", HAIL_STORE_DIRECTION_IN,
                        "status", HAIL_STORE_STATUS_DECLINE, "end-time", (gint64) 1, NULL);
  g_assert_false (hail_store_call_get_declined (ringing));
  g_assert_true (hail_store_call_get_declined (ended));
}

static void
test_call_unknown_id (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStoreCall) call = NULL;

  hail_store_end_call_async (fx->store, 99, 200, NULL, NULL, store_test_result_cb, &result);
  call = hail_store_end_call_finish (fx->store, store_test_wait (&result), &error);
  g_assert_null (call);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
}

/* Migrations */

static char *
schema_of (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *schema = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_master"
                                       " ORDER BY type, name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (schema, "%s %s %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (schema, FALSE);
}

static void
load_dump (const char *path,
           const char *dump)
{
  g_autoptr(GBytes) sql = hail_test_load_data (dump);
  g_autofree char *text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, text, NULL, NULL, &message) != SQLITE_OK)
    g_error ("loading %s: %s", dump, message);
  sqlite3_close (db);
}

static void
test_migrate_v1_dump (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *old_path = g_build_filename (fx->dir, "v1.db", NULL);
  g_autofree char *fresh_schema = NULL;
  g_autofree char *migrated_schema = NULL;
  g_autoptr(HailStore) store = NULL;
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(GListModel) hits = NULL;
  g_autoptr(GListModel) pending = NULL;

  load_dump (old_path, "data/store/schema-v1.sql");
  store = store_test_open (old_path);

  /* The data written by the old version is all there and searchable. */
  conversations = list_conversations (store);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 2);
  hits = search (store, "kayak");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  pending = store_test_pending (store);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  {
    g_autoptr(HailStoreMessage) interrupted = g_list_model_get_item (pending, 0);

    /* It was SENDING when that Hail stopped: one resend is left. */
    g_assert_cmpint (hail_store_message_get_state (interrupted), ==,
                     HAIL_STORE_MESSAGE_STATE_SENDING);
    g_assert_cmpuint (hail_store_message_get_send_attempts (interrupted), ==, 1);
    g_assert_cmpstr (hail_store_message_get_call_id (interrupted), ==, "writer-3@127.0.0.1");
    /* Rows from before files are texts. */
    g_assert_null (hail_store_message_get_file_name (interrupted));
    g_assert_cmpuint (hail_store_message_get_file_size (interrupted), ==, 0);
    g_assert_null (hail_store_message_get_file_uri (interrupted));
  }
  /* The migrated file takes file rows (schema 2, issue #8). */
  {
    g_autoptr(HailStoreMessage) draft = NULL;
    g_autoptr(HailStoreMessage) file = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GListModel) found = NULL;
    g_autoptr(GError) error = NULL;

    draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                          "account", "sip:alice@example.test",
                          "remote", "sip:bob@example.test",
                          "direction", HAIL_STORE_DIRECTION_OUT,
                          "body", "holiday canoe.jpg",
                          "content-type", "image/jpeg",
                          "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                          "file-name", "holiday canoe.jpg",
                          "file-size", (gint64) 5000000000,
                          "file-uri", "file:///home/alice/holiday%20canoe.jpg",
                          "file-hash", "AB:CD",
                          NULL);
    hail_store_add_outgoing_message_async (store, draft, NULL, store_test_result_cb, &result);
    g_assert_cmpint (hail_store_add_outgoing_message_finish (store, store_test_wait (&result),
                                                             &error), >, 0);
    g_assert_no_error (error);
    found = search (store, "canoe");
    g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
    file = g_list_model_get_item (found, 0);
    g_assert_cmpstr (hail_store_message_get_file_name (file), ==, "holiday canoe.jpg");
    g_assert_cmpuint (hail_store_message_get_file_size (file), ==, 5000000000);
    g_assert_cmpstr (hail_store_message_get_file_uri (file), ==,
                     "file:///home/alice/holiday%20canoe.jpg");
    g_assert_cmpstr (hail_store_message_get_file_hash (file), ==, "AB:CD");
    g_assert_cmpint (hail_store_message_get_mode (file), ==, HAIL_STORE_MESSAGE_MODE_SESSION);
  }
  store_test_close (g_steal_pointer (&store));

  fresh_schema = schema_of (fx->path);
  migrated_schema = schema_of (old_path);
  g_assert_cmpstr (migrated_schema, ==, fresh_schema);
}

/* A file row (issue #8) with @uri, from or to @remote. */
static gint64
add_file (HailStore          *store,
          HailStoreDirection  direction,
          const char         *remote,
          const char         *uri)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", "sip:alice@example.test", "remote", remote,
                        "direction", direction, "body", "f.bin",
                        "content-type", "application/octet-stream",
                        "mode", HAIL_STORE_MESSAGE_MODE_SESSION, "file-name", "f.bin",
                        "file-size", (gint64) 6000000, "file-uri", uri, "file-hash", "AB:CD",
                        NULL);
  if (direction == HAIL_STORE_DIRECTION_OUT)
    {
      hail_store_add_outgoing_message_async (store, draft, NULL, store_test_result_cb, &result);
      id = hail_store_add_outgoing_message_finish (store, store_test_wait (&result), &error);
    }
  else
    {
      hail_store_add_incoming_message_async (store, draft, NULL, store_test_result_cb, &result);
      id = hail_store_add_incoming_message_finish (store, store_test_wait (&result), NULL,
                                                   &error);
    }
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gboolean
set_file_acked (HailStore  *store,
                gint64      id,
                guint64     acked,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hail_store_set_file_acked_async (store, id, acked, "01:23", NULL, store_test_result_cb,
                                   &result);
  return hail_store_update_finish (store, store_test_wait (&result), error);
}

/* The stale parts' URIs, sorted and joined by "|". */
static char *
take_stale_parts (HailStore *store,
                  gint64     failed_before)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) uris = NULL;

  hail_store_take_stale_parts_async (store, failed_before, NULL, store_test_result_cb, &result);
  uris = hail_store_take_stale_parts_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (uris);
  qsort (uris, g_strv_length (uris), sizeof (char *), (GCompareFunc) g_strcmp0);
  return g_strjoinv ("|", uris);
}

static HailStoreMessage *
only_hit (HailStore  *store,
          const char *query)
{
  g_autoptr(GListModel) hits = search (store, query);

  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  return g_list_model_get_item (hits, 0);
}

/* Schema 3: what the peer acknowledged of an outgoing file is kept (a
 * retry after a restart resumes there), and the files of schema 2 rows
 * are taken up: an incoming one that failed is a stale part. */
static void
test_migrate_v2_dump (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *old_path = g_build_filename (fx->dir, "v2.db", NULL);
  g_autofree char *fresh_schema = NULL;
  g_autofree char *migrated_schema = NULL;
  g_autofree char *stale = NULL;
  g_autoptr(HailStore) store = NULL;
  g_autoptr(HailStoreMessage) report = NULL;
  g_autoptr(HailStoreMessage) acked = NULL;
  g_autoptr(HailStoreMessage) map = NULL;
  g_autoptr(GError) error = NULL;

  load_dump (old_path, "data/store/schema-v2.sql");
  store = store_test_open (old_path);
  report = only_hit (store, "report");
  g_assert_cmpstr (hail_store_message_get_file_name (report), ==, "report.pdf");
  g_assert_cmpuint (hail_store_message_get_file_acked (report), ==, 0);
  g_assert_true (set_file_acked (store, hail_store_message_get_id (report), 2097152, &error));
  g_assert_no_error (error);
  acked = only_hit (store, "report");
  g_assert_cmpuint (hail_store_message_get_file_acked (acked), ==, 2097152);
  /* The bytes count for the content with that hash. */
  g_assert_cmpstr (hail_store_message_get_file_hash (acked), ==, "01:23");
  /* Only outgoing files have bytes the peer acknowledged. */
  map = only_hit (store, "map");
  g_assert_false (set_file_acked (store, hail_store_message_get_id (map), 10, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND);
  /* It failed when it came (2025), more than a week ago. */
  stale = take_stale_parts (store, g_get_real_time () - 7 * G_TIME_SPAN_DAY);
  g_assert_cmpstr (stale, ==, "file:///home/alice/Downloads/map.png");
  store_test_close (g_steal_pointer (&store));

  fresh_schema = schema_of (fx->path);
  migrated_schema = schema_of (old_path);
  g_assert_cmpstr (migrated_schema, ==, fresh_schema);
}

/* Incoming files' parts are stale once failed before the given time or
 * deleted unfinished; each once, and never those of whole files. */
static void
test_stale_parts (Fixture       *fx,
                  gconstpointer  data)
{
  gint64 failed = add_file (fx->store, HAIL_STORE_DIRECTION_IN, BOB, "file:///d/failed.bin");
  gint64 sent = add_file (fx->store, HAIL_STORE_DIRECTION_OUT, BOB, "file:///d/sent.bin");
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *old = NULL;
  g_autofree char *again = NULL;
  g_autofree char *deleted = NULL;
  gint64 before;
  gint64 half = add_file (fx->store, HAIL_STORE_DIRECTION_IN, "sip:carol@example.test",
                          "file:///d/half.bin");

  /* An incoming file row is SENDING while its bytes come. */
  g_assert_true (set_state (fx->store, half, HAIL_STORE_MESSAGE_STATE_SENDING, 0, NULL, &error));
  add_file (fx->store, HAIL_STORE_DIRECTION_IN, "sip:carol@example.test", "file:///d/whole.bin");
  g_assert_true (set_state (fx->store, failed, HAIL_STORE_MESSAGE_STATE_FAILED, 0, "broken",
                            &error));
  g_assert_true (set_state (fx->store, sent, HAIL_STORE_MESSAGE_STATE_FAILED, 0, "broken",
                            &error));
  g_assert_no_error (error);
  before = g_get_real_time ();
  /* Failed just now: not stale a week back. */
  none = take_stale_parts (fx->store, before - 7 * G_TIME_SPAN_DAY);
  g_assert_cmpstr (none, ==, "");
  old = take_stale_parts (fx->store, before + 1);
  g_assert_cmpstr (old, ==, "file:///d/failed.bin");
  again = take_stale_parts (fx->store, before + 1);
  g_assert_cmpstr (again, ==, "");
  /* Carol's conversation goes: the unfinished file's part is stale, the
   * whole one's is not. */
  g_assert_true (update (fx->store, newest_conversation (fx->store), FALSE, TRUE, &error));
  g_assert_no_error (error);
  deleted = take_stale_parts (fx->store, 0);
  g_assert_cmpstr (deleted, ==, "file:///d/half.bin");
}

/* Returns the error message, for the read-only tests' child processes. */
static char *
assert_refused_untouched (const char     *path,
                          int             code)
{
  g_autoptr(GBytes) before = read_file (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = store_test_open_error (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_error (error, HAIL_STORE_ERROR, code);
  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GBytes) wal_bytes = read_file (wal);

      g_assert_cmpuint (g_bytes_get_size (wal_bytes), ==, 0);
    }
  return g_strdup (error->message);
}

static void
test_future_version_refused (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "future.db", NULL);

  load_dump (path, "data/store/schema-v1.sql");
  store_test_exec (path, "PRAGMA user_version = 99");
  g_free (assert_refused_untouched (path, HAIL_STORE_ERROR_TOO_NEW));
}

/* Damaged files */

static void
write_file (const char   *path,
            const guint8 *data,
            gsize         len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);
}

static void
test_corrupt_random (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "random.db", NULL);
  guint8 bytes[8192];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_test_rand_int_range (0, 256);
  write_file (path, bytes, sizeof bytes);
  g_free (assert_refused_untouched (path, HAIL_STORE_ERROR_CORRUPT));
}

static void
test_corrupt_wrong_header (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "header.db", NULL);
  g_autoptr(GBytes) good = NULL;
  g_autofree guint8 *bytes = NULL;
  gsize len;

  store_test_close (g_steal_pointer (&fx->store));
  good = read_file (fx->path);
  bytes = g_memdup2 (g_bytes_get_data (good, &len), g_bytes_get_size (good));
  memcpy (bytes, "SQLite format 2", 15);
  write_file (path, bytes, len);
  g_free (assert_refused_untouched (path, HAIL_STORE_ERROR_CORRUPT));
}

static void
test_corrupt_truncated (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "truncated.db", NULL);
  g_autoptr(GBytes) good = NULL;

  for (guint i = 0; i < 30; i++)
    store_test_add_out (fx->store, BOB, "some text to give the file a few pages of content");
  store_test_close (g_steal_pointer (&fx->store));
  good = read_file (fx->path);
  g_assert_cmpuint (g_bytes_get_size (good), >, 4096 * 4);
  /* Half the pages: the header still says more. */
  write_file (path, g_bytes_get_data (good, NULL), g_bytes_get_size (good) / 2);
  g_free (assert_refused_untouched (path, HAIL_STORE_ERROR_CORRUPT));
}

/* Damage inside a valid file (bytes flipped in random pages): the store
 * either finds the file sound and uses it, or refuses it untouched; it
 * never crashes (ASan watches) and never half-opens. */
static void
test_corrupt_flipped_bytes (Fixture       *fx,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "flipped.db", NULL);
  g_autoptr(GBytes) good = NULL;
  guint refused = 0;

  for (guint i = 0; i < 40; i++)
    store_test_add_out (fx->store, i % 2 ? BOB : CAROL, "words to fill a few more pages");
  store_test_close (g_steal_pointer (&fx->store));
  good = read_file (fx->path);

  for (guint round = 0; round < 30; round++)
    {
      g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (good, NULL),
                                            g_bytes_get_size (good));
      gsize len = g_bytes_get_size (good);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(HailStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) before = NULL;
      g_autoptr(GBytes) after = NULL;
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      /* Past the 100-byte header (its damage is the wrong-header case). */
      for (guint i = 0; i < 16; i++)
        bytes[g_test_rand_int_range (100, len)] ^= 1 << g_test_rand_int_range (0, 8);
      g_remove (wal);
      g_remove (shm);
      write_file (path, bytes, len);
      before = read_file (path);

      hail_store_new_async (path, NULL, store_test_result_cb, &result);
      store = hail_store_new_finish (store_test_wait (&result), &error);
      if (store != NULL)
        {
          g_autoptr(HailStoreMessage) draft =
            hail_store_message_new ("sip:alice@example.test", BOB, HAIL_STORE_DIRECTION_OUT,
                                    "after the damage");
          g_autoptr(GListModel) rows = NULL;

          /* Damage quick_check did not see (free space, index order)
           * may still surface here: as an error, never a crash. */
          g_clear_object (&result);
          hail_store_search_messages_async (store, "words", 100, NULL, store_test_result_cb,
                                            &result);
          rows = hail_store_list_messages_finish (store, store_test_wait (&result), &error);
          g_assert_true (rows != NULL || error->domain == HAIL_STORE_ERROR);
          g_clear_error (&error);
          g_clear_object (&result);
          hail_store_add_outgoing_message_async (store, draft, NULL, store_test_result_cb,
                                                 &result);
          if (hail_store_add_outgoing_message_finish (store, store_test_wait (&result),
                                                      &error) == 0)
            g_assert_true (error->domain == HAIL_STORE_ERROR);
          g_clear_error (&error);
          g_clear_object (&result);
          store_test_close (g_steal_pointer (&store));
          continue;
        }
      g_assert_true (error->domain == HAIL_STORE_ERROR);
      after = read_file (path);
      g_assert_true (g_bytes_equal (before, after));
      refused++;
    }
  g_test_message ("%u of 30 damaged copies refused", refused);
}

static void
test_corrupt_foreign (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "foreign.db", NULL);

  store_test_exec (path, "CREATE TABLE notes (text)");
  g_free (assert_refused_untouched (path, HAIL_STORE_ERROR_CORRUPT));
}

/* As root, permission bits do not stop writes: the check runs in a child
 * that gives up root first, on a database in a folder it can reach. */
static char *
make_reachable_dir (void)
{
  if (getuid () == 0)
    {
      char *dir = g_strdup ("/tmp/hail-store-ro-XXXXXX");

      g_assert_nonnull (g_mkdtemp_full (dir, 0755));
      return dir;
    }
  return store_test_make_dir ();
}

static gboolean
drop_root (void)
{
  return getuid () != 0 ||
         (setgroups (0, NULL) == 0 && setgid (65534) == 0 && setuid (65534) == 0);
}

/* A container without CAP_SETUID cannot drop root: find out in a throw-away
 * child (only async-signal-safe calls after fork), and skip if so. */
static gboolean
can_drop_root (void)
{
  int status = 0;
  pid_t pid;

  if (getuid () != 0)
    return TRUE;
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (drop_root () ? 0 : 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return TRUE;
  g_test_skip ("running as root without the right to drop it: permissions cannot be tested");
  return FALSE;
}

static char *
make_database (const char *dir)
{
  char *path = g_build_filename (dir, "hail.db", NULL);
  HailStore *store = store_test_open (path);

  store_test_add_out (store, BOB, "kept");
  store_test_close (store);
  return path;
}

static void
test_read_only_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (g_test_subprocess ())
    {
      path = g_build_filename (g_getenv ("HAIL_TEST_DIR"), "hail.db", NULL);
      g_assert_true (drop_root ());
      message = assert_refused_untouched (path, HAIL_STORE_ERROR_READ_ONLY);
      g_print ("refused: %s\n", message);
      return;
    }

  if (!can_drop_root ())
    return;
  dir = make_reachable_dir ();
  path = make_database (dir);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_setenv ("HAIL_TEST_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  store_test_rmdir (dir);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*refused: Cannot write the history database*Permission denied*");
}

static void
test_read_only_dir (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (g_test_subprocess ())
    {
      g_autofree char *fresh = NULL;
      g_autoptr(GError) error = NULL;

      dir = g_strdup (g_getenv ("HAIL_TEST_DIR"));
      path = g_build_filename (dir, "hail.db", NULL);
      fresh = g_build_filename (dir, "new.db", NULL);
      g_assert_true (drop_root ());
      message = assert_refused_untouched (path, HAIL_STORE_ERROR_READ_ONLY);
      g_print ("refused: %s\n", message);
      error = store_test_open_error (fresh);
      g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_READ_ONLY);
      g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
      return;
    }

  if (!can_drop_root ())
    return;
  dir = make_reachable_dir ();
  path = make_database (dir);
  /* The database itself stays writable: the folder is the problem. */
  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  g_setenv ("HAIL_TEST_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  store_test_rmdir (dir);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*refused: Cannot write the history database*Permission denied*");
}

/* Row ids below 1 (a damaged or hand-edited file: Hail never writes one)
 * fail with CORRUPT. They used to fail with no GError at all, and the
 * GTask then met NULL: a critical, seen in /store/robust/flipped-bytes
 * when the damage hit a conversation's id. */
static void
assert_add_out_corrupt (HailStore *store)
{
  g_autoptr(HailStoreMessage) draft = hail_store_message_new ("sip:alice@example.test", BOB,
                                                              HAIL_STORE_DIRECTION_OUT, "hi");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (add_draft (store, draft, NULL, &error), ==, 0);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CORRUPT);
}

static void
test_conversation_id_zero (Fixture       *fx,
                           gconstpointer  data)
{
  store_test_exec (fx->path, "INSERT INTO conversations (id, account, remote)"
                   " VALUES (0, 'sip:alice@example.test', '" BOB "')");
  assert_add_out_corrupt (fx->store);
}

static void
test_message_id_zero (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *rows = NULL;

  /* The next rowid SQLite picks after -1 is 0. */
  store_test_add_out (fx->store, CAROL, "first");
  store_test_exec (fx->path, "UPDATE messages SET id = -1");
  assert_add_out_corrupt (fx->store);
  rows = store_test_sql (fx->path, "SELECT count(*) FROM messages");
  g_assert_cmpstr (rows, ==, "1");
}

static void
test_duplicate_id_negative (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = FALSE;

  store_test_add_in (fx->store, BOB, "ping", "abc@host", 7, &duplicate);
  store_test_exec (fx->path, "UPDATE messages SET id = -5");
  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE, "account", "sip:alice@example.test",
                        "remote", BOB, "direction", HAIL_STORE_DIRECTION_IN, "body", "ping",
                        "call-id", "abc@host", "cseq", 7, NULL);
  g_assert_cmpint (add_draft (fx->store, draft, &duplicate, &error), ==, 0);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CORRUPT);
  g_assert_false (duplicate);
}

static void
test_call_id_zero (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(HailStoreCall) draft = hail_store_call_new ("sip:alice@example.test", BOB,
                                                        HAIL_STORE_DIRECTION_OUT, "c1@x");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  store_test_exec (fx->path, "INSERT INTO calls (id, account, remote, direction, start_time)"
                   " VALUES (-1, 'sip:alice@example.test', '" BOB "', 1, 1)");
  hail_store_add_call_async (fx->store, draft, NULL, store_test_result_cb, &result);
  g_assert_cmpint (hail_store_add_call_finish (fx->store, store_test_wait (&result), &error),
                   ==, 0);
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CORRUPT);
}

static void
test_contact_id_zero (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *vcf = g_build_filename (fx->dir, "one.vcf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (vcf);
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  guint n = 0;

  g_assert_true (g_file_set_contents (vcf, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\n"
                                      "IMPP:sip:bob@example.test\r\nEND:VCARD\r\n", -1, NULL));
  store_test_exec (fx->path, "INSERT INTO contacts (id, name) VALUES (0, 'Bob')");
  g_assert_false (hail_store_import_vcard_sync (fx->store, file, &n, &error));
  g_assert_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CORRUPT);
  rows = store_test_sql (fx->path, "SELECT count(*) FROM contact_addresses");
  g_assert_cmpstr (rows, ==, "0");
}

/* Completions (signals, callbacks) run in the caller's thread even when
 * nobody iterates its context as the job ends: here the main thread is
 * blocked in a _sync call queued behind the write. They used to run on
 * the worker thread then, racing the main thread. */
static void
record_thread_cb (HailStore        *store,
                  HailStoreMessage *message,
                  gpointer          user_data)
{
  *(GThread **) user_data = g_thread_self ();
}

static void
test_completes_in_caller_thread (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autoptr(HailStoreMessage) draft = hail_store_message_new ("sip:alice@example.test", BOB,
                                                              HAIL_STORE_DIRECTION_OUT, "hi");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) conversations = NULL;
  g_autoptr(GError) error = NULL;
  GThread *emitted_in = NULL;

  g_signal_connect (fx->store, "message-added", G_CALLBACK (record_thread_cb), &emitted_in);
  hail_store_add_outgoing_message_async (fx->store, draft, NULL, store_test_result_cb, &result);
  conversations = hail_store_list_conversations_sync (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 1);
  g_assert_null (emitted_in);
  g_assert_cmpint (hail_store_add_outgoing_message_finish (fx->store, store_test_wait (&result),
                                                           &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (emitted_in == g_thread_self ());
  g_signal_handlers_disconnect_by_func (fx->store, record_thread_cb, &emitted_in);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/store/open-creates-schema", test_open_creates_schema);
  g_test_add_func ("/store/store/open-default-path", test_open_default_path);
  ADD ("/store/store/open-sync", test_open_sync);
  ADD ("/store/store/open-concurrently", test_open_concurrently);
  ADD ("/store/store/closed-fails", test_closed_fails);
  ADD ("/store/store/completes-in-caller-thread", test_completes_in_caller_thread);
  ADD ("/store/message/outgoing-queued-first", test_outgoing_queued_first);
  ADD ("/store/message/state-updates", test_state_updates);
  ADD ("/store/message/state-unknown-id", test_state_unknown_id);
  ADD ("/store/message/mode-updates", test_mode_updates);
  ADD ("/store/message/incoming-dedupe", test_incoming_dedupe);
  ADD ("/store/message/invalid-input", test_invalid_input);
  ADD ("/store/message/paged", test_messages_paged);
  ADD ("/store/message/group-commit-isolates-failures", test_group_commit_isolates_failures);
  ADD ("/store/search/fts", test_search_fts);
  ADD ("/store/conversation/read-and-title", test_conversation_read_and_title);
  ADD ("/store/conversation/cascade", test_conversation_cascade);
  ADD ("/store/call/missed-and-duration", test_calls);
  ADD ("/store/call/unknown-id", test_call_unknown_id);
  ADD ("/store/call/declined-not-missed", test_call_declined);
  ADD ("/store/call/declined-needs-end", test_call_declined_needs_end);
  ADD ("/store/migration/v1-dump", test_migrate_v1_dump);
  ADD ("/store/migration/v2-dump", test_migrate_v2_dump);
  ADD ("/store/files/stale-parts", test_stale_parts);
  ADD ("/store/migration/future-version-refused", test_future_version_refused);
  ADD ("/store/robust/random-bytes", test_corrupt_random);
  ADD ("/store/robust/wrong-header", test_corrupt_wrong_header);
  ADD ("/store/robust/truncated", test_corrupt_truncated);
  ADD ("/store/robust/flipped-bytes", test_corrupt_flipped_bytes);
  ADD ("/store/robust/foreign-database", test_corrupt_foreign);
  ADD ("/store/robust/conversation-id-zero", test_conversation_id_zero);
  ADD ("/store/robust/message-id-zero", test_message_id_zero);
  ADD ("/store/robust/duplicate-id-negative", test_duplicate_id_negative);
  ADD ("/store/robust/call-id-zero", test_call_id_zero);
  ADD ("/store/robust/contact-id-zero", test_contact_id_zero);
  g_test_add_func ("/store/robust/read-only-file", test_read_only_file);
  g_test_add_func ("/store/robust/read-only-dir", test_read_only_dir);

  return g_test_run ();
}
