/* store-test-helpers.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "store-test-helpers.h"

#include "hail-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#define ACCOUNT "sip:alice@example.test"

void
store_test_result_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
store_test_wait (GAsyncResult **slot)
{
  g_assert_true (hail_test_wait_until (has_result, slot, 20000));
  return *slot;
}

char *
store_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("hail-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
store_test_rmdir (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  /* Restore what read-only tests removed, so that cleanup works. */
  g_chmod (path, 0700);
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        store_test_rmdir (child);
      else
        g_remove (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

HailStore *
store_test_open (const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HailStore *store;

  hail_store_new_async (path, NULL, store_test_result_cb, &result);
  store = hail_store_new_finish (store_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

GError *
store_test_open_error (const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HailStore) store = NULL;
  GError *error = NULL;

  hail_store_new_async (path, NULL, store_test_result_cb, &result);
  store = hail_store_new_finish (store_test_wait (&result), &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  return error;
}

void
store_test_close (HailStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hail_store_close_async (store, NULL, store_test_result_cb, &result);
  g_assert_true (hail_store_close_finish (store, store_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_finalize_object (store);
}

gint64
store_test_add_out (HailStore  *store,
                    const char *remote,
                    const char *body)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = g_uuid_string_random ();
  gint64 id;

  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", ACCOUNT,
                        "remote", remote,
                        "direction", HAIL_STORE_DIRECTION_OUT,
                        "body", body,
                        "call-id", call_id,
                        "cseq", 1,
                        NULL);
  hail_store_add_outgoing_message_async (store, draft, NULL, store_test_result_cb, &result);
  id = hail_store_add_outgoing_message_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

gint64
store_test_add_in (HailStore  *store,
                   const char *remote,
                   const char *body,
                   const char *call_id,
                   guint       cseq,
                   gboolean   *duplicate)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", ACCOUNT,
                        "remote", remote,
                        "direction", HAIL_STORE_DIRECTION_IN,
                        "body", body,
                        "call-id", call_id,
                        "cseq", cseq,
                        NULL);
  hail_store_add_incoming_message_async (store, draft, NULL, store_test_result_cb, &result);
  id = hail_store_add_incoming_message_finish (store, store_test_wait (&result), duplicate,
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

GListModel *
store_test_pending (HailStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;

  hail_store_list_pending_messages_async (store, NULL, store_test_result_cb, &result);
  model = hail_store_list_messages_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  return model;
}

char *
store_test_sql (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

void
store_test_exec (const char *path,
                 const char *sql)
{
  g_free (store_test_sql (path, sql));
}
