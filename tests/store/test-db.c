/* test-db.c: white-box tests of HailStoreDb's nested transactions, which
 * the worker's group commit relies on.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "hail-store-db-private.h"

#include "store-test-helpers.h"

typedef struct {
  char        *dir;
  char        *path;
  HailStoreDb *db;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = store_test_make_dir ();
  fx->path = g_build_filename (fx->dir, "hail.db", NULL);
  fx->db = _hail_store_db_open (fx->path, &error);
  g_assert_no_error (error);
  g_assert_true (_hail_store_db_exec (fx->db, "CREATE TABLE t (v TEXT)", &error));
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  _hail_store_db_close (fx->db);
  store_test_rmdir (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static char *
values (Fixture *fx)
{
  return store_test_sql (fx->path, "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY v)");
}

static void
test_inner_rollback_keeps_outer (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;

  g_assert_true (_hail_store_db_begin (fx->db, &error));
  g_assert_true (_hail_store_db_exec (fx->db, "INSERT INTO t VALUES ('a')", &error));
  g_assert_true (_hail_store_db_begin (fx->db, &error));
  g_assert_true (_hail_store_db_exec (fx->db, "INSERT INTO t VALUES ('b')", &error));
  _hail_store_db_rollback (fx->db);
  g_assert_true (_hail_store_db_begin (fx->db, &error));
  g_assert_true (_hail_store_db_exec (fx->db, "INSERT INTO t VALUES ('c')", &error));
  g_assert_true (_hail_store_db_commit (fx->db, &error));

  /* Nothing is visible to another connection before the outer COMMIT. */
  seen = values (fx);
  g_assert_null (seen);
  g_assert_true (_hail_store_db_commit (fx->db, &error));
  g_assert_no_error (error);
  g_clear_pointer (&seen, g_free);
  seen = values (fx);
  g_assert_cmpstr (seen, ==, "a,c");
}

static void
test_rollback_without_transaction_is_noop (Fixture       *fx,
                                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;

  g_assert_true (_hail_store_db_exec (fx->db, "INSERT INTO t VALUES ('kept')", &error));
  _hail_store_db_rollback (fx->db);
  g_assert_false (_hail_store_db_transaction_lost (fx->db));
  seen = values (fx);
  g_assert_cmpstr (seen, ==, "kept");
}

static void
test_transaction_lost (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;

  g_assert_true (_hail_store_db_begin (fx->db, &error));
  g_assert_true (_hail_store_db_begin (fx->db, &error));
  g_assert_true (_hail_store_db_exec (fx->db, "INSERT INTO t VALUES ('gone')", &error));
  g_assert_false (_hail_store_db_transaction_lost (fx->db));

  /* What SQLite does by itself on some SQLITE_FULL or IOERR failures. */
  g_assert_true (_hail_store_db_exec (fx->db, "ROLLBACK", &error));
  g_assert_true (_hail_store_db_transaction_lost (fx->db));

  /* The depth is forgotten: the next begin is a real BEGIN again. */
  g_assert_true (_hail_store_db_begin (fx->db, &error));
  g_assert_true (_hail_store_db_exec (fx->db, "INSERT INTO t VALUES ('new')", &error));
  g_assert_true (_hail_store_db_commit (fx->db, &error));
  g_assert_no_error (error);
  seen = values (fx);
  g_assert_cmpstr (seen, ==, "new");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/db/inner-rollback-keeps-outer", test_inner_rollback_keeps_outer);
  ADD ("/store/db/rollback-without-transaction-is-noop",
       test_rollback_without_transaction_is_noop);
  ADD ("/store/db/transaction-lost", test_transaction_lost);

  return g_test_run ();
}
