/* hail-store-db-messages.c: messages, conversations and full-text search,
 * on the store's worker thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-db-private.h"

#include "hail-store-error.h"

#define MESSAGE_COLUMNS \
  "SELECT m.id, m.conversation_id, m.account, c.remote, m.direction, m.body, m.content_type," \
  " m.time_sent, m.time_received, m.call_id, m.cseq, m.state, m.status, m.reason, m.mode," \
  " m.imdn_id, m.send_attempts, m.file_name, m.file_size, m.file_uri, m.file_hash," \
  " m.file_acked" \
  " FROM messages m JOIN conversations c" \
  " ON c.id = m.conversation_id "

#define CONVERSATION_COLUMNS \
  "SELECT id, account, remote, title, last_activity, unread_count FROM conversations "

static gpointer
message_from_row (sqlite3_stmt *stmt)
{
  /* The CHECK constraints keep the enums in range; the clamps only keep a
   * hand-edited file from reaching g_critical() in GObject. */
  return g_object_new (HAIL_TYPE_STORE_MESSAGE,
                       "id", sqlite3_column_int64 (stmt, 0),
                       "conversation-id", sqlite3_column_int64 (stmt, 1),
                       "account", _hail_store_db_column_text (stmt, 2),
                       "remote", _hail_store_db_column_text (stmt, 3),
                       "direction", CLAMP (sqlite3_column_int (stmt, 4), 0, 1),
                       "body", _hail_store_db_column_text (stmt, 5),
                       "content-type", _hail_store_db_column_text (stmt, 6),
                       "time-sent", MAX (sqlite3_column_int64 (stmt, 7), 0),
                       "time-received", MAX (sqlite3_column_int64 (stmt, 8), 0),
                       "call-id", _hail_store_db_column_text (stmt, 9),
                       "cseq", (guint) CLAMP (sqlite3_column_int64 (stmt, 10), 0, G_MAXUINT32),
                       "state", CLAMP (sqlite3_column_int (stmt, 11), 0,
                                       HAIL_STORE_MESSAGE_STATE_FAILED),
                       "status", (guint) CLAMP (sqlite3_column_int (stmt, 12), 0, 999),
                       "reason", _hail_store_db_column_text (stmt, 13),
                       "mode", CLAMP (sqlite3_column_int (stmt, 14), 0, 1),
                       "imdn-id", _hail_store_db_column_text (stmt, 15),
                       "send-attempts", (guint) CLAMP (sqlite3_column_int64 (stmt, 16), 0,
                                                       G_MAXUINT),
                       "file-name", _hail_store_db_column_text (stmt, 17),
                       "file-size", MAX (sqlite3_column_int64 (stmt, 18), 0),
                       "file-uri", _hail_store_db_column_text (stmt, 19),
                       "file-hash", _hail_store_db_column_text (stmt, 20),
                       "file-acked", MAX (sqlite3_column_int64 (stmt, 21), 0),
                       NULL);
}

static gpointer
conversation_from_row (sqlite3_stmt *stmt)
{
  return g_object_new (HAIL_TYPE_STORE_CONVERSATION,
                       "id", sqlite3_column_int64 (stmt, 0),
                       "account", _hail_store_db_column_text (stmt, 1),
                       "remote", _hail_store_db_column_text (stmt, 2),
                       "title", _hail_store_db_column_text (stmt, 3),
                       "last-activity", MAX (sqlite3_column_int64 (stmt, 4), 0),
                       "unread-count", (guint) CLAMP (sqlite3_column_int64 (stmt, 5), 0,
                                                      G_MAXUINT),
                       NULL);
}

static HailStoreMessage *
read_message (HailStoreDb  *db,
              gint64        id,
              GError      **error)
{
  return _hail_store_db_read_row (db, MESSAGE_COLUMNS "WHERE m.id = ?", id, message_from_row,
                                  "message", error);
}

