/* hail-store-db.c: the SQL side of HailStore. Everything here runs on the
 * store's worker thread, which alone owns the sqlite3 handle.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-db-private.h"

#include "hail-store-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Migrations: step N takes a database from user_version N to N + 1, inside
 * one transaction. Append new steps; never edit a released one (the dumps in
 * tests/data/store/ check that). */
static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE conversations ("
  "  id INTEGER PRIMARY KEY,"
  "  account TEXT NOT NULL,"
  "  remote TEXT NOT NULL,"
  "  title TEXT,"
  "  last_activity INTEGER NOT NULL DEFAULT 0,"
  "  unread_count INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),"
  "  UNIQUE (account, remote));"
  "CREATE INDEX conversations_by_activity ON conversations (last_activity DESC, id DESC);"
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
  "  account TEXT NOT NULL,"
  "  direction INTEGER NOT NULL CHECK (direction IN (0, 1)),"
  "  body TEXT NOT NULL,"
  "  content_type TEXT NOT NULL DEFAULT 'text/plain',"
  "  time_sent INTEGER,"
  "  time_received INTEGER,"
  "  call_id TEXT,"
  "  cseq INTEGER,"
  "  state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 5),"
  "  status INTEGER NOT NULL DEFAULT 0,"
  "  reason TEXT,"
  "  mode INTEGER NOT NULL DEFAULT 0 CHECK (mode IN (0, 1)),"
  "  imdn_id TEXT,"
  /* Times the message entered SENDING: the resend at start-up happens once. */
  "  send_attempts INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX messages_by_conversation ON messages (conversation_id, id);"
  "CREATE INDEX messages_pending ON messages (state) WHERE state IN (0, 1);"
  /* A retransmitted MESSAGE (same account, Call-ID and CSeq) is stored once. */
  "CREATE UNIQUE INDEX messages_dedupe ON messages (account, call_id, cseq)"
  "  WHERE direction = 0 AND call_id IS NOT NULL;"
  "CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content='messages', content_rowid='id');"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
  "  INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);"
  "END;"
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);"
  "  INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);"
  "END;"
  "CREATE TABLE calls ("
  "  id INTEGER PRIMARY KEY,"
  "  account TEXT NOT NULL,"
  "  remote TEXT NOT NULL,"
  "  direction INTEGER NOT NULL CHECK (direction IN (0, 1)),"
  "  call_id TEXT,"
  "  start_time INTEGER NOT NULL,"
  "  answer_time INTEGER,"
  "  end_time INTEGER,"
  "  duration INTEGER NOT NULL DEFAULT 0,"
  "  status INTEGER NOT NULL DEFAULT 0,"
  "  reason TEXT,"
  "  missed INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1)));"
  "CREATE INDEX calls_by_start ON calls (start_time DESC, id DESC);"
  "CREATE TABLE contacts ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  avatar_path TEXT);"
  "CREATE TABLE contact_addresses ("
  "  id INTEGER PRIMARY KEY,"
  "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
  "  kind INTEGER NOT NULL CHECK (kind IN (0, 1)),"
  "  value TEXT NOT NULL,"
  "  UNIQUE (contact_id, kind, value));"
  "CREATE INDEX contact_addresses_by_value ON contact_addresses (value);",
  /* 1 -> 2: file transfers (issue #8) are messages with a file. */
  "ALTER TABLE messages ADD COLUMN file_name TEXT;"
  "ALTER TABLE messages ADD COLUMN file_size INTEGER CHECK (file_size IS NULL OR file_size >= 0);"
  "ALTER TABLE messages ADD COLUMN file_uri TEXT;"
  "ALTER TABLE messages ADD COLUMN file_hash TEXT;",
  /* 2 -> 3: files that outlive their process (issue #8): the bytes the
   * peer acknowledged of an outgoing one (a retry after a restart resumes
   * there), when an incoming one failed, and the file URIs of incoming
   * files deleted from the history unfinished, whose parts are Hail's to
   * remove. */
  "ALTER TABLE messages ADD COLUMN file_acked INTEGER NOT NULL DEFAULT 0"
  "  CHECK (file_acked >= 0);"
  "ALTER TABLE messages ADD COLUMN file_failed_at INTEGER;"
  "CREATE TABLE orphaned_parts (file_uri TEXT PRIMARY KEY);"
  "CREATE TRIGGER messages_orphan_part AFTER DELETE ON messages"
  "  WHEN old.direction = 0 AND old.file_uri IS NOT NULL AND old.state <> 3 BEGIN"
  "  INSERT OR IGNORE INTO orphaned_parts (file_uri) VALUES (old.file_uri);"
  "END;"
  /* Failed before the time was kept: it was after the file came. */
  "UPDATE messages SET file_failed_at = time_received"
  "  WHERE direction = 0 AND state = 5 AND file_name IS NOT NULL;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == HAIL_STORE_SCHEMA_VERSION);

