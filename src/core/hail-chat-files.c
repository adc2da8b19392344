/* hail-chat-files.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailChat: files (RFC 5547), one message session per file, each seen by
 * the front end as a HailChatTransfer. An outgoing file is read a chunk
 * at a time (never mapped: a file cut short under a mapping kills the
 * process with SIGBUS), and checked before each chunk so that a file
 * changed on the way fails its transfer. An incoming one is written
 * chunk by chunk to "NAME.part" in the download directory and renamed
 * once whole, so neither side holds a file in memory.
 */
#include "config.h"

#include "hail-chat-private.h"

#include "hail-sip-error.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define signals _hail_chat_signals

/* Names tried for a file before giving up: NAME, NAME (1)... */
#define MAX_NAME_TRIES 1000
/* Bytes of a file read at a time to hash it. */
#define HASH_BLOCK ((gsize) 256 * 1024)
/* How often (ms) the main thread reads how far the hashing worker got. */
#define HASH_PROGRESS_INTERVAL_MS 100

/* An incoming file: where it goes and what arrived. */
struct _HailChatIncomingFile {
  HailChatTransfer *transfer;
  char             *path;       /* NAME, empty until renamed over: the name is ours */
  char             *part;       /* "NAME.part", written as chunks come */
  int               fd;
  guint64           size;       /* Offered size, 0 when unknown. */
  guint64           received;   /* Highest byte written. */
  guint64           contiguous; /* Bytes [0, contiguous) are all written. */
  gboolean          finished;
  gboolean          keep;       /* Failed, but kept for a resumption. */
  /* RFC 5547 §6: the SHA-1 offered, checked against what was written. */
  char             *expected;   /* NULL when none was offered. */
  GChecksum        *checksum;   /* Over bytes [0, hashed) of the part. */
  guint64           hashed;
  /* While a worker reads the part back into a copy of the hash. */
  GCancellable     *catching_up;
  gboolean          complete_pending;   /* Whole, waiting for the hash. */
};

void
_hail_chat_incoming_file_free (HailChatIncomingFile *in)
{
  /* The worker reads its own descriptor: it may finish on its own. */
  g_cancellable_cancel (in->catching_up);
  g_clear_object (&in->catching_up);
  if (in->fd >= 0)
    close (in->fd);
  /* Unless renamed or kept for a resumption, the partial file and the
   * name it held go. */
  if (!in->finished && !in->keep && in->part != NULL)
    g_unlink (in->part);
  if (!in->finished && !in->keep && in->path != NULL)
    g_unlink (in->path);
  g_clear_object (&in->transfer);
  g_clear_pointer (&in->checksum, g_checksum_free);
  g_free (in->expected);
  g_free (in->path);
  g_free (in->part);
  g_free (in);
}

/* The directory files go to: the one set, else XDG Downloads, else home. */
static GFile *
download_dir (HailChat *self)
{
  const char *dir;

  if (self->download_dir != NULL)
    return g_object_ref (self->download_dir);
  dir = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  return g_file_new_for_path (dir != NULL ? dir : g_get_home_dir ());
}

/* "NAME (n).ext" for the nth name tried (the extension kept last). */
static char *
numbered_name (const char *name,
               guint       n)
{
  const char *dot = strrchr (name, '.');

  if (n == 0)
    return g_strdup (name);
  if (dot == NULL || dot == name)
    return g_strdup_printf ("%s (%u)", name, n);
  return g_strdup_printf ("%.*s (%u)%s", (int) (dot - name), name, n, dot);
}

/* A final name in @dir whose ".part" is free too. */
static GFile *
unique_file (GFile       *dir,
             const char  *name,
             GError     **error)
{
  for (guint n = 0; n < MAX_NAME_TRIES; n++)
    {
      g_autofree char *candidate = numbered_name (name, n);
      g_autofree char *part = g_strconcat (candidate, ".part", NULL);
      g_autoptr(GFile) file = g_file_get_child (dir, candidate);
      g_autoptr(GFile) part_file = g_file_get_child (dir, part);

      if (!g_file_query_exists (file, NULL) && !g_file_query_exists (part_file, NULL))
        return g_steal_pointer (&file);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               "No free name for “%s” in the download directory", name);
  return NULL;
}

static HailChatIncomingFile *
incoming_for (HailChat        *self,
              HailChatSession *session)
{
  return self->receiving != NULL ? g_hash_table_lookup (self->receiving, session) : NULL;
}

