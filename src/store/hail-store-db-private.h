/* hail-store-db-private.h: helpers shared by the hail-store-db*.c files,
 * which all run on the store's worker thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "hail-store-private.h"

G_BEGIN_DECLS

struct _HailStoreDb
{
  sqlite3    *handle;
  char       *path;
  GHashTable *statements;   /* const char *sql (a literal) -> sqlite3_stmt * */
  guint       depth;        /* open transactions: 1 = BEGIN, more = savepoints */
};

/* g_autoptr(HailStoreStmt) resets a cached statement at the end of scope,
 * which ends its read transaction; the cache owns (finalizes) it. */
typedef sqlite3_stmt HailStoreStmt;

static inline void
_hail_store_stmt_reset (HailStoreStmt *stmt)
{
  sqlite3_reset (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailStoreStmt, _hail_store_stmt_reset)

void           _hail_store_db_set_error     (HailStoreDb   *db,
                                             int            rc,
                                             GError       **error,
                                             const char    *what);
gboolean       _hail_store_db_exec          (HailStoreDb   *db,
                                             const char    *sql,
                                             GError       **error);
sqlite3_stmt  *_hail_store_db_prepare       (HailStoreDb   *db,
                                             const char    *sql,
                                             GError       **error);
gboolean       _hail_store_db_step_done     (HailStoreDb   *db,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
int            _hail_store_db_step_row      (HailStoreDb   *db,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
void           _hail_store_db_rollback      (HailStoreDb   *db);
void           _hail_store_db_bind_text     (sqlite3_stmt  *stmt,
                                             int            index,
                                             const char    *text);
void           _hail_store_db_bind_optional (sqlite3_stmt  *stmt,
                                             int            index,
                                             gint64         value);
const char    *_hail_store_db_column_text   (sqlite3_stmt  *stmt,
                                             int            index);

/* A text field of a draft, as _hail_store_db_check_fields() checks it. */
typedef struct {
  const char *value;
  const char *what;       /* its name in the error message */
  gboolean    required;   /* not NULL nor empty */
} HailStoreField;

gboolean       _hail_store_db_check_fields  (const HailStoreField  *fields,
                                             gsize                  n_fields,
                                             GError               **error);
gboolean       _hail_store_db_check_field   (const char        *value,
                                             const char        *what,
                                             gboolean           required,
                                             GError           **error);
gboolean       _hail_store_db_check_status  (guint              status,
                                             const char        *reason,
                                             GError           **error);

/* Builds an item (a new reference) from the current row of a statement. */
typedef gpointer (*HailStoreRowFunc) (sqlite3_stmt *stmt);

gpointer       _hail_store_db_read_row      (HailStoreDb       *db,
                                             const char        *sql,
                                             gint64             id,
                                             HailStoreRowFunc   from_row,
                                             const char        *what,
                                             GError           **error);
GPtrArray     *_hail_store_db_collect       (HailStoreDb       *db,
                                             sqlite3_stmt      *stmt,
                                             HailStoreRowFunc   from_row,
                                             GError           **error);
gboolean       _hail_store_db_change_row    (HailStoreDb       *db,
                                             const char        *sql,
                                             gint64             id,
                                             const char        *what,
                                             GError           **error);
gboolean       _hail_store_db_check_changed (HailStoreDb       *db,
                                             const char        *what,
                                             gint64             id,
                                             GError           **error);
void           _hail_store_db_set_not_found (const char        *what,
                                             gint64             id,
                                             GError           **error);
gint64         _hail_store_db_check_id      (HailStoreDb       *db,
                                             gint64             id,
                                             const char        *what,
                                             GError           **error);

G_END_DECLS