static void
stmt_free (gpointer data)
{
  sqlite3_finalize (data);
}

void
_hail_store_db_set_error (HailStoreDb  *db,
                          int           rc,
                          GError      **error,
                          const char   *what)
{
  HailStoreError code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      code = HAIL_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = HAIL_STORE_ERROR_READ_ONLY;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = HAIL_STORE_ERROR_BUSY;
      break;
    case SQLITE_FULL:
      code = HAIL_STORE_ERROR_FULL;
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOLFS:
      code = HAIL_STORE_ERROR_IO;
      break;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      code = HAIL_STORE_ERROR_INVALID;
      break;
    default:
      code = HAIL_STORE_ERROR_FAILED;
    }

  g_set_error (error, HAIL_STORE_ERROR, code, "%s: %s (SQLite error %d)", what,
               db != NULL && db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc),
               rc);
}

gboolean
_hail_store_db_exec (HailStoreDb  *db,
                     const char   *sql,
                     GError      **error)
{
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _hail_store_db_set_error (db, rc, error, "Cannot update the database");
      return FALSE;
    }
  return TRUE;
}

/* Returns a cached prepared statement, reset and unbound; @sql must be a
 * string literal (its address is the cache key). Reset it after use, through
 * g_autoptr(HailStoreStmt), so that no read transaction stays open. */
sqlite3_stmt *
_hail_store_db_prepare (HailStoreDb  *db,
                        const char   *sql,
                        GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _hail_store_db_set_error (db, rc, error, "Cannot read the database");
      return NULL;
    }
  g_hash_table_insert (db->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Steps a statement that returns no row (INSERT, UPDATE, DELETE). */
gboolean
_hail_store_db_step_done (HailStoreDb   *db,
                          sqlite3_stmt  *stmt,
                          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      _hail_store_db_set_error (db, rc, error, "Cannot update the database");
      return FALSE;
    }
  return TRUE;
}

/* Steps a query; returns SQLITE_ROW, SQLITE_DONE, or -1 with @error set. */
int
_hail_store_db_step_row (HailStoreDb   *db,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  _hail_store_db_set_error (db, rc, error, "Cannot read the database");
  return -1;
}

/* Transactions nest: inside the worker's group commit (or any open
 * transaction) begin, commit and rollback act on a savepoint, so each job
 * stays all-or-nothing while the batch shares one COMMIT. */