/* The transfer ends FAILED: the session closes, the partial file goes. */
void
_hail_chat_file_failed (HailChat        *self,
                        HailChatSession *session,
                        const char      *reason,
                        gboolean         resumable)
{
  HailChatIncomingFile *in = incoming_for (self, session);
  g_autoptr(HailChatTransfer) transfer = NULL;

  /* Cancelled here already: the session's end says the rest. */
  if (in == NULL || _hail_chat_transfer_is_over (in->transfer))
    return;
  /* What arrived stays for the sender's retry (RFC 5547 §9) unless the
   * sender broke its word or the disk refused it. */
  in->keep = resumable && in->received > 0 && _hail_chat_transfer_get_hash (in->transfer) != NULL;
  transfer = g_object_ref (in->transfer);
  g_debug ("A file from %s did not arrive: %s", hail_chat_session_get_remote (session), reason);
  g_hash_table_remove (self->receiving, session);
  _hail_chat_record_file_state (self, transfer, HAIL_STORE_MESSAGE_STATE_FAILED, reason);
  _hail_chat_transfer_set_state (transfer, HAIL_CHAT_TRANSFER_FAILED, reason);
  {
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, reason);

    /* At once: no Success-Report may go for a file not kept. */
    hail_chat_session_abort (session, error);
  }
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          len,
           guint64        offset,
           GError       **error)
{
  while (len > 0)
    {
      ssize_t n = pwrite (fd, data, len, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Could not write the file: %s", g_strerror (saved));
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}

/* RFC 5547 §6: the SHA-1 as colon-separated upper-case hex pairs. */
static char *
format_sha1 (GChecksum *checksum)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_get_digest (checksum, digest, &len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Hashes what was written: @data for bytes [@offset, @offset + @len),
 * the part of it past what is hashed already. Bytes that came ahead of a
 * gap are read back from disk at the end instead. */
static void
hash_written (HailChatIncomingFile *in,
              const guint8         *data,
              gsize                 len,
              guint64               offset)
{
  if (in->checksum == NULL || in->catching_up != NULL || offset > in->hashed
      || offset + len <= in->hashed)
    return;
  g_checksum_update (in->checksum, data + (in->hashed - offset),
                     (gssize) (offset + len - in->hashed));
  in->hashed = offset + len;
}

/* Reading the part back (a resumed part, or chunks that came out of
 * order) happens in a worker thread, on its own descriptor and a copy of
 * the hash: a resumed part can be gigabytes. */
typedef struct {
  GWeakRef         chat;          /* A worker does not keep a chat alive. */
  HailChatSession *session;
  GCancellable    *cancellable;   /* The file's catching_up */
  GChecksum       *checksum;
  int              fd;
  guint64          from;
  guint64          upto;
} CatchUp;

static void
catch_up_free (CatchUp *job)
{
  if (job->fd >= 0)
    close (job->fd);
  g_weak_ref_clear (&job->chat);
  g_clear_object (&job->session);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->checksum, g_checksum_free);
  g_free (job);
}

static void
catch_up_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CatchUp *job = task_data;
  g_autofree guint8 *block = g_malloc (HASH_BLOCK);
  guint64 at = job->from;
  GError *error = NULL;

  while (at < job->upto)
    {
      ssize_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      n = pread (job->fd, block, (gsize) MIN (job->upto - at, HASH_BLOCK), (off_t) at);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                                   "Could not read the file back: %s", g_strerror (saved));
          return;
        }
      g_checksum_update (job->checksum, block, n);
      at += (guint64) n;
    }
  g_task_return_boolean (task, TRUE);
}

static void catch_up_done_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

/* Starts reading the part back from what is hashed to what was written
 * without a gap (to the end once the file is whole); FALSE when nothing
 * is left to catch up (or it cannot be read). */
static gboolean
start_catch_up (HailChat              *self,
                HailChatSession       *session,
                HailChatIncomingFile  *in,
                GError               **error)
{
  guint64 upto = in->complete_pending ? in->received : in->contiguous;
  g_autoptr(GTask) task = NULL;
  CatchUp *job;
  int fd;

  if (in->checksum == NULL || in->catching_up != NULL || in->hashed >= upto)
    return FALSE;
  fd = dup (in->fd);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not read the file back: %s", g_strerror (saved));
      return FALSE;
    }
  in->catching_up = g_cancellable_new ();
  job = g_new0 (CatchUp, 1);
  job->fd = fd;
  g_weak_ref_init (&job->chat, self);
  job->session = g_object_ref (session);
  job->cancellable = g_object_ref (in->catching_up);
  job->checksum = g_checksum_copy (in->checksum);
  job->from = in->hashed;
  job->upto = upto;
  task = g_task_new (NULL, in->catching_up, catch_up_done_cb, NULL);
  g_task_set_source_tag (task, catch_up_thread);
  g_task_set_task_data (task, job, (GDestroyNotify) catch_up_free);
  g_task_run_in_thread (task, catch_up_thread);
  return TRUE;
}

static void
catch_up_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CatchUp *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(HailChat) self = g_weak_ref_get (&job->chat);
  HailChatSession *session = job->session;
  HailChatIncomingFile *in = self != NULL ? incoming_for (self, session) : NULL;
  g_autoptr(GError) error = NULL;

  /* A file that went meanwhile (failed, cancelled, the chat stopped). */
  if (in == NULL || in->catching_up != job->cancellable)
    return;
  g_clear_object (&in->catching_up);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _hail_chat_file_failed (self, session, error->message, FALSE);
      return;
    }
  g_checksum_free (in->checksum);
  in->checksum = g_steal_pointer (&job->checksum);
  in->hashed = job->upto;
  /* Chunks written meanwhile are read back in turn; once level, they are
   * hashed as they come. */
  if (start_catch_up (self, session, in, &error))
    return;
  if (error != NULL)
    _hail_chat_file_failed (self, session, error->message, FALSE);
  else if (in->complete_pending)
    _hail_chat_file_complete (self, session);
}