static HailStoreConversation *
read_conversation (HailStoreDb  *db,
                   gint64        id,
                   GError      **error)
{
  return _hail_store_db_read_row (db, CONVERSATION_COLUMNS "WHERE id = ?", id,
                                  conversation_from_row, "conversation", error);
}

static gboolean
check_draft (HailStoreMessage  *draft,
             GError           **error)
{
  const HailStoreField fields[] = {
    { hail_store_message_get_account (draft), "account", TRUE },
    { hail_store_message_get_remote (draft), "remote address", TRUE },
    { hail_store_message_get_content_type (draft), "content type", TRUE },
    { hail_store_message_get_call_id (draft), "Call-ID", FALSE },
    { hail_store_message_get_imdn_id (draft), "IMDN Message-ID", FALSE },
    { hail_store_message_get_file_name (draft), "file name", FALSE },
    { hail_store_message_get_file_uri (draft), "file URI", FALSE },
    { hail_store_message_get_file_hash (draft), "file hash", FALSE },
  };
  const char *body = hail_store_message_get_body (draft);

  if (!_hail_store_db_check_fields (fields, G_N_ELEMENTS (fields), error))
    return FALSE;

  if (body == NULL || strlen (body) > HAIL_STORE_MAX_BODY || !g_utf8_validate (body, -1, NULL))
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The message body is missing, longer than %d bytes or not UTF-8",
                   HAIL_STORE_MAX_BODY);
      return FALSE;
    }
  return TRUE;
}

/* A retransmitted MESSAGE carries the Call-ID and CSeq of the first. */
static gint64
find_duplicate (HailStoreDb       *db,
                HailStoreMessage  *draft,
                GError           **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;
  gint64 id;
  int rc;

  stmt = _hail_store_db_prepare (db,
                                 "SELECT id FROM messages WHERE account = ? AND call_id = ?"
                                 " AND cseq = ? AND direction = 0",
                                 error);
  if (stmt == NULL)
    return -1;
  _hail_store_db_bind_text (stmt, 1, hail_store_message_get_account (draft));
  _hail_store_db_bind_text (stmt, 2, hail_store_message_get_call_id (draft));
  sqlite3_bind_int64 (stmt, 3, hail_store_message_get_cseq (draft));
  rc = _hail_store_db_step_row (db, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_DONE)
    return 0;
  /* 0 means "none" here: a damaged id is an error. */
  id = _hail_store_db_check_id (db, sqlite3_column_int64 (stmt, 0), "message", error);
  return id > 0 ? id : -1;
}

static gint64
ensure_conversation (HailStoreDb  *db,
                     const char   *account,
                     const char   *remote,
                     GError      **error)
{
  g_autoptr(HailStoreStmt) insert = NULL;
  g_autoptr(HailStoreStmt) select = NULL;
  int rc;

  insert = _hail_store_db_prepare (db,
                                   "INSERT INTO conversations (account, remote) VALUES (?, ?)"
                                   " ON CONFLICT (account, remote) DO NOTHING",
                                   error);
  if (insert == NULL)
    return 0;
  _hail_store_db_bind_text (insert, 1, account);
  _hail_store_db_bind_text (insert, 2, remote);
  if (!_hail_store_db_step_done (db, insert, error))
    return 0;

  select = _hail_store_db_prepare (db,
                                   "SELECT id FROM conversations WHERE account = ? AND remote = ?",
                                   error);
  if (select == NULL)
    return 0;
  _hail_store_db_bind_text (select, 1, account);
  _hail_store_db_bind_text (select, 2, remote);
  rc = _hail_store_db_step_row (db, select, error);
  if (rc == SQLITE_ROW)
    return _hail_store_db_check_id (db, sqlite3_column_int64 (select, 0), "conversation", error);
  if (rc == SQLITE_DONE)
    g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_FAILED,
                 "The conversation with %s vanished while it was written", remote);
  return 0;
}

