/* hail-store-db-calls.c: the call history, on the store's worker thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-db-private.h"

#include "hail-store-error.h"

#define CALL_COLUMNS \
  "SELECT id, account, remote, direction, call_id, start_time, answer_time, end_time," \
  " duration, status, reason, missed FROM calls "

/* A HailStoreCall from a row of CALL_COLUMNS. */
static gpointer
call_from_row (sqlite3_stmt *stmt)
{
  return g_object_new (HAIL_TYPE_STORE_CALL,
                       "id", sqlite3_column_int64 (stmt, 0),
                       "account", _hail_store_db_column_text (stmt, 1),
                       "remote", _hail_store_db_column_text (stmt, 2),
                       "direction", CLAMP (sqlite3_column_int (stmt, 3), 0, 1),
                       "call-id", _hail_store_db_column_text (stmt, 4),
                       "start-time", MAX (sqlite3_column_int64 (stmt, 5), 0),
                       "answer-time", MAX (sqlite3_column_int64 (stmt, 6), 0),
                       "end-time", MAX (sqlite3_column_int64 (stmt, 7), 0),
                       "duration", MAX (sqlite3_column_int64 (stmt, 8), 0),
                       "status", (guint) CLAMP (sqlite3_column_int (stmt, 9), 0, 999),
                       "reason", _hail_store_db_column_text (stmt, 10),
                       "missed", sqlite3_column_int (stmt, 11) != 0,
                       NULL);
}

static HailStoreCall *
read_call (HailStoreDb  *db,
           gint64        id,
           GError      **error)
{
  return _hail_store_db_read_row (db, CALL_COLUMNS "WHERE id = ?", id, call_from_row, "call",
                                  error);
}

HailStoreCall *
_hail_store_db_add_call (HailStoreDb    *db,
                         HailStoreCall  *draft,
                         GError        **error)
{
  const HailStoreField fields[] = {
    { hail_store_call_get_account (draft), "account", TRUE },
    { hail_store_call_get_remote (draft), "remote address", TRUE },
    { hail_store_call_get_call_id (draft), "Call-ID", FALSE },
  };
  g_autoptr(HailStoreStmt) stmt = NULL;
  gint64 start = hail_store_call_get_start_time (draft);
  gint64 id;

  if (!_hail_store_db_check_fields (fields, G_N_ELEMENTS (fields), error))
    return NULL;

  stmt = _hail_store_db_prepare (db,
                                 "INSERT INTO calls (account, remote, direction, call_id,"
                                 " start_time) VALUES (?, ?, ?, ?, ?)",
                                 error);
  if (stmt == NULL)
    return NULL;
  _hail_store_db_bind_text (stmt, 1, hail_store_call_get_account (draft));
  _hail_store_db_bind_text (stmt, 2, hail_store_call_get_remote (draft));
  sqlite3_bind_int (stmt, 3, hail_store_call_get_direction (draft));
  _hail_store_db_bind_text (stmt, 4, hail_store_call_get_call_id (draft));
  sqlite3_bind_int64 (stmt, 5, start != 0 ? start : g_get_real_time ());
  if (!_hail_store_db_step_done (db, stmt, error))
    return NULL;
  id = _hail_store_db_check_id (db, sqlite3_last_insert_rowid (db->handle), "call", error);
  if (id == 0)
    return NULL;
  return read_call (db, id, error);
}

HailStoreCall *
_hail_store_db_answer_call (HailStoreDb  *db,
                            gint64        id,
                            gint64        when,
                            GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  /* The first answer counts: a re-INVITE's 200 does not restart the clock. */
  stmt = _hail_store_db_prepare (db,
                                 "UPDATE calls SET answer_time = coalesce(answer_time, ?)"
                                 " WHERE id = ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, when);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_hail_store_db_step_done (db, stmt, error) ||
      !_hail_store_db_check_changed (db, "call", id, error))
    return NULL;
  return read_call (db, id, error);
}

HailStoreCall *
_hail_store_db_end_call (HailStoreDb  *db,
                         gint64        id,
                         gint64        when,
                         guint         status,
                         const char   *reason,
                         GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  if (!_hail_store_db_check_status (status, reason, error))
    return NULL;

  /* An incoming call that was never answered here is missed, whatever
   * ended it (CANCEL, timeout), except when the caller's CANCEL said it was
   * answered elsewhere (RFC 3326 Reason "SIP;cause=200", which the caller
   * passes on as status 200) or when it was declined here: an unanswered
   * incoming call ends with the final response we sent (or 487 for a
   * CANCEL), and the user's Decline sends 603 (a 486, sent when two calls
   * leave no room, is missed: the user never saw it). The same rule is
   * hail_store_call_get_declined(); no column says it, so no migration. */
  stmt = _hail_store_db_prepare (db,
                                 "UPDATE calls SET end_time = ?1, status = ?2, reason = ?3,"
                                 " duration = CASE WHEN answer_time IS NULL THEN 0"
                                 "   ELSE max(0, (?1 - answer_time) / 1000000) END,"
                                 " missed = (direction = 0 AND answer_time IS NULL"
                                 "   AND ?2 NOT IN (200, "
                                 G_STRINGIFY (HAIL_STORE_STATUS_DECLINE) "))"
                                 " WHERE id = ?4 AND end_time IS NULL",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, when);
  sqlite3_bind_int (stmt, 2, status);
  _hail_store_db_bind_text (stmt, 3, reason);
  sqlite3_bind_int64 (stmt, 4, id);
  if (!_hail_store_db_step_done (db, stmt, error))
    return NULL;
  /* No change means no such call (read_call() says NOT_FOUND) or a call
   * that already ended: only the first end counts. */
  return read_call (db, id, error);
}

GPtrArray *
_hail_store_db_list_calls (HailStoreDb  *db,
                           guint         limit,
                           GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db, CALL_COLUMNS "ORDER BY start_time DESC, id DESC LIMIT ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, CLAMP (limit, 1, HAIL_STORE_MAX_PAGE));
  return _hail_store_db_collect (db, stmt, call_from_row, error);
}