/* Starts checking against the offered hash, if it is one we know. */
static void
expect_hash (HailChatIncomingFile      *in,
             const HailSdpFileSelector *selector)
{
  if (selector->hash == NULL || selector->hash_algorithm == NULL
      || g_ascii_strcasecmp (selector->hash_algorithm, "sha-1") != 0)
    return;
  in->expected = g_strdup (selector->hash);
  in->checksum = g_checksum_new (G_CHECKSUM_SHA1);
  in->hashed = 0;
}

static void
chunk_received_cb (HailChatSession *session,
                   guint64          start,
                   gint64           total,
                   GBytes          *body,
                   HailChat        *self)
{
  HailChatIncomingFile *in = incoming_for (self, session);
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);

  if (in == NULL || start == 0)
    return;
  /* The a=file-selector size is what was accepted against the limit: a
   * sender whose bytes say otherwise does not get its file kept. */
  if (in->size > 0 && ((total >= 0 && (guint64) total != in->size)
                       || start - 1 + len > in->size))
    {
      g_autofree char *reason =
        g_strdup_printf ("the sender sent more or other than the %" G_GUINT64_FORMAT
                         " bytes it offered", in->size);

      _hail_chat_file_failed (self, session, reason, FALSE);
      return;
    }
  if (!write_all (in->fd, data, len, start - 1, &error))
    {
      _hail_chat_file_failed (self, session, error->message, FALSE);
      return;
    }
  hash_written (in, data, len, start - 1);
  in->received = MAX (in->received, start - 1 + len);
  if (start - 1 <= in->contiguous)
    in->contiguous = MAX (in->contiguous, start - 1 + len);
}

static void
receive_progress_cb (HailChatSession *session,
                     guint64          received,
                     gint64           total,
                     HailChat        *self)
{
  HailChatIncomingFile *in = incoming_for (self, session);

  if (in == NULL)
    return;
  _hail_chat_transfer_set_done (in->transfer, received);
  g_signal_emit (self, signals[SIGNAL_FILE_PROGRESS], 0,
                 hail_chat_transfer_get_remote (in->transfer),
                 hail_chat_transfer_get_name (in->transfer), received, total, FALSE);
}

/* RFC 5547 §9: the sender offers to skip the first @held bytes, and an
 * earlier transfer of the same file from the same peer (the store's row
 * @partial) left "NAME.part" with at least that much. The part is cut
 * back to @held and written on; NULL (start from byte 1) when anything
 * does not match. */
static HailChatIncomingFile *
resume_partial (HailChat         *self,
                HailChatSession  *session,
                HailStoreMessage *partial,
                guint64           held)
{
  g_autoptr(GFile) file = g_file_new_for_uri (hail_store_message_get_file_uri (partial));
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *part = path != NULL ? g_strconcat (path, ".part", NULL) : NULL;
  HailChatIncomingFile *in;
  GStatBuf st;
  int fd;

  if (part == NULL || g_stat (part, &st) != 0 || !S_ISREG (st.st_mode)
      || (guint64) st.st_size < held || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  /* Read as well as written: the hash reads the part back. */
  fd = g_open (part, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return NULL;
  if (ftruncate (fd, (off_t) held) != 0)
    {
      close (fd);
      return NULL;
    }
  in = g_new0 (HailChatIncomingFile, 1);
  in->fd = fd;
  in->path = g_steal_pointer (&path);
  in->part = g_steal_pointer (&part);
  in->received = held;
  in->contiguous = held;
  in->size = hail_store_message_get_file_size (partial);
  in->transfer = _hail_chat_transfer_new (self, FALSE, hail_chat_session_get_remote (session),
                                          hail_store_message_get_file_name (partial),
                                          hail_store_message_get_content_type (partial),
                                          in->size, file);
  _hail_chat_transfer_set_id (in->transfer, hail_store_message_get_id (partial));
  _hail_chat_transfer_set_done (in->transfer, held);
  _hail_chat_transfer_set_resumed_from (in->transfer, held);
  g_debug ("Resuming %s from %s after byte %" G_GUINT64_FORMAT, in->part,
           hail_chat_session_get_remote (session), held);
  return in;
}

/* The user stopped an incoming file: the row says so, and nothing of it
 * stays on disk (the session's end follows). */
static void
incoming_state_cb (HailChatTransfer *transfer,
                   GParamSpec       *pspec,
                   HailChat         *self)
{
  GHashTableIter iter;
  HailChatIncomingFile *in;

  if (hail_chat_transfer_get_state (transfer) != HAIL_CHAT_TRANSFER_CANCELLED
      || self->receiving == NULL)
    return;
  _hail_chat_record_file_state (self, transfer, HAIL_STORE_MESSAGE_STATE_FAILED, "cancelled");
  g_hash_table_iter_init (&iter, self->receiving);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &in))
    if (in->transfer == transfer)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

/* Before the 200: a name chosen and "NAME.part" created (or an earlier
 * one taken up again), so that a file that cannot be written is refused
 * rather than taken and lost. */
gboolean
_hail_chat_file_prepare (HailChat         *self,
                         HailChatSession  *session,
                         GError          **error)
{
  const HailSdpFileSelector *selector = hail_chat_session_get_file (session);
  HailStoreMessage *partial = g_hash_table_lookup (self->partials, session);
  guint64 held = hail_chat_session_get_resume_from (session);
  g_autoptr(GFile) dir = download_dir (self);
  g_autofree char *name = _hail_chat_safe_file_name (selector->name);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  HailChatIncomingFile *in = NULL;

  if (partial != NULL && held > 0)
    in = resume_partial (self, session, partial, held);
  g_hash_table_remove (self->partials, session);
  /* Without a part to resume, the answer takes the whole file. */
  hail_chat_session_set_resume_from (session, in != NULL ? held : 0);
  if (in != NULL)
    goto ready;

  file = unique_file (dir, name, error);
  if (file == NULL)
    return FALSE;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "The download directory is not a local one");
      return FALSE;
    }
  in = g_new0 (HailChatIncomingFile, 1);
  in->size = selector->size > 0 ? (guint64) selector->size : 0;
  /* An empty file holds the name, so that nothing else takes it before
   * the whole file is renamed over it (and the history's URI stays true). */
  in->fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (in->fd >= 0)
    {
      close (in->fd);
      in->path = g_strdup (path);
      in->part = g_strconcat (path, ".part", NULL);
      in->fd = g_open (in->part, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
  if (in->fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create “%s”: %s", in->part != NULL ? in->part : path,
                   g_strerror (saved));
      g_clear_pointer (&in->part, g_free);
      _hail_chat_incoming_file_free (in);
      return FALSE;
    }
  in->transfer = _hail_chat_transfer_new (self, FALSE, hail_chat_session_get_remote (session),
                                          name, selector->type != NULL
                                                ? selector->type : "application/octet-stream",
                                          in->size, file);

ready:
  /* What a resumed part holds counts toward the hash: read back while the
   * rest arrives. A part that cannot be read back cannot be checked, so
   * it is not taken. */
  expect_hash (in, selector);
  if (!start_catch_up (self, session, in, error) && in->hashed < in->contiguous
      && in->checksum != NULL)
    {
      _hail_chat_incoming_file_free (in);
      return FALSE;
    }
  _hail_chat_transfer_set_hash (in->transfer, selector->hash);
  _hail_chat_transfer_set_session (in->transfer, session);
  g_hash_table_insert (self->receiving, session, in);
  g_signal_connect_object (in->transfer, "notify::state", G_CALLBACK (incoming_state_cb), self, 0);
  g_signal_connect (session, "chunk-received", G_CALLBACK (chunk_received_cb), self);
  g_signal_connect (session, "receive-progress", G_CALLBACK (receive_progress_cb), self);
  return TRUE;
}

