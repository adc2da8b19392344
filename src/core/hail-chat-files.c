/* hail-chat-files.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailChat: files (RFC 5547), one message session per file.
 */
#include "config.h"

#include "hail-chat-private.h"

#include "hail-sip-error.h"

#define signals _hail_chat_signals

/* Files (RFC 5547): one session per file, pushed (a=sendonly). */

typedef struct {
  HailChatSession *session;
  GMappedFile     *mapped;
  GBytes          *content;
  char            *content_type;
} FileOp;

static void
file_op_free (FileOp *op)
{
  if (op->session != NULL)
    hail_chat_session_close (op->session);
  g_clear_object (&op->session);
  g_clear_pointer (&op->content, g_bytes_unref);
  g_clear_pointer (&op->mapped, g_mapped_file_unref);
  g_free (op->content_type);
  g_free (op);
}

static void
file_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_chat_session_send_finish (HAIL_CHAT_SESSION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
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
      g_task_return_error (task, error);
      return;
    }
  hail_chat_session_send_async (op->session, op->content_type, op->content, cancellable,
                                file_sent_cb, g_steal_pointer (&task));
}

static void
file_send_progress_cb (HailChatSession *session,
                       guint64          acknowledged,
                       guint64          total,
                       HailChat        *self)
{
  const HailSdpFileSelector *file = hail_chat_session_get_file (session);

  g_signal_emit (self, signals[SIGNAL_FILE_PROGRESS], 0, hail_chat_session_get_remote (session),
                 file->name, acknowledged, (gint64) total, TRUE);
}

/* RFC 5547 §6: the SHA-1 as colon-separated upper-case hex pairs. */
static char *
file_hash (GBytes *content)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autoptr(GString) out = g_string_new (NULL);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (checksum, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  g_checksum_get_digest (checksum, digest, &len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
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
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *guessed = NULL;
  g_autofree char *hash = NULL;
  HailSdpFileSelector selector = { 0 };
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
  /* Mapped, not read: a large file costs address space, not a copy. */
  op->mapped = g_mapped_file_new (path, FALSE, &error);
  if (op->mapped == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  op->content = g_mapped_file_get_bytes (op->mapped);
  if (g_bytes_get_size (op->content) != (gsize) size)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "“%s” changed while it was being read", path);
      return;
    }
  basename = g_file_get_basename (file);
  guessed = g_content_type_guess (basename, NULL, 0, NULL);
  op->content_type = g_content_type_get_mime_type (guessed);
  if (op->content_type == NULL)
    op->content_type = g_strdup ("application/octet-stream");
  hash = file_hash (op->content);
  selector.name = g_uri_escape_string (basename, NULL, TRUE);
  selector.type = op->content_type;
  selector.size = size;
  selector.hash_algorithm = (char *) "sha-1";
  selector.hash = hash;
  op->session = hail_chat_session_new_outgoing (self->account, to, &selector, &error);
  g_free (selector.name);
  if (op->session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _hail_chat_add_session (self, op->session);
  g_signal_connect_object (op->session, "send-progress", G_CALLBACK (file_send_progress_cb), self,
                           0);
  hail_chat_session_open_async (op->session, cancellable, file_opened_cb,
                                g_steal_pointer (&task));
}

gboolean
hail_chat_send_file_finish (HailChat      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