static gint64
insert_message (HailStoreDb       *db,
                HailStoreMessage  *draft,
                gint64             conversation_id,
                gint64             now,
                GError           **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;
  gboolean outgoing = hail_store_message_get_direction (draft) == HAIL_STORE_DIRECTION_OUT;
  gint64 time_sent = hail_store_message_get_time_sent (draft);
  gint64 time_received = hail_store_message_get_time_received (draft);

  /* An outgoing message is written QUEUED before it is sent, so that a
   * crash in between leaves it for the resend at start-up. */
  if (outgoing && time_sent == 0)
    time_sent = now;
  if (!outgoing && time_received == 0)
    time_received = now;

  stmt = _hail_store_db_prepare (db,
                                 "INSERT INTO messages (conversation_id, account, direction, body,"
                                 " content_type, time_sent, time_received, call_id, cseq, state,"
                                 " mode, imdn_id, file_name, file_size, file_uri, file_hash)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  _hail_store_db_bind_text (stmt, 2, hail_store_message_get_account (draft));
  sqlite3_bind_int (stmt, 3, outgoing ? HAIL_STORE_DIRECTION_OUT : HAIL_STORE_DIRECTION_IN);
  _hail_store_db_bind_text (stmt, 4, hail_store_message_get_body (draft));
  _hail_store_db_bind_text (stmt, 5, hail_store_message_get_content_type (draft));
  _hail_store_db_bind_optional (stmt, 6, time_sent);
  _hail_store_db_bind_optional (stmt, 7, time_received);
  _hail_store_db_bind_text (stmt, 8, hail_store_message_get_call_id (draft));
  if (hail_store_message_get_call_id (draft) != NULL)
    sqlite3_bind_int64 (stmt, 9, hail_store_message_get_cseq (draft));
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_int (stmt, 10, outgoing ? HAIL_STORE_MESSAGE_STATE_QUEUED
                                       : HAIL_STORE_MESSAGE_STATE_DELIVERED);
  sqlite3_bind_int (stmt, 11, hail_store_message_get_mode (draft));
  _hail_store_db_bind_text (stmt, 12, hail_store_message_get_imdn_id (draft));
  _hail_store_db_bind_text (stmt, 13, hail_store_message_get_file_name (draft));
  if (hail_store_message_get_file_name (draft) != NULL)
    sqlite3_bind_int64 (stmt, 14, (sqlite3_int64) MIN (hail_store_message_get_file_size (draft),
                                                       (guint64) G_MAXINT64));
  else
    sqlite3_bind_null (stmt, 14);
  _hail_store_db_bind_text (stmt, 15, hail_store_message_get_file_uri (draft));
  _hail_store_db_bind_text (stmt, 16, hail_store_message_get_file_hash (draft));
  if (!_hail_store_db_step_done (db, stmt, error))
    return 0;
  return _hail_store_db_check_id (db, sqlite3_last_insert_rowid (db->handle), "message", error);
}

static gboolean
touch_conversation (HailStoreDb  *db,
                    gint64        conversation_id,
                    gint64        when,
                    gboolean      unread,
                    GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db,
                                 "UPDATE conversations SET last_activity = max(last_activity, ?),"
                                 " unread_count = unread_count + ? WHERE id = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, when);
  sqlite3_bind_int (stmt, 2, unread ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, conversation_id);
  return _hail_store_db_step_done (db, stmt, error);
}

/* Issue #8: which way an outgoing message went after all. */
HailStoreMessage *
_hail_store_db_set_message_mode (HailStoreDb           *db,
                                 gint64                 id,
                                 HailStoreMessageMode   mode,
                                 GError               **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db, "UPDATE messages SET mode = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, mode);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_hail_store_db_step_done (db, stmt, error))
    return NULL;
  /* read_message() says NOT_FOUND for an id that matched no row. */
  return read_message (db, id, error);
}

gboolean
_hail_store_db_add_message (HailStoreDb            *db,
                            HailStoreMessage       *draft,
                            HailStoreMessage      **out_message,
                            HailStoreConversation **out_conversation,
                            gboolean               *out_duplicate,
                            GError                **error)
{
  g_autoptr(HailStoreMessage) message = NULL;
  g_autoptr(HailStoreConversation) conversation = NULL;
  gboolean incoming = hail_store_message_get_direction (draft) == HAIL_STORE_DIRECTION_IN;
  gint64 now = g_get_real_time ();
  gint64 conversation_id;
  gint64 id;

  if (!check_draft (draft, error))
    return FALSE;
  if (!_hail_store_db_begin (db, error))
    return FALSE;

  if (incoming && hail_store_message_get_call_id (draft) != NULL)
    {
      gint64 existing = find_duplicate (db, draft, error);

      if (existing < 0)
        goto fail;
      if (existing > 0)
        {
          _hail_store_db_rollback (db);
          message = read_message (db, existing, error);
          if (message == NULL)
            return FALSE;
          *out_message = g_steal_pointer (&message);
          *out_conversation = NULL;
          *out_duplicate = TRUE;
          return TRUE;
        }
    }

  conversation_id = ensure_conversation (db, hail_store_message_get_account (draft),
                                         hail_store_message_get_remote (draft), error);
  if (conversation_id == 0)
    goto fail;
  id = insert_message (db, draft, conversation_id, now, error);
  if (id == 0)
    goto fail;
  message = read_message (db, id, error);
  if (message == NULL)
    goto fail;
  if (!touch_conversation (db, conversation_id,
                           incoming ? hail_store_message_get_time_received (message)
                                    : hail_store_message_get_time_sent (message),
                           incoming, error))
    goto fail;
  conversation = read_conversation (db, conversation_id, error);
  if (conversation == NULL)
    goto fail;
  /* A failed commit has rolled back already: no second rollback, which
   * would undo the enclosing transaction of a group commit. */
  if (!_hail_store_db_commit (db, error))
    return FALSE;

  *out_message = g_steal_pointer (&message);
  *out_conversation = g_steal_pointer (&conversation);
  *out_duplicate = FALSE;
  return TRUE;

fail:
  _hail_store_db_rollback (db);
  return FALSE;
}

HailStoreMessage *
_hail_store_db_set_message_state (HailStoreDb            *db,
                                  gint64                  id,
                                  HailStoreMessageState   state,
                                  guint                   status,
                                  const char             *reason,
                                  GError                **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  if (!_hail_store_db_check_status (status, reason, error))
    return NULL;

  stmt = _hail_store_db_prepare (db,
                                 "UPDATE messages SET state = ?1, status = ?2, reason = ?3,"
                                 " send_attempts = send_attempts + (?1 = 1),"
                                 " file_failed_at = CASE WHEN ?1 = 5 AND file_name IS NOT NULL"
                                 "   THEN ?5 END"
                                 " WHERE id = ?4",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, state);
  sqlite3_bind_int (stmt, 2, status);
  _hail_store_db_bind_text (stmt, 3, reason);
  sqlite3_bind_int64 (stmt, 4, id);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (!_hail_store_db_step_done (db, stmt, error) ||
      !_hail_store_db_check_changed (db, "message", id, error))
    return NULL;
  return read_message (db, id, error);
}

gboolean
_hail_store_db_set_file_acked (HailStoreDb  *db,
                               gint64        id,
                               guint64       acked,
                               const char   *hash,
                               GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  if (hash != NULL && strlen (hash) > HAIL_STORE_MAX_FIELD)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID, "The file hash is too long");
      return FALSE;
    }
  stmt = _hail_store_db_prepare (db,
                                 "UPDATE messages SET file_acked = MIN (?1, file_size),"
                                 " file_hash = ?3"
                                 " WHERE id = ?2 AND direction = 1 AND file_name IS NOT NULL",
                                 error);
  if (stmt == NULL)
    return FALSE;
  _hail_store_db_bind_text (stmt, 3, hash);
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) MIN (acked, (guint64) G_MAXINT64));
  sqlite3_bind_int64 (stmt, 2, id);
  return _hail_store_db_step_done (db, stmt, error) &&
         _hail_store_db_check_changed (db, "file message", id, error);
}