/* Answered: the transfer is shown from now on. */
void
_hail_chat_file_accepted (HailChat        *self,
                          HailChatSession *session)
{
  HailChatIncomingFile *in = incoming_for (self, session);

  if (in == NULL)
    return;
  _hail_chat_transfer_set_state (in->transfer, HAIL_CHAT_TRANSFER_ACTIVE, NULL);
  g_signal_emit (self, signals[SIGNAL_TRANSFER_ADDED], 0, in->transfer);
  /* A resumed file goes on in its earlier row. */
  if (hail_chat_transfer_get_id (in->transfer) != 0)
    _hail_chat_record_file_state (self, in->transfer, HAIL_STORE_MESSAGE_STATE_SENDING, NULL);
  else
    _hail_chat_record_incoming_file (self, in->transfer);
}

/* Every byte is on disk: the file is renamed over the empty one that held
 * its name. */
void
_hail_chat_file_complete (HailChat        *self,
                          HailChatSession *session)
{
  HailChatIncomingFile *in = incoming_for (self, session);
  g_autoptr(HailChatTransfer) transfer = NULL;
  int fd;

  if (in == NULL)
    return;
  if (in->size > 0 && in->received != in->size)
    {
      _hail_chat_file_failed (self, session, "the file arrived shorter than offered", FALSE);
      return;
    }
  if (in->checksum != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hash = NULL;

      /* Bytes not hashed yet are read back first: this comes again once
       * they are. */
      in->complete_pending = TRUE;
      if (in->catching_up != NULL || start_catch_up (self, session, in, &error))
        return;
      if (error != NULL)
        {
          _hail_chat_file_failed (self, session, error->message, FALSE);
          return;
        }
      hash = format_sha1 (in->checksum);
      /* A file whose bytes are not the ones offered is not kept. */
      if (g_ascii_strcasecmp (hash, in->expected) != 0)
        {
          g_debug ("A file from %s has SHA-1 %s, offered as %s",
                   hail_chat_session_get_remote (session), hash, in->expected);
          _hail_chat_file_failed (self, session,
                                  "the file arrived damaged: its SHA-1 is not the one offered",
                                  FALSE);
          return;
        }
    }
  fd = in->fd;
  in->fd = -1;
  if (close (fd) != 0)
    {
      int saved = errno;

      _hail_chat_file_failed (self, session, g_strerror (saved), FALSE);
      return;
    }
  transfer = g_object_ref (in->transfer);
  if (g_rename (in->part, in->path) != 0)
    {
      int saved = errno;
      g_autofree char *reason = g_strdup_printf ("Could not name the file: %s",
                                                 g_strerror (saved));

      _hail_chat_file_failed (self, session, reason, FALSE);
      return;
    }
  in->finished = TRUE;
  _hail_chat_transfer_set_done (transfer, in->received);
  g_hash_table_remove (self->receiving, session);
  _hail_chat_record_file_state (self, transfer, HAIL_STORE_MESSAGE_STATE_DELIVERED, NULL);
  /* The sender ends the session (BYE) once it has our Success-Report:
   * closing here could cut the report off. */
  _hail_chat_transfer_set_state (transfer, HAIL_CHAT_TRANSFER_DONE, NULL);
}

