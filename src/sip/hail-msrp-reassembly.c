/* hail-msrp-reassembly.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chunks usually arrive in order, so the range list is searched from its
 * end and a chunk that extends the last range costs O(1).
 */
#include "config.h"

#include "hail-msrp-reassembly.h"

#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-sip-error.h"

/* A held range of bytes, 1-based and inclusive like Byte-Range. */
typedef struct {
  guint64 start;
  guint64 end;
} Range;

struct _HailMsrpReassembly
{
  GObject parent_instance;

  /* Owned. */
  char       *message_id;
  GByteArray *data;        /* Byte n is data[n - 1]; gaps are zero. */
  GArray     *ranges;      /* Range, ascending, disjoint, not adjacent. */

  /* State. */
  guint64     max_size;
  gint64      total;
  guint64     received;
  guint64     duplicates;
  gboolean    aborted;
  gboolean    discard;     /* Bodies go elsewhere: ranges only. */
};

G_DEFINE_FINAL_TYPE (HailMsrpReassembly, hail_msrp_reassembly, G_TYPE_OBJECT)

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HAIL_SIP_ERROR, code, message);
  return FALSE;
}

/* Counts the bytes of [start, end] already held. */
static guint64
overlap (HailMsrpReassembly *self,
         guint64             start,
         guint64             end)
{
  guint64 n = 0;

  for (guint i = self->ranges->len; i > 0; i--)
    {
      const Range *r = &g_array_index (self->ranges, Range, i - 1);

      if (r->end < start)
        break;
      if (r->start <= end)
        n += MIN (r->end, end) - MAX (r->start, start) + 1;
    }
  return n;
}

/* Merges [start, end] into the range list; FALSE when that would pass the
 * range limit. */
static gboolean
insert_range (HailMsrpReassembly *self,
              guint64             start,
              guint64             end)
{
  guint first;
  guint last;
  guint i = self->ranges->len;
  Range merged = { start, end };

  /* Skip the ranges wholly after the new one (not even adjacent). */
  while (i > 0 && g_array_index (self->ranges, Range, i - 1).start > end + 1)
    i--;
  last = i;
  /* Take in every range that touches or overlaps it. */
  while (i > 0 && g_array_index (self->ranges, Range, i - 1).end + 1 >= start)
    {
      const Range *r = &g_array_index (self->ranges, Range, i - 1);

      merged.start = MIN (merged.start, r->start);
      merged.end = MAX (merged.end, r->end);
      i--;
    }
  first = i;
  if (first == last && self->ranges->len >= HAIL_MSRP_MAX_RANGES)
    return FALSE;
  if (last > first)
    g_array_remove_range (self->ranges, first, last - first);
  g_array_insert_val (self->ranges, first, merged);
  return TRUE;
}

static void
hail_msrp_reassembly_finalize (GObject *object)
{
  HailMsrpReassembly *self = (HailMsrpReassembly *)object;

  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->data, g_byte_array_unref);
  g_clear_pointer (&self->ranges, g_array_unref);

  G_OBJECT_CLASS (hail_msrp_reassembly_parent_class)->finalize (object);
}

static void
hail_msrp_reassembly_class_init (HailMsrpReassemblyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_msrp_reassembly_finalize;
}

static void
hail_msrp_reassembly_init (HailMsrpReassembly *self)
{
  self->data = g_byte_array_new ();
  self->ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  self->total = -1;
}

HailMsrpReassembly *
hail_msrp_reassembly_new (const char *message_id,
                          guint64     max_size)
{
  HailMsrpReassembly *self;

  g_return_val_if_fail (message_id != NULL, NULL);
  g_return_val_if_fail (max_size <= HAIL_MSRP_MAX_MESSAGE_SIZE_CEILING, NULL);

  self = g_object_new (HAIL_TYPE_MSRP_REASSEMBLY, NULL);
  self->message_id = g_strdup (message_id);
  self->max_size = max_size;
  return self;
}