gboolean
_hail_store_db_begin (HailStoreDb  *db,
                      GError      **error)
{
  /* IMMEDIATE takes the write lock now, so that a busy database fails here
   * (after busy_timeout) rather than halfway through the transaction. */
  if (!_hail_store_db_exec (db, db->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT hail", error))
    return FALSE;
  db->depth++;
  return TRUE;
}

gboolean
_hail_store_db_commit (HailStoreDb  *db,
                       GError      **error)
{
  g_assert (db->depth > 0);

  if (_hail_store_db_exec (db, db->depth == 1 ? "COMMIT" : "RELEASE hail", error))
    {
      db->depth--;
      return TRUE;
    }
  _hail_store_db_rollback (db);
  return FALSE;
}

gboolean
_hail_store_db_transaction_lost (HailStoreDb *db)
{
  if (db->depth == 0 || !sqlite3_get_autocommit (db->handle))
    return FALSE;
  db->depth = 0;
  return TRUE;
}

/* Undoes the innermost open transaction (each caller pairs it with its own
 * begin); a no-op when none is open. */
void
_hail_store_db_rollback (HailStoreDb *db)
{
  if (db->depth == 0)
    return;
  if (db->depth > 1)
    sqlite3_exec (db->handle, "ROLLBACK TO hail; RELEASE hail", NULL, NULL, NULL);
  else if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
  db->depth--;
}

void
_hail_store_db_bind_text (sqlite3_stmt *stmt,
                          int           index,
                          const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Binds a time or id where 0 means "none", stored as NULL. */
void
_hail_store_db_bind_optional (sqlite3_stmt *stmt,
                              int           index,
                              gint64        value)
{
  if (value != 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

const char *
_hail_store_db_column_text (sqlite3_stmt *stmt,
                            int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

/* Checks a text field before it is stored: UTF-8 within HAIL_STORE_MAX_FIELD
 * bytes, and not empty when @required. */
gboolean
_hail_store_db_check_field (const char  *value,
                            const char  *what,
                            gboolean     required,
                            GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      if (!required)
        return TRUE;
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID, "The %s is empty", what);
      return FALSE;
    }
  if (strlen (value) > HAIL_STORE_MAX_FIELD || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The %s is longer than %d bytes or not UTF-8", what, HAIL_STORE_MAX_FIELD);
      return FALSE;
    }
  return TRUE;
}

/* Checks @fields in order; the first bad one sets @error. */
gboolean
_hail_store_db_check_fields (const HailStoreField  *fields,
                             gsize                  n_fields,
                             GError               **error)
{
  for (gsize i = 0; i < n_fields; i++)
    if (!_hail_store_db_check_field (fields[i].value, fields[i].what, fields[i].required, error))
      return FALSE;
  return TRUE;
}

/* Checks the SIP outcome of a call or message: a status code (0 for none)
 * and its optional reason phrase. */
gboolean
_hail_store_db_check_status (guint        status,
                             const char  *reason,
                             GError     **error)
{
  if (!_hail_store_db_check_field (reason, "reason", FALSE, error))
    return FALSE;
  if (status <= 999)
    return TRUE;
  g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
               "%u is not a SIP status code", status);
  return FALSE;
}

/* Reads the one row that @sql (with the id as its only parameter) selects:
 * HAIL_STORE_ERROR_NOT_FOUND names @what when there is none. */
gpointer
_hail_store_db_read_row (HailStoreDb        *db,
                         const char         *sql,
                         gint64              id,
                         HailStoreRowFunc    from_row,
                         const char         *what,
                         GError            **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;
  int rc;

  stmt = _hail_store_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = _hail_store_db_step_row (db, stmt, error);
  if (rc == SQLITE_ROW)
    return from_row (stmt);
  if (rc == SQLITE_DONE)
    _hail_store_db_set_not_found (what, id, error);
  return NULL;
}

/* Every row @stmt (bound, not yet stepped) yields, built by @from_row. */
GPtrArray *
_hail_store_db_collect (HailStoreDb       *db,
                        sqlite3_stmt      *stmt,
                        HailStoreRowFunc   from_row,
                        GError           **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = _hail_store_db_step_row (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&rows);
}

void
_hail_store_db_set_not_found (const char  *what,
                              gint64       id,
                              GError     **error)
{
  g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
               "No %s has id %" G_GINT64_FORMAT, what, id);
}

/* Returns @id, a row id read from the file or just assigned by SQLite, or
 * 0 with HAIL_STORE_ERROR_CORRUPT: Hail never writes an id below 1 (0
 * means "none" to every caller), so one comes only from damage or a
 * hand-edited file, and must fail with a reason rather than look like a
 * failure that set no error. */
gint64
_hail_store_db_check_id (HailStoreDb  *db,
                         gint64        id,
                         const char   *what,
                         GError      **error)
{
  if (id > 0)
    return id;
  g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CORRUPT,
               "The history database %s is damaged: a %s has id %" G_GINT64_FORMAT,
               db->path, what, id);
  return 0;
}

/* Runs @sql, an UPDATE or DELETE whose only parameter is the id: a statement
 * that changed no row means there is no such @what. */
gboolean
_hail_store_db_change_row (HailStoreDb  *db,
                           const char   *sql,
                           gint64        id,
                           const char   *what,
                           GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_hail_store_db_step_done (db, stmt, error))
    return FALSE;
  return _hail_store_db_check_changed (db, what, id, error);
}