/* The session ended (BYE, broken, cancelled) before the file was whole. */
void
_hail_chat_file_session_closed (HailChat        *self,
                                HailChatSession *session,
                                const GError    *reason)
{
  HailChatIncomingFile *in = incoming_for (self, session);

  if (in == NULL)
    return;
  if (_hail_chat_transfer_is_over (in->transfer))
    {
      g_hash_table_remove (self->receiving, session);
      return;
    }
  /* Every byte came and the sender ended the session on our report: the
   * hash being read back decides. */
  if (in->complete_pending)
    return;
  _hail_chat_file_failed (self, session,
                          reason != NULL ? reason->message
                                         : "the sender ended the session before the whole file "
                                           "arrived", TRUE);
}

/* The chat goes: files being received fail (their sessions end with it). */
void
_hail_chat_files_stop (HailChat *self)
{
  g_autoptr(GHashTable) receiving = g_steal_pointer (&self->receiving);
  GHashTableIter iter;
  HailChatIncomingFile *in;

  if (receiving == NULL)
    return;
  g_hash_table_iter_init (&iter, receiving);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &in))
    {
      in->keep = in->received > 0 && _hail_chat_transfer_get_hash (in->transfer) != NULL;
      _hail_chat_record_file_state (self, in->transfer, HAIL_STORE_MESSAGE_STATE_FAILED,
                                    "Hail stopped before the whole file arrived");
      _hail_chat_transfer_set_state (in->transfer, HAIL_CHAT_TRANSFER_FAILED,
                                     "Hail stopped before the whole file arrived");
    }
}

/* Outgoing files. */

/* An outgoing file, open, as it was when hashed; shared (GRcBox) by the
 * transfer and the MSRP message reading it. */
typedef struct {
  int      fd;
  guint64  size;
  gint64   mtime_ns;
  char    *name;     /* For the reason shown when it changes. */
  gboolean failed;   /* A read failed: the reason is the file's, not the network's. */
  int      hashed_blocks;   /* Atomic: HASH_BLOCKs the hashing worker got through. */
} FileSource;

static void
file_source_clear (gpointer data)
{
  FileSource *src = data;

  if (src->fd >= 0)
    close (src->fd);
  g_free (src->name);
}

static void
file_source_release (gpointer data)
{
  g_rc_box_release_full (data, file_source_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileSource, file_source_release)

static gint64
stat_mtime_ns (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

/* The file still has the size and modification time it had when hashed:
 * else what the peer gets would not be the file offered. */
static gboolean
file_source_check (FileSource  *src,
                   GError     **error)
{
  struct stat st;

  if (fstat (src->fd, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Could not read %s: %s",
                   src->name, g_strerror (saved));
      src->failed = TRUE;
      return FALSE;
    }
  if ((guint64) st.st_size != src->size || stat_mtime_ns (&st) != src->mtime_ns)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s changed while it was being sent",
                   src->name);
      src->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* Exactly @len bytes at @offset, or an error (a file shorter than it was
 * is one that changed). */
static gboolean
file_source_read (guint64    offset,
                  guint8    *buffer,
                  gsize      len,
                  gpointer   user_data,
                  GError   **error)
{
  FileSource *src = user_data;

  if (!file_source_check (src, error))
    return FALSE;
  while (len > 0)
    {
      ssize_t n = pread (src->fd, buffer, len, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Could not read %s: %s",
                       src->name, g_strerror (saved));
          src->failed = TRUE;
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "%s changed while it was being sent", src->name);
          src->failed = TRUE;
          return FALSE;
        }
      buffer += n;
      len -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}

/* Opens @path for sending as @name, taking its size and time. */
static FileSource *
file_source_open (const char  *path,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(FileSource) src = g_rc_box_new0 (FileSource);
  struct stat st;

  src->name = g_strdup (name);
  src->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (src->fd < 0 || fstat (src->fd, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Could not open “%s”: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "“%s” is not a regular file",
                   path);
      return NULL;
    }
  src->size = (guint64) st.st_size;
  src->mtime_ns = stat_mtime_ns (&st);
  return g_steal_pointer (&src);
}

typedef struct {
  HailChatTransfer *transfer;
  HailChatSession  *session;
  FileSource       *source;
  gboolean          local;      /* The file failed before any network was involved. */
  GCancellable     *hashing;    /* While a worker hashes the file. */
  gulong            hashing_link;
  guint             hash_progress_id;
} FileOp;

static void
file_op_free (FileOp *op)
{
  if (op->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (op->session, op);
      hail_chat_session_close (op->session);
    }
  g_clear_object (&op->session);
  g_clear_object (&op->transfer);
  g_clear_handle_id (&op->hash_progress_id, g_source_remove);
  g_clear_object (&op->hashing);
  g_clear_pointer (&op->source, file_source_release);
  g_free (op);
}

/* Whether @error, ending an offer not yet answered with a session, says
 * that the peer's app cannot take the file: it refused the message
 * session itself (415, 606, or 488: no MSRP, or a file over its size
 * limit, as Hail refuses one) or answered without a usable m=message
 * (hail_chat_session_open_async()'s HAIL_SIP_ERROR_UNSUPPORTED, as from
 * a phone that answers with audio only). */
static gboolean
takes_no_files (FileOp       *op,
                const GError *error)
{
  if (op->local || op->session == NULL
      || hail_chat_transfer_get_state (op->transfer) != HAIL_CHAT_TRANSFER_CONNECTING)
    return FALSE;
  if (error->domain == HAIL_SIP_STATUS_ERROR)
    return error->code == 415 || error->code == 488 || error->code == 606;
  return g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED);
}

