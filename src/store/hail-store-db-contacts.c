/* hail-store-db-contacts.c: contacts and their avatars, on the store's
 * worker thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-db-private.h"

#include "hail-store-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads a photo file named by a vCard, which may be hostile: opened
 * non-blocking (a FIFO must not hang the import), then checked to be a
 * regular file within the bound, then read into memory (a mapping would
 * fault if the file shrank under it). */
static GBytes *
read_photo (const char *path)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize len = 0;
  gsize cap;
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      g_debug ("vCard: cannot open PHOTO %s: %s", path, g_strerror (errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > HAIL_STORE_MAX_VCARD_PHOTO)
    {
      g_debug ("vCard: PHOTO %s is not a regular file of at most %d bytes", path,
               HAIL_STORE_MAX_VCARD_PHOTO);
      close (fd);
      return NULL;
    }
  /* One byte more than fstat() said, to notice a file that grew. */
  cap = (gsize) st.st_size + 1;
  data = g_malloc (cap);
  while (len < cap)
    {
      gssize n = read (fd, data + len, cap - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      len += n;
    }
  close (fd);
  if (len == cap)
    {
      g_debug ("vCard: PHOTO %s changed while it was read", path);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

/* Copies an avatar into PATH-avatars/ beside the database, named by its
 * SHA-256 so that a re-import does not duplicate it. Returns NULL (and logs)
 * when there is no usable image: a contact without a photo is still a
 * contact. */
static char *
save_avatar (HailStoreDb    *db,
             HailStoreVcard *card)
{
  g_autoptr(GBytes) bytes = card->photo != NULL ? g_bytes_ref (card->photo) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  const char *ext = card->photo_ext;

  if (bytes == NULL && card->photo_path != NULL)
    {
      bytes = read_photo (card->photo_path);
      if (bytes == NULL)
        return NULL;
      ext = _hail_store_vcard_image_type (bytes);
      if (ext == NULL)
        {
          g_debug ("vCard: PHOTO %s is not JPEG, PNG or GIF", card->photo_path);
          return NULL;
        }
    }
  if (bytes == NULL || ext == NULL)
    return NULL;

  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  dir = g_strconcat (db->path, "-avatars", NULL);
  name = g_strconcat (checksum, ".", ext, NULL);
  path = g_build_filename (dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            &error))
    {
      g_debug ("vCard: cannot save avatar %s: %s", path,
               error != NULL ? error->message : g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* A card whose name matches an existing contact adds to it, so importing
 * the same file twice changes nothing. */
static gint64
find_or_insert_contact (HailStoreDb  *db,
                        const char   *name,
                        const char   *avatar,
                        GError      **error)
{
  g_autoptr(HailStoreStmt) find = NULL;
  g_autoptr(HailStoreStmt) insert = NULL;
  g_autoptr(HailStoreStmt) update = NULL;
  int rc;

  find = _hail_store_db_prepare (db, "SELECT id FROM contacts WHERE name = ? LIMIT 1", error);
  if (find == NULL)
    return 0;
  _hail_store_db_bind_text (find, 1, name);
  rc = _hail_store_db_step_row (db, find, error);
  if (rc < 0)
    return 0;
  if (rc == SQLITE_ROW)
    {
      gint64 id = _hail_store_db_check_id (db, sqlite3_column_int64 (find, 0), "contact", error);

      if (id == 0 || avatar == NULL)
        return id;
      update = _hail_store_db_prepare (db, "UPDATE contacts SET avatar_path = ? WHERE id = ?",
                                       error);
      if (update == NULL)
        return 0;
      _hail_store_db_bind_text (update, 1, avatar);
      sqlite3_bind_int64 (update, 2, id);
      return _hail_store_db_step_done (db, update, error) ? id : 0;
    }

  insert = _hail_store_db_prepare (db, "INSERT INTO contacts (name, avatar_path) VALUES (?, ?)",
                                   error);
  if (insert == NULL)
    return 0;
  _hail_store_db_bind_text (insert, 1, name);
  _hail_store_db_bind_text (insert, 2, avatar);
  if (!_hail_store_db_step_done (db, insert, error))
    return 0;
  return _hail_store_db_check_id (db, sqlite3_last_insert_rowid (db->handle), "contact", error);
}

static gboolean
insert_addresses (HailStoreDb           *db,
                  gint64                 contact_id,
                  HailStoreAddressKind   kind,
                  GPtrArray             *values,
                  GError               **error)
{
  for (guint i = 0; i < values->len; i++)
    {
      g_autoptr(HailStoreStmt) stmt = NULL;
      const char *value = values->pdata[i];

      if (strlen (value) > HAIL_STORE_MAX_FIELD)
        continue;
      stmt = _hail_store_db_prepare (db,
                                     "INSERT INTO contact_addresses (contact_id, kind, value)"
                                     " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, contact_id);
      sqlite3_bind_int (stmt, 2, kind);
      _hail_store_db_bind_text (stmt, 3, value);
      if (!_hail_store_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_hail_store_db_import_contacts (HailStoreDb  *db,
                                GPtrArray    *cards,
                                guint        *out_count,
                                GError      **error)
{
  guint count = 0;

  /* One transaction: a failed import leaves no half of the file behind. */
  if (!_hail_store_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < cards->len; i++)
    {
      HailStoreVcard *card = cards->pdata[i];
      g_autofree char *avatar = NULL;
      gint64 id;

      if (strlen (card->name) > HAIL_STORE_MAX_FIELD)
        continue;
      avatar = save_avatar (db, card);
      id = find_or_insert_contact (db, card->name, avatar, error);
      if (id == 0 ||
          !insert_addresses (db, id, HAIL_STORE_ADDRESS_KIND_SIP, card->sip, error) ||
          !insert_addresses (db, id, HAIL_STORE_ADDRESS_KIND_PHONE, card->tel, error))
        {
          _hail_store_db_rollback (db);
          return FALSE;
        }
      count++;
    }
  if (!_hail_store_db_commit (db, error))
    return FALSE;
  *out_count = count;
  return TRUE;
}

#define CONTACT_COLUMNS \
  "SELECT c.id, c.name, c.avatar_path, a.kind, a.value" \
  " FROM contacts c LEFT JOIN contact_addresses a ON a.contact_id = c.id "

/* Builds contacts from rows of CONTACT_COLUMNS ordered by contact: one
 * pass over the LEFT JOIN, grouped by contact id. */
static GPtrArray *
collect_contacts (HailStoreDb   *db,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) sip = NULL;
  g_autoptr(GPtrArray) tel = NULL;
  g_autofree char *name = NULL;
  g_autofree char *avatar = NULL;
  gint64 current = 0;
  int rc;

  for (;;)
    {
      rc = _hail_store_db_step_row (db, stmt, error);
      if (rc < 0)
        return NULL;
      if (current != 0 && (rc == SQLITE_DONE || sqlite3_column_int64 (stmt, 0) != current))
        {
          g_ptr_array_add (sip, NULL);
          g_ptr_array_add (tel, NULL);
          g_ptr_array_add (rows, g_object_new (HAIL_TYPE_STORE_CONTACT,
                                               "id", current,
                                               "name", name,
                                               "avatar-path", avatar,
                                               "sip-addresses", sip->pdata,
                                               "phone-numbers", tel->pdata,
                                               NULL));
          current = 0;
        }
      if (rc == SQLITE_DONE)
        break;
      if (current == 0)
        {
          current = sqlite3_column_int64 (stmt, 0);
          g_free (name);
          name = g_strdup (_hail_store_db_column_text (stmt, 1));
          g_free (avatar);
          avatar = g_strdup (_hail_store_db_column_text (stmt, 2));
          g_clear_pointer (&sip, g_ptr_array_unref);
          g_clear_pointer (&tel, g_ptr_array_unref);
          sip = g_ptr_array_new_with_free_func (g_free);
          tel = g_ptr_array_new_with_free_func (g_free);
        }
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        g_ptr_array_add (sqlite3_column_int (stmt, 3) == HAIL_STORE_ADDRESS_KIND_SIP ? sip : tel,
                         g_strdup (_hail_store_db_column_text (stmt, 4)));
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
_hail_store_db_list_contacts (HailStoreDb  *db,
                              GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;

  stmt = _hail_store_db_prepare (db, CONTACT_COLUMNS
                                 "ORDER BY c.name COLLATE NOCASE, c.id, a.id", error);
  if (stmt == NULL)
    return NULL;
  return collect_contacts (db, stmt, error);
}

HailStoreContact *
_hail_store_db_find_contact (HailStoreDb  *db,
                             const char   *address,
                             GError      **error)
{
  g_autoptr(HailStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  /* The first contact (lowest id) with this exact address, all of its
   * addresses listed. */
  stmt = _hail_store_db_prepare (db, CONTACT_COLUMNS
                                 "WHERE c.id = (SELECT min(contact_id) FROM contact_addresses"
                                 " WHERE value = ?) ORDER BY a.id", error);
  if (stmt == NULL)
    return NULL;
  _hail_store_db_bind_text (stmt, 1, address);
  rows = collect_contacts (db, stmt, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
                   "No contact has the address %s", address);
      return NULL;
    }
  return g_object_ref (rows->pdata[0]);
}

gboolean
_hail_store_db_delete_contact (HailStoreDb  *db,
                               gint64        id,
                               GError      **error)
{
  return _hail_store_db_change_row (db, "DELETE FROM contacts WHERE id = ?", id, "contact",
                                    error);
}