gboolean
_hail_store_db_check_changed (HailStoreDb  *db,
                              const char   *what,
                              gint64        id,
                              GError      **error)
{
  if (sqlite3_changes (db->handle) > 0)
    return TRUE;
  _hail_store_db_set_not_found (what, id, error);
  return FALSE;
}

static gboolean
errno_is_permission (int saved_errno)
{
  return saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS;
}

static gboolean
query_int (HailStoreDb  *db,
           const char   *sql,
           gint64       *out,
           GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      return TRUE;
    }
  _hail_store_db_set_error (db, rc, error, "Cannot read the database");
  sqlite3_finalize (stmt);
  return FALSE;
}

/* Checks an existing file before anything writes to it: an unreadable,
 * foreign, damaged or newer database is refused and left exactly as it was. */
static gboolean
check_existing (HailStoreDb  *db,
                gint64       *out_version,
                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 version = 0;
  gint64 tables = 0;
  int rc;

  /* Another process may create the schema (tables and version in one
   * transaction) between the two reads: the tables are counted only if
   * the version is still 0 in that same statement's snapshot. */
  if (!query_int (db, "SELECT user_version FROM pragma_user_version", &version, &local_error) ||
      !query_int (db, "SELECT count(*) FROM sqlite_master WHERE"
                  " (SELECT user_version FROM pragma_user_version) = 0", &tables, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Cannot open the history database %s (left untouched): ",
                                  db->path);
      return FALSE;
    }

  if (version > HAIL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_TOO_NEW,
                   "The history database %s has schema version %" G_GINT64_FORMAT
                   ", newer than the %d this version of Hail knows; it was left untouched",
                   db->path, version, HAIL_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < 0 || (version == 0 && tables > 0))
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CORRUPT,
                   "%s is an SQLite database but not a Hail history database; "
                   "it was left untouched", db->path);
      return FALSE;
    }

  if (version > 0)
    {
      rc = sqlite3_prepare_v2 (db->handle, "PRAGMA quick_check(1)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          _hail_store_db_set_error (db, rc, error, "Cannot check the history database");
          g_prefix_error (error, "%s (left untouched): ", db->path);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (g_strcmp0 (_hail_store_db_column_text (stmt, 0), "ok") != 0)
        {
          g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CORRUPT,
                       "The history database %s is damaged (%s); it was left untouched",
                       db->path, _hail_store_db_column_text (stmt, 0));
          sqlite3_finalize (stmt);
          return FALSE;
        }
      sqlite3_finalize (stmt);
    }

  *out_version = version;
  return TRUE;
}

static gboolean
migrate (HailStoreDb  *db,
         gint64        version,
         GError      **error)
{
  for (gint64 v = version; v < HAIL_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, v + 1);
      gint64 now = 0;

      if (!_hail_store_db_begin (db, error))
        return FALSE;
      /* Another process (hail-cli beside the app) may have migrated while
       * this one waited for the write lock: read the version again. */
      if (!query_int (db, "PRAGMA user_version", &now, error))
        {
          _hail_store_db_rollback (db);
          return FALSE;
        }
      if (now > HAIL_STORE_SCHEMA_VERSION)
        {
          _hail_store_db_rollback (db);
          g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_TOO_NEW,
                       "A newer Hail migrated %s to schema %" G_GINT64_FORMAT
                       " while this one opened it", db->path, now);
          return FALSE;
        }
      if (now > v)
        {
          _hail_store_db_rollback (db);
          v = now - 1;
          continue;
        }
      g_debug ("Migrating %s from schema %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
               db->path, v, v + 1);
      /* _hail_store_db_commit() rolls back itself when it fails. */
      if (!_hail_store_db_exec (db, migrations[v], error) ||
          !_hail_store_db_exec (db, bump, error))
        _hail_store_db_rollback (db);
      else if (_hail_store_db_commit (db, error))
        continue;
      g_prefix_error (error, "Cannot migrate %s to schema %" G_GINT64_FORMAT ": ",
                      db->path, v + 1);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_pragmas (HailStoreDb  *db,
             GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal;
  int rc = SQLITE_BUSY;

  /* Switching a new database to WAL needs a lock that SQLite does not wait
   * for with busy_timeout: when another connection (hail-cli opening the
   * same new file) holds it, retry for as long as busy_timeout would. */
  for (guint waited = 0; rc == SQLITE_BUSY && waited <= HAIL_STORE_BUSY_TIMEOUT_MS; waited += 10)
    {
      if (waited > 0)
        g_usleep (10 * 1000);
      sqlite3_finalize (stmt);
      stmt = NULL;
      rc = sqlite3_prepare_v2 (db->handle, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_ROW)
    {
      _hail_store_db_set_error (db, rc, error, "Cannot switch the database to WAL mode");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  wal = g_strcmp0 (_hail_store_db_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (!wal)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_IO,
                   "Cannot switch %s to WAL mode (is it on a network file system?)", db->path);
      return FALSE;
    }

  /* WAL + NORMAL: a committed transaction survives a crash of the process
   * (the crash test kills the writer with SIGKILL); only power loss may
   * lose the last commits, never corrupt the file. */
  return _hail_store_db_exec (db, "PRAGMA synchronous = NORMAL", error) &&
         _hail_store_db_exec (db, "PRAGMA foreign_keys = ON", error);
}

static HailStoreDb *
db_new (const char *path)
{
  HailStoreDb *db = g_new0 (HailStoreDb, 1);

  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stmt_free);
  return db;
}