/* Ends an outgoing transfer and its task with @error (NULL: done). */
static void
end_outgoing (GTask  *task,
              GError *error)
{
  FileOp *op = g_task_get_task_data (task);
  g_autoptr(HailChat) chat = _hail_chat_transfer_dup_chat (op->transfer);
  HailChatTransferState state = HAIL_CHAT_TRANSFER_DONE;
  g_autofree char *reason = NULL;
  if (error != NULL)
    {
      guint report = 0;

      /* The file's own failures are told as they are, not as the
       * network's. */
      if (op->local || (op->source != NULL && op->source->failed))
        reason = g_strdup (error->message);
      else
        reason = _hail_chat_describe (error, 0, &report);
      if (hail_chat_transfer_get_state (op->transfer) == HAIL_CHAT_TRANSFER_CANCELLED
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        state = HAIL_CHAT_TRANSFER_CANCELLED;
      else if (takes_no_files (op, error))
        {
          /* Not a no from the user but a lack of their app: it may take
           * the file another time (or on another device), so it can be
           * retried. */
          g_debug ("%s cannot take the file: %s", hail_chat_transfer_get_remote (op->transfer),
                   error->message);
          g_free (reason);
          reason = g_strdup (HAIL_CHAT_TRANSFER_REASON_UNSUPPORTED);
          state = HAIL_CHAT_TRANSFER_FAILED;
          _hail_chat_transfer_set_unsupported (op->transfer, TRUE);
        }
      else if (error->domain == HAIL_SIP_STATUS_ERROR
               && (error->code == 603 || error->code == 486 || error->code == 480))
        state = HAIL_CHAT_TRANSFER_DECLINED;
      else
        state = HAIL_CHAT_TRANSFER_FAILED;
    }
  else
    _hail_chat_transfer_set_done (op->transfer, hail_chat_transfer_get_size (op->transfer));
  _hail_chat_record_file_state (chat, op->transfer,
                                state == HAIL_CHAT_TRANSFER_DONE
                                ? HAIL_STORE_MESSAGE_STATE_DELIVERED
                                : HAIL_STORE_MESSAGE_STATE_FAILED,
                                state == HAIL_CHAT_TRANSFER_CANCELLED ? "cancelled" : reason);
  _hail_chat_transfer_set_state (op->transfer, state, reason);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
file_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_chat_session_send_finish (HAIL_CHAT_SESSION (source), result, &error))
    end_outgoing (task, NULL);
  else
    end_outgoing (task, error);
}

static void
file_send_progress_cb (HailChatSession *session,
                       guint64          acknowledged,
                       guint64          total,
                       FileOp          *op)
{
  g_autoptr(HailChat) chat = _hail_chat_transfer_dup_chat (op->transfer);

  _hail_chat_transfer_set_done (op->transfer, acknowledged);
  if (chat != NULL)
    g_signal_emit (chat, signals[SIGNAL_FILE_PROGRESS], 0,
                   hail_chat_transfer_get_remote (op->transfer),
                   hail_chat_transfer_get_name (op->transfer), acknowledged, (gint64) total, TRUE);
}

static void
file_send_reported_cb (HailChatSession  *session,
                       guint64           end,
                       HailChatTransfer *transfer)
{
  g_autoptr(HailChat) chat = _hail_chat_transfer_dup_chat (transfer);
  guint64 before = _hail_chat_transfer_get_reported (transfer);

  _hail_chat_transfer_set_reported (transfer, end);
  if (chat != NULL && _hail_chat_transfer_get_reported (transfer) > before)
    _hail_chat_record_file_acked (chat, transfer);
}