static gpointer
text_from_row (sqlite3_stmt *stmt)
{
  return g_strdup (_hail_store_db_column_text (stmt, 0));
}

/* Runs @sql (one parameter: @when, or none) and adds its first column
 * to @uris. */
static gboolean
collect_uris (HailStoreDb  *db,
              const char   *sql,
              gint64        when,
              GPtrArray    *uris,
              GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = _hail_store_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, when);
  while ((rc = _hail_store_db_step_row (db, stmt, error)) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
      g_ptr_array_add (uris, text_from_row (stmt));
  return rc >= 0;
}

/* The file URIs of incoming files that failed before @failed_before, or
 * whose rows were deleted unfinished; each is handed out once. */
GPtrArray *
_hail_store_db_take_stale_parts (HailStoreDb  *db,
                                 gint64        failed_before,
                                 GError      **error)
{
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);

  if (!_hail_store_db_begin (db, error))
    return NULL;
  if (!collect_uris (db, "SELECT file_uri FROM messages WHERE direction = 0 AND state = 5"
                     " AND file_failed_at < ?1", failed_before, uris, error) ||
      !collect_uris (db, "UPDATE messages SET file_failed_at = NULL WHERE direction = 0"
                     " AND state = 5 AND file_failed_at < ?1", failed_before, uris, error) ||
      !collect_uris (db, "SELECT file_uri FROM orphaned_parts", 0, uris, error) ||
      !_hail_store_db_exec (db, "DELETE FROM orphaned_parts", error) ||
      !_hail_store_db_commit (db, error))
    {
      _hail_store_db_rollback (db);
      return NULL;
    }
  return g_steal_pointer (&uris);
}