gboolean
hail_msrp_reassembly_add (HailMsrpReassembly       *self,
                          const HailMsrpByteRange  *range,
                          const guint8             *body,
                          gsize                     len,
                          HailMsrpContinuation      continuation,
                          GError                  **error)
{
  HailMsrpByteRange whole = { 1, -1, -1 };
  guint64 start;
  guint64 end;

  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), FALSE);
  g_return_val_if_fail (body != NULL || len == 0, FALSE);

  /* RFC 4975 §7.1.1: without Byte-Range the chunk is the whole message. */
  if (range == NULL)
    {
      whole.end = (gint64) len;
      whole.total = continuation == HAIL_MSRP_CONTINUATION_COMPLETE ? (gint64) len : -1;
      range = &whole;
    }
  if (self->aborted)
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP chunk of message %s after its abort",
                 self->message_id);

  start = range->start;
  if (start < 1)
    return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP Byte-Range of message %s starts at 0",
                 self->message_id);
  /* The body is what counts: a chunk the sender interrupted carries fewer
   * bytes than its Byte-Range announced, never more. */
  if (range->end >= 0 && (guint64) range->end - start + 1 < len)
    return fail (error, HAIL_SIP_ERROR_MALFORMED,
                 "MSRP chunk of message %s has %" G_GSIZE_FORMAT " bytes for Byte-Range %"
                 G_GUINT64_FORMAT "-%" G_GINT64_FORMAT, self->message_id, len, start, range->end);
  if (range->end >= 0 && (guint64) range->end - start + 1 > len &&
      continuation == HAIL_MSRP_CONTINUATION_COMPLETE)
    return fail (error, HAIL_SIP_ERROR_MALFORMED,
                 "Last MSRP chunk of message %s is shorter than its Byte-Range",
                 self->message_id);
  end = start + len - 1;

  if (range->total >= 0)
    {
      if (self->total >= 0 && self->total != range->total)
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "MSRP message %s changed its size from %" G_GINT64_FORMAT " to %"
                     G_GINT64_FORMAT, self->message_id, self->total, range->total);
      self->total = range->total;
    }
  else if (continuation == HAIL_MSRP_CONTINUATION_COMPLETE)
    {
      /* The last chunk ends the message, so its end is the size. */
      if (self->total >= 0 && (guint64) self->total != end)
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "MSRP message %s ends at byte %" G_GUINT64_FORMAT ", not %" G_GINT64_FORMAT,
                     self->message_id, end, self->total);
      self->total = (gint64) end;
    }
  if (self->total >= 0 && (guint64) self->total > self->max_size)
    return fail (error, HAIL_SIP_ERROR_TOO_LARGE,
                 "MSRP message %s of %" G_GINT64_FORMAT " bytes is over the limit of %"
                 G_GUINT64_FORMAT, self->message_id, self->total, self->max_size);
  if (len > 0 && end > self->max_size)
    return fail (error, HAIL_SIP_ERROR_TOO_LARGE,
                 "MSRP message %s passes the limit of %" G_GUINT64_FORMAT " bytes",
                 self->message_id, self->max_size);
  if (self->total >= 0 && len > 0 && end > (guint64) self->total)
    return fail (error, HAIL_SIP_ERROR_MALFORMED,
                 "MSRP chunk of message %s ends at byte %" G_GUINT64_FORMAT " past its size %"
                 G_GINT64_FORMAT, self->message_id, end, self->total);
  if (self->total >= 0 && continuation == HAIL_MSRP_CONTINUATION_COMPLETE &&
      range->end >= 0 && range->end != self->total)
    return fail (error, HAIL_SIP_ERROR_MALFORMED,
                 "Last MSRP chunk of message %s does not end at its size", self->message_id);

  if (len > 0)
    {
      guint64 dup = overlap (self, start, end);

      if (!insert_range (self, start, end))
        return fail (error, HAIL_SIP_ERROR_TOO_LARGE,
                     "MSRP message %s arrives in more than %d pieces", self->message_id,
                     HAIL_MSRP_MAX_RANGES);
      if (!self->discard)
        {
          if (end > self->data->len)
            g_byte_array_set_size (self->data, (guint) end);
          memcpy (self->data->data + start - 1, body, len);
        }
      self->duplicates += dup;
      self->received += len - dup;
    }
  if (continuation == HAIL_MSRP_CONTINUATION_ABORTED)
    self->aborted = TRUE;
  return TRUE;
}