HailStoreDb *
_hail_store_db_open (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  HailStoreDb *db = NULL;
  gboolean exists;
  gint64 version = 0;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HAIL_STORE_ERROR,
                   errno_is_permission (saved_errno) ? HAIL_STORE_ERROR_READ_ONLY
                                                     : HAIL_STORE_ERROR_IO,
                   "Cannot create the folder %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if (exists && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_IO,
                   "Cannot open the history database %s: not a regular file", path);
      return NULL;
    }
  /* WAL needs to create PATH-wal and PATH-shm beside the database, so a
   * read-only folder is as fatal as a read-only file. Checked first so that
   * SQLite never gets to open such a file read-only behind our back. */
  if (g_access (dir, W_OK | X_OK) != 0 || (exists && g_access (path, R_OK | W_OK) != 0))
    {
      int saved_errno = errno;

      g_set_error (error, HAIL_STORE_ERROR,
                   errno_is_permission (saved_errno) ? HAIL_STORE_ERROR_READ_ONLY
                                                     : HAIL_STORE_ERROR_IO,
                   "Cannot write the history database %s: %s", path,
                   g_strerror (saved_errno));
      return NULL;
    }

  /* The history is private: create the file 0600 ourselves (SQLite would
   * use 0644 minus the umask), and SQLite gives its -wal and -shm files the
   * same mode. An empty file is a new database to SQLite. */
  if (!exists)
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd < 0 && errno != EEXIST)
        {
          int saved_errno = errno;

          g_set_error (error, HAIL_STORE_ERROR,
                       errno_is_permission (saved_errno) ? HAIL_STORE_ERROR_READ_ONLY
                                                         : HAIL_STORE_ERROR_IO,
                       "Cannot create the history database %s: %s", path,
                       g_strerror (saved_errno));
          return NULL;
        }
      if (fd >= 0)
        close (fd);
    }

  db = db_new (path);
  rc = sqlite3_open_v2 (path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      _hail_store_db_set_error (db, rc, error, "Cannot open the history database");
      g_prefix_error (error, "%s: ", path);
      _hail_store_db_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, HAIL_STORE_BUSY_TIMEOUT_MS);

  if (sqlite3_db_readonly (db->handle, "main") == 1)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_READ_ONLY,
                   "The history database %s can only be opened read-only", path);
      _hail_store_db_close (db);
      return NULL;
    }

  if (!check_existing (db, &version, error) ||
      !set_pragmas (db, error) ||
      !migrate (db, version, error))
    {
      _hail_store_db_close (db);
      return NULL;
    }

  g_debug ("Opened %s (schema %d)", path, HAIL_STORE_SCHEMA_VERSION);
  return db;
}

void
_hail_store_db_close (HailStoreDb *db)
{
  if (db == NULL)
    return;

  /* Statements first: sqlite3_close() refuses while any is alive. */
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    {
      int rc = sqlite3_close (db->handle);

      if (rc != SQLITE_OK)
        g_critical ("Closing %s: %s", db->path, sqlite3_errstr (rc));
    }
  g_free (db->path);
  g_free (db);
}

const char *
_hail_store_db_get_path (HailStoreDb *db)
{
  return db->path;
}