static void
file_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!hail_chat_session_open_finish (HAIL_CHAT_SESSION (source), result, &error))
    {
      end_outgoing (task, error);
      return;
    }
  if (_hail_chat_transfer_is_over (op->transfer))
    {
      end_outgoing (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               "The transfer was cancelled"));
      return;
    }
  /* What the answer agreed to skip (0 unless it took our a=file-range). */
  _hail_chat_transfer_set_resumed_from (op->transfer,
                                        hail_chat_session_get_resume_from (op->session));
  _hail_chat_transfer_set_state (op->transfer, HAIL_CHAT_TRANSFER_ACTIVE, NULL);
  hail_chat_session_send_reader_async (op->session,
                                       hail_chat_transfer_get_content_type (op->transfer),
                                       op->source->size, file_source_read,
                                       g_rc_box_acquire (op->source), file_source_release,
                                       cancellable, file_sent_cb, g_steal_pointer (&task));
}

/* The SHA-1 of the whole file, read a block at a time; in a worker
 * thread, as reading gigabytes takes seconds. The thread holds its own
 * reference to the source; the main thread touches the source's "failed"
 * only once the task completed. */
static void
hash_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  FileSource *src = task_data;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree guint8 *block = g_malloc (HASH_BLOCK);
  GError *error = NULL;

  for (guint64 at = 0; at < src->size; at += MIN (src->size - at, HASH_BLOCK))
    {
      gsize len = (gsize) MIN (src->size - at, HASH_BLOCK);

      if (g_cancellable_set_error_if_cancelled (cancellable, &error)
          || !file_source_read (at, block, len, src, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_checksum_update (checksum, block, len);
      g_atomic_int_inc (&src->hashed_blocks);
    }
  /* The hash stands for the file only if nothing changed it meanwhile:
   * the same size and time as when it was opened. */
  if (!file_source_check (src, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, format_sha1 (checksum), g_free);
}

/* The user's Cancel stops the hashing too, not only the network part. */
static void
hashing_transfer_state_cb (HailChatTransfer *transfer,
                           GParamSpec       *pspec,
                           GCancellable     *hashing)
{
  if (_hail_chat_transfer_is_over (transfer))
    g_cancellable_cancel (hashing);
}

static void
cancel_hashing_cb (GCancellable *cancellable,
                   GCancellable *hashing)
{
  g_cancellable_cancel (hashing);
}

static void
outgoing_hashed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data);

/* The main thread's view of the worker's progress, for "hashed". The
 * task holding @op is kept by the hashing task until stop_hashing(). */
static gboolean
hash_progress_cb (gpointer user_data)
{
  FileOp *op = user_data;
  guint64 blocks = (guint64) g_atomic_int_get (&op->source->hashed_blocks);

  _hail_chat_transfer_set_hashed (op->transfer, MIN (blocks * HASH_BLOCK, op->source->size));
  return G_SOURCE_CONTINUE;
}

/* Opens and hashes the transfer's file, then sends it over a new session
 * (outgoing_hashed_cb). Completes @task (source: the chat or the
 * transfer). */
static void
start_outgoing (GTask *task)
{
  FileOp *op = g_task_get_task_data (task);
  GFile *file = hail_chat_transfer_get_file (op->transfer);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GCancellable) hashing = g_cancellable_new ();
  g_autoptr(GTask) hash_task = NULL;
  GError *error = NULL;

  /* Cancelled while its row was being stored: nothing to read. */
  if (_hail_chat_transfer_is_over (op->transfer))
    {
      end_outgoing (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               "The transfer was cancelled"));
      return;
    }
  g_clear_pointer (&op->source, file_source_release);
  op->source = path != NULL ? file_source_open (path, hail_chat_transfer_get_name (op->transfer),
                                                &error)
                            : NULL;
  op->local = TRUE;
  if (op->source == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                     "Only local files can be sent");
      end_outgoing (task, error);
      return;
    }
  if (op->source->size != hail_chat_transfer_get_size (op->transfer))
    {
      end_outgoing (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                       "“%s” changed since it was chosen", path));
      return;
    }
  /* Cancelled by the caller's cancellable or by the transfer's Cancel. */
  op->hashing = g_object_ref (hashing);
  if (g_task_get_cancellable (task) != NULL)
    op->hashing_link = g_cancellable_connect (g_task_get_cancellable (task),
                                              G_CALLBACK (cancel_hashing_cb),
                                              g_object_ref (hashing), g_object_unref);
  g_signal_connect_object (op->transfer, "notify::state",
                           G_CALLBACK (hashing_transfer_state_cb), hashing, 0);
  op->hash_progress_id = g_timeout_add (HASH_PROGRESS_INTERVAL_MS, hash_progress_cb, op);
  hash_task = g_task_new (NULL, hashing, outgoing_hashed_cb, g_object_ref (task));
  g_task_set_source_tag (hash_task, hash_file_thread);
  g_task_set_task_data (hash_task, g_rc_box_acquire (op->source), file_source_release);
  g_task_run_in_thread (hash_task, hash_file_thread);
}

/* The hashing is over, however it ended: its cancellable is let go. */
static void
stop_hashing (GTask  *task,
              FileOp *op)
{
  if (op->hashing == NULL)
    return;
  if (op->hashing_link != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), op->hashing_link);
  op->hashing_link = 0;
  g_clear_handle_id (&op->hash_progress_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (op->transfer, op->hashing);
  g_clear_object (&op->hashing);
}