void
hail_msrp_reassembly_set_keep_data (HailMsrpReassembly *self,
                                    gboolean            keep)
{
  g_return_if_fail (HAIL_IS_MSRP_REASSEMBLY (self));
  g_return_if_fail (keep || self->received == 0);

  self->discard = !keep;
}

gboolean
hail_msrp_reassembly_mark_held (HailMsrpReassembly  *self,
                                guint64              end,
                                GError             **error)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), FALSE);
  g_return_val_if_fail (self->discard && self->received == 0, FALSE);

  if (end == 0)
    return TRUE;
  if (end > self->max_size)
    return fail (error, HAIL_SIP_ERROR_TOO_LARGE,
                 "MSRP message %s passes the limit of %" G_GUINT64_FORMAT " bytes",
                 self->message_id, self->max_size);
  insert_range (self, 1, end);
  self->received = end;
  return TRUE;
}

const char *
hail_msrp_reassembly_get_message_id (HailMsrpReassembly *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), NULL);

  return self->message_id;
}

gboolean
hail_msrp_reassembly_is_complete (HailMsrpReassembly *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), FALSE);

  return !self->aborted && self->total >= 0 && self->received == (guint64) self->total;
}

gboolean
hail_msrp_reassembly_is_aborted (HailMsrpReassembly *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), FALSE);

  return self->aborted;
}

guint64
hail_msrp_reassembly_get_received (HailMsrpReassembly *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), 0);

  return self->received;
}

guint64
hail_msrp_reassembly_get_duplicate_bytes (HailMsrpReassembly *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), 0);

  return self->duplicates;
}

gsize
hail_msrp_reassembly_get_buffered_size (HailMsrpReassembly *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), 0);

  return self->data->len;
}

gint64
hail_msrp_reassembly_get_total (HailMsrpReassembly *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), -1);

  return self->total;
}

GArray *
hail_msrp_reassembly_dup_ranges (HailMsrpReassembly *self)
{
  GArray *out;

  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), NULL);

  out = g_array_sized_new (FALSE, FALSE, sizeof (HailMsrpByteRange), self->ranges->len);
  for (guint i = 0; i < self->ranges->len; i++)
    {
      const Range *r = &g_array_index (self->ranges, Range, i);
      HailMsrpByteRange br = { r->start, (gint64) r->end, -1 };

      g_array_append_val (out, br);
    }
  return out;
}

GArray *
hail_msrp_reassembly_dup_gaps (HailMsrpReassembly *self)
{
  GArray *out;
  guint64 next = 1;
  guint64 limit;

  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), NULL);

  limit = self->total >= 0 ? (guint64) self->total : self->data->len;
  out = g_array_new (FALSE, FALSE, sizeof (HailMsrpByteRange));
  for (guint i = 0; i <= self->ranges->len; i++)
    {
      guint64 stop = i < self->ranges->len ? g_array_index (self->ranges, Range, i).start - 1
                                           : limit;

      if (stop >= next)
        {
          HailMsrpByteRange gap = { next, (gint64) stop, -1 };

          g_array_append_val (out, gap);
        }
      if (i < self->ranges->len)
        next = g_array_index (self->ranges, Range, i).end + 1;
    }
  return out;
}

GBytes *
hail_msrp_reassembly_steal_bytes (HailMsrpReassembly *self)
{
  GBytes *bytes;

  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (self), NULL);
  g_return_val_if_fail (hail_msrp_reassembly_is_complete (self), NULL);

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->data));
  self->data = g_byte_array_new ();
  return bytes;
}
