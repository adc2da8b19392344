/* hail-msrp-outgoing.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sending side of chunking. The content is shared, never copied,
 * until a chunk's bytes go into its frame; or, from a reader, read one
 * chunk at a time into a buffer reused for every chunk.
 */
#include "config.h"

#include "hail-msrp-outgoing.h"

#include "hail-msrp-builder.h"
#include "hail-msrp-limits.h"

#include <string.h>

struct _HailMsrpOutgoing
{
  GObject parent_instance;

  /* Owned. */
  char           *message_id;
  char           *content_type;
  GBytes         *content;       /* NULL with a reader. */
  HailMsrpOutgoingReadFunc read_func;
  gpointer        read_data;
  GDestroyNotify  read_destroy;
  guint8         *buffer;        /* chunk_size bytes, for the reader. */

  /* State: bytes [0, next) went out in chunks. */
  guint64         total;
  gsize           chunk_size;
  guint64         next;
  HailMsrpReport  success;
  HailMsrpReport  failure;
  gboolean        finished;
};

G_DEFINE_FINAL_TYPE (HailMsrpOutgoing, hail_msrp_outgoing, G_TYPE_OBJECT)

static void
hail_msrp_outgoing_finalize (GObject *object)
{
  HailMsrpOutgoing *self = (HailMsrpOutgoing *)object;

  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->content, g_bytes_unref);
  if (self->read_destroy != NULL)
    self->read_destroy (self->read_data);
  g_clear_pointer (&self->buffer, g_free);

  G_OBJECT_CLASS (hail_msrp_outgoing_parent_class)->finalize (object);
}

static void
hail_msrp_outgoing_class_init (HailMsrpOutgoingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_msrp_outgoing_finalize;
}

static void
hail_msrp_outgoing_init (HailMsrpOutgoing *self)
{
  self->success = HAIL_MSRP_REPORT_NO;
  self->failure = HAIL_MSRP_REPORT_YES;
}

HailMsrpOutgoing *
hail_msrp_outgoing_new (const char *content_type,
                        GBytes     *content,
                        gsize       chunk_size)
{
  HailMsrpOutgoing *self;

  g_return_val_if_fail (content_type != NULL && *content_type != '\0', NULL);
  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (chunk_size > 0 && chunk_size <= HAIL_MSRP_MAX_CHUNK_SIZE, NULL);

  self = g_object_new (HAIL_TYPE_MSRP_OUTGOING, NULL);
  self->message_id = hail_msrp_new_ident ();
  self->content_type = g_strdup (content_type);
  self->content = g_bytes_ref (content);
  self->total = g_bytes_get_size (content);
  self->chunk_size = chunk_size;
  return self;
}

HailMsrpOutgoing *
hail_msrp_outgoing_new_reader (const char               *content_type,
                               guint64                   size,
                               HailMsrpOutgoingReadFunc  read_func,
                               gpointer                  user_data,
                               GDestroyNotify            destroy,
                               gsize                     chunk_size)
{
  HailMsrpOutgoing *self;

  g_return_val_if_fail (content_type != NULL && *content_type != '\0', NULL);
  g_return_val_if_fail (read_func != NULL, NULL);
  g_return_val_if_fail (size <= G_MAXINT64, NULL);
  g_return_val_if_fail (chunk_size > 0 && chunk_size <= HAIL_MSRP_MAX_CHUNK_SIZE, NULL);

  self = g_object_new (HAIL_TYPE_MSRP_OUTGOING, NULL);
  self->message_id = hail_msrp_new_ident ();
  self->content_type = g_strdup (content_type);
  self->read_func = read_func;
  self->read_data = user_data;
  self->read_destroy = destroy;
  self->total = size;
  self->chunk_size = chunk_size;
  return self;
}

const char *
hail_msrp_outgoing_get_message_id (HailMsrpOutgoing *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), NULL);

  return self->message_id;
}

void
hail_msrp_outgoing_set_reports (HailMsrpOutgoing *self,
                                HailMsrpReport    success,
                                HailMsrpReport    failure)
{
  g_return_if_fail (HAIL_IS_MSRP_OUTGOING (self));
  g_return_if_fail (success != HAIL_MSRP_REPORT_PARTIAL);

  self->success = success;
  self->failure = failure;
}

HailMsrpReport
hail_msrp_outgoing_get_success_report (HailMsrpOutgoing *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), HAIL_MSRP_REPORT_NO);

  return self->success;
}

HailMsrpReport
hail_msrp_outgoing_get_failure_report (HailMsrpOutgoing *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), HAIL_MSRP_REPORT_YES);

  return self->failure;
}

void
hail_msrp_outgoing_set_offset (HailMsrpOutgoing *self,
                               guint64           offset)
{
  g_return_if_fail (HAIL_IS_MSRP_OUTGOING (self));
  g_return_if_fail (self->next == 0 && offset <= self->total);

  self->next = offset;
}