GPtrArray *
_hail_store_db_list_messages (HailStoreDb  *db,
                              gint64        conversation_id,
                              gint64        before_id,
                              guint         limit,
                              GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;
  GPtrArray *rows;

  /* The newest page first, read backwards along the index, then turned
   * into the display order (oldest first). */
  stmt = _hail_store_db_prepare (db,
                                 MESSAGE_COLUMNS "WHERE m.conversation_id = ? AND m.id < ?"
                                 " ORDER BY m.id DESC LIMIT ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_int64 (stmt, 2, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int (stmt, 3, CLAMP (limit, 1, HAIL_STORE_MAX_PAGE));
  rows = _hail_store_db_collect (db, stmt, message_from_row, error);
  if (rows != NULL)
    {
      for (guint i = 0; i < rows->len / 2; i++)
        {
          gpointer tmp = rows->pdata[i];

          rows->pdata[i] = rows->pdata[rows->len - 1 - i];
          rows->pdata[rows->len - 1 - i] = tmp;
        }
    }
  return rows;
}

GPtrArray *
_hail_store_db_list_pending (HailStoreDb  *db,
                             GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db, MESSAGE_COLUMNS "WHERE m.state IN (0, 1) ORDER BY m.id",
                                 error);
  if (stmt == NULL)
    return NULL;
  return _hail_store_db_collect (db, stmt, message_from_row, error);
}

/* RFC 5547 §9: the newest incoming file like @like (account, peer, name,
 * size and hash) that did not arrive whole, as a list of 0 or 1. */
GPtrArray *
_hail_store_db_find_partial_file (HailStoreDb       *db,
                                  HailStoreMessage  *like,
                                  GError           **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db, MESSAGE_COLUMNS
                                 "WHERE m.account = ?1 AND c.remote = ?2 AND m.direction = 0"
                                 " AND m.file_name = ?3 AND m.file_size = ?4 AND m.file_hash = ?5"
                                 " AND m.state IN (1, 5) ORDER BY m.id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  _hail_store_db_bind_text (stmt, 1, hail_store_message_get_account (like));
  _hail_store_db_bind_text (stmt, 2, hail_store_message_get_remote (like));
  _hail_store_db_bind_text (stmt, 3, hail_store_message_get_file_name (like));
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) MIN (hail_store_message_get_file_size (like),
                                                    (guint64) G_MAXINT64));
  _hail_store_db_bind_text (stmt, 5, hail_store_message_get_file_hash (like));
  return _hail_store_db_collect (db, stmt, message_from_row, error);
}