static void
outgoing_hashed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileOp *op = g_task_get_task_data (task);
  g_autoptr(HailChat) self = _hail_chat_transfer_dup_chat (op->transfer);
  GError *error = NULL;
  g_autofree char *hash = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *encoded = NULL;
  HailSdpFileSelector selector = { 0 };
  GCancellable *cancellable;

  stop_hashing (task, op);
  if (hash == NULL)
    {
      end_outgoing (task, error);
      return;
    }
  /* Stopped just as the hash was done. */
  if (self == NULL || _hail_chat_transfer_is_over (op->transfer)
      || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      end_outgoing (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               "The transfer was cancelled"));
      return;
    }
  /* A file that changed since the last attempt is a new file: nothing
   * the peer kept of it counts. */
  if (g_strcmp0 (hash, _hail_chat_transfer_get_hash (op->transfer)) != 0)
    {
      _hail_chat_transfer_set_hash (op->transfer, hash);
      _hail_chat_transfer_reset_reported (op->transfer);
    }
  _hail_chat_transfer_set_hashed (op->transfer, hail_chat_transfer_get_size (op->transfer));
  op->local = FALSE;
  encoded = g_uri_escape_string (hail_chat_transfer_get_name (op->transfer), NULL, TRUE);
  selector.name = encoded;
  selector.type = (char *) hail_chat_transfer_get_content_type (op->transfer);
  selector.size = (gint64) hail_chat_transfer_get_size (op->transfer);
  selector.hash_algorithm = (char *) "sha-1";
  selector.hash = (char *) _hail_chat_transfer_get_hash (op->transfer);
  op->session = hail_chat_session_new_outgoing (self->account,
                                                hail_chat_transfer_get_remote (op->transfer),
                                                &selector, &error);
  if (op->session == NULL)
    {
      end_outgoing (task, error);
      return;
    }
  _hail_chat_transfer_set_session (op->transfer, op->session);
  /* RFC 5547 §9: offered from the first byte the peer did not report. */
  if (_hail_chat_transfer_get_reported (op->transfer) < hail_chat_transfer_get_size (op->transfer))
    hail_chat_session_set_resume_from (op->session,
                                       _hail_chat_transfer_get_reported (op->transfer));
  _hail_chat_add_session (self, op->session);
  /* Hashed: from now on the peer is the one awaited. */
  _hail_chat_transfer_set_state (op->transfer, HAIL_CHAT_TRANSFER_CONNECTING, NULL);
  g_signal_connect (op->session, "send-progress", G_CALLBACK (file_send_progress_cb), op);
  g_signal_connect_object (op->session, "send-reported", G_CALLBACK (file_send_reported_cb),
                           op->transfer, 0);
  cancellable = g_task_get_cancellable (task);
  hail_chat_session_open_async (op->session, cancellable, file_opened_cb,
                                g_steal_pointer (&task));
}

void
hail_chat_send_file_async (HailChat            *self,
                           const char          *to,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *guessed = NULL;
  g_autofree char *content_type = NULL;
  GError *error = NULL;
  FileOp *op;
  goffset size;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (to != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_send_file_async);
  op = g_new0 (FileOp, 1);
  g_task_set_task_data (task, op, (GDestroyNotify) file_op_free);

  path = g_file_get_path (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (path == NULL || info == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             "Only local files can be sent");
      g_task_return_error (task, error);
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               "“%s” is not a regular file", path);
      return;
    }
  size = g_file_info_get_size (info);
  if (size <= 0 || (guint64) size > self->max_file_size)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                               size <= 0 ? "“%s” is empty"
                                         : "“%s” is larger than the file size limit (%"
                                           G_GUINT64_FORMAT " bytes)",
                               path, self->max_file_size);
      return;
    }
  uri = hail_account_parse_peer (to, &error);
  if (uri == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  basename = g_file_get_basename (file);
  guessed = g_content_type_guess (basename, NULL, 0, NULL);
  content_type = g_content_type_get_mime_type (guessed);
  op->transfer = _hail_chat_transfer_new (self, TRUE, hail_sip_uri_to_string (uri), basename,
                                          content_type != NULL ? content_type
                                                               : "application/octet-stream",
                                          (guint64) size, file);
  /* Shown before the INVITE goes, so that even a refusal is seen. */
  g_signal_emit (self, signals[SIGNAL_TRANSFER_ADDED], 0, op->transfer);
  _hail_chat_record_outgoing_file (self, op->transfer, task);
}

/* The store has the row (or there is no store): the file goes. */
void
_hail_chat_file_stored (HailChat *self,
                        GTask    *task)
{
  start_outgoing (task);
}

gboolean
hail_chat_send_file_finish (HailChat      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_hail_chat_retry_transfer (HailChat            *self,
                           HailChatTransfer    *transfer,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (transfer, cancellable, callback, user_data);
  FileOp *op = g_new0 (FileOp, 1);

  g_task_set_source_tag (task, hail_chat_transfer_retry_async);
  g_task_set_task_data (task, op, (GDestroyNotify) file_op_free);
  op->transfer = g_object_ref (transfer);
  _hail_chat_transfer_set_state (transfer, HAIL_CHAT_TRANSFER_PREPARING, NULL);
  _hail_chat_record_file_state (self, transfer, HAIL_STORE_MESSAGE_STATE_SENDING, NULL);
  start_outgoing (task);
}