gboolean
hail_msrp_outgoing_has_more (HailMsrpOutgoing *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), FALSE);

  return !self->finished;
}

guint64
hail_msrp_outgoing_get_sent (HailMsrpOutgoing *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), 0);

  return self->next;
}

guint64
hail_msrp_outgoing_get_total (HailMsrpOutgoing *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), 0);

  return self->total;
}

static HailMsrpBuilder *
new_send (HailMsrpOutgoing *self,
          GPtrArray        *to_path,
          GPtrArray        *from_path)
{
  HailMsrpBuilder *b = hail_msrp_builder_new_request (NULL, "SEND");

  hail_msrp_builder_set_to_path (b, to_path);
  hail_msrp_builder_set_from_path (b, from_path);
  hail_msrp_builder_add_header (b, "Message-ID", self->message_id);
  return b;
}

GBytes *
hail_msrp_outgoing_next_chunk (HailMsrpOutgoing   *self,
                               GPtrArray          *to_path,
                               GPtrArray          *from_path,
                               char              **tid,
                               HailMsrpByteRange  *range,
                               GError            **error)
{
  HailMsrpBuilder *b;
  guint64 total = self->total;
  gsize len;
  const guint8 *data;
  HailMsrpByteRange br;
  GBytes *chunk;
  gboolean last;

  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), NULL);
  g_return_val_if_fail (!self->finished, NULL);
  g_return_val_if_fail (to_path != NULL && from_path != NULL, NULL);

  len = (gsize) MIN ((guint64) self->chunk_size, total - self->next);
  if (self->read_func != NULL)
    {
      if (self->buffer == NULL)
        self->buffer = g_malloc (self->chunk_size);
      if (len > 0 && !self->read_func (self->next, self->buffer, len, self->read_data, error))
        return NULL;
      data = self->buffer;
    }
  else
    data = g_bytes_get_data (self->content, NULL);
  last = self->next + len == total;
  /* An empty message is one chunk "1-0/0" (RFC 4975 §7.1.1). */
  br = (HailMsrpByteRange) { self->next + 1, (gint64) (self->next + len), (gint64) total };

  b = new_send (self, to_path, from_path);
  hail_msrp_builder_add_byte_range (b, &br);
  /* Headers with their default value are left out. */
  if (self->success == HAIL_MSRP_REPORT_YES)
    hail_msrp_builder_add_header (b, "Success-Report", "yes");
  if (self->failure == HAIL_MSRP_REPORT_NO)
    hail_msrp_builder_add_header (b, "Failure-Report", "no");
  else if (self->failure == HAIL_MSRP_REPORT_PARTIAL)
    hail_msrp_builder_add_header (b, "Failure-Report", "partial");
  /* The id may change while finishing (an end-line in the body), so the
   * caller's copy is taken from the frame. */
  chunk = hail_msrp_builder_finish (b, self->content_type,
                                    data == NULL ? (const guint8 *) ""
                                    : self->read_func != NULL ? data : data + self->next,
                                    len, last ? HAIL_MSRP_CONTINUATION_COMPLETE
                                              : HAIL_MSRP_CONTINUATION_MORE, error);
  if (chunk == NULL)
    return NULL;
  if (tid != NULL)
    {
      const char *frame = g_bytes_get_data (chunk, NULL);
      const char *sp = memchr (frame + 5, ' ', HAIL_MSRP_TRANSACTION_ID_MAX + 1);

      *tid = g_strndup (frame + 5, sp - (frame + 5));
    }
  if (range != NULL)
    *range = br;
  self->next += len;
  self->finished = last;
  return chunk;
}

GBytes *
hail_msrp_outgoing_abort_chunk (HailMsrpOutgoing  *self,
                                GPtrArray         *to_path,
                                GPtrArray         *from_path,
                                char             **tid)
{
  HailMsrpBuilder *b;
  HailMsrpByteRange br;

  g_return_val_if_fail (HAIL_IS_MSRP_OUTGOING (self), NULL);
  g_return_val_if_fail (to_path != NULL && from_path != NULL, NULL);

  br = (HailMsrpByteRange) { self->next + 1, (gint64) self->next,
                             (gint64) self->total };
  b = new_send (self, to_path, from_path);
  hail_msrp_builder_add_byte_range (b, &br);
  if (tid != NULL)
    *tid = g_strdup (hail_msrp_builder_get_transaction_id (b));
  self->finished = TRUE;
  /* An empty body cannot hold an end-line, so this cannot fail. */
  return hail_msrp_builder_finish (b, self->content_type, NULL, 0,
                                   HAIL_MSRP_CONTINUATION_ABORTED, NULL);
}