GPtrArray *
_hail_store_db_get_message (HailStoreDb  *db,
                            gint64        id,
                            GError      **error)
{
  HailStoreMessage *message = read_message (db, id, error);
  GPtrArray *rows;

  if (message == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (rows, message);
  return rows;
}

/* Turns what the user typed into an FTS5 query that cannot be a syntax
 * error: every word becomes a quoted prefix term ("word"*), all required. */
static char *
build_match (const char  *query,
             GError     **error)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  guint terms = 0;

  if (strlen (query) > HAIL_STORE_MAX_QUERY || !g_utf8_validate (query, -1, NULL))
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The search text is longer than %d bytes or not UTF-8", HAIL_STORE_MAX_QUERY);
      return NULL;
    }

  words = g_strsplit_set (query, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL && terms < HAIL_STORE_MAX_QUERY_TERMS; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (match->len > 0)
        g_string_append_c (match, ' ');
      g_string_append_c (match, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append (match, "\"*");
      terms++;
    }
  return g_string_free (g_steal_pointer (&match), FALSE);
}

GPtrArray *
_hail_store_db_search (HailStoreDb  *db,
                       const char   *query,
                       guint         limit,
                       GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;
  g_autofree char *match = build_match (query, error);

  if (match == NULL)
    return NULL;
  if (*match == '\0')
    return g_ptr_array_new_with_free_func (g_object_unref);

  stmt = _hail_store_db_prepare (db,
                                 MESSAGE_COLUMNS "JOIN messages_fts f ON f.rowid = m.id"
                                 " WHERE messages_fts MATCH ? ORDER BY m.id DESC LIMIT ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  _hail_store_db_bind_text (stmt, 1, match);
  sqlite3_bind_int (stmt, 2, CLAMP (limit, 1, HAIL_STORE_MAX_PAGE));
  return _hail_store_db_collect (db, stmt, message_from_row, error);
}

GPtrArray *
_hail_store_db_list_conversations (HailStoreDb  *db,
                                   GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db, CONVERSATION_COLUMNS
                                 "ORDER BY last_activity DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  return _hail_store_db_collect (db, stmt, conversation_from_row, error);
}

HailStoreConversation *
_hail_store_db_update_conversation (HailStoreDb  *db,
                                    gint64        id,
                                    gboolean      mark_read,
                                    const char   *title,
                                    GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  if (!_hail_store_db_check_field (title, "title", FALSE, error))
    return NULL;

  /* One statement, so no explicit transaction: either part may be a no-op. */
  stmt = _hail_store_db_prepare (db,
                                 "UPDATE conversations SET"
                                 " unread_count = CASE WHEN ? THEN 0 ELSE unread_count END,"
                                 " title = CASE WHEN ? THEN ? ELSE title END WHERE id = ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, mark_read);
  sqlite3_bind_int (stmt, 2, title != NULL);
  _hail_store_db_bind_text (stmt, 3, title != NULL && *title != '\0' ? title : NULL);
  sqlite3_bind_int64 (stmt, 4, id);
  if (!_hail_store_db_step_done (db, stmt, error) ||
      !_hail_store_db_check_changed (db, "conversation", id, error))
    return NULL;
  return read_conversation (db, id, error);
}

gboolean
_hail_store_db_delete_conversation (HailStoreDb  *db,
                                    gint64        id,
                                    GError      **error)
{
  /* ON DELETE CASCADE removes the messages; their delete trigger removes
   * the full-text rows. */
  return _hail_store_db_change_row (db, "DELETE FROM conversations WHERE id = ?", id,
                                    "conversation", error);
}
