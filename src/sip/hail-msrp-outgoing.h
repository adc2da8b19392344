/* hail-msrp-outgoing.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-msrp-message.h"

G_BEGIN_DECLS

#define HAIL_TYPE_MSRP_OUTGOING (hail_msrp_outgoing_get_type ())
G_DECLARE_FINAL_TYPE (HailMsrpOutgoing, hail_msrp_outgoing, HAIL, MSRP_OUTGOING, GObject)

/* One message on its way out: cuts @content into SEND chunks of at most
 * @chunk_size body bytes (RFC 4975 §7.1), each with its own transaction id
 * and a Byte-Range with the total. */
HailMsrpOutgoing *hail_msrp_outgoing_new            (const char          *content_type,
                                                     GBytes              *content,
                                                     gsize                chunk_size)
                                                     G_GNUC_WARN_UNUSED_RESULT;

/* Reads @len bytes of the content at @offset into @buffer, all of them or
 * FALSE with @error (the source shrank or changed, say). */
typedef gboolean (*HailMsrpOutgoingReadFunc) (guint64   offset,
                                              guint8   *buffer,
                                              gsize     len,
                                              gpointer  user_data,
                                              GError  **error);

/* Like hail_msrp_outgoing_new(), for @size bytes that are read a chunk at
 * a time by @read_func (a file, so that only one chunk is held): a read
 * that fails fails the message with its error. */
HailMsrpOutgoing *hail_msrp_outgoing_new_reader     (const char          *content_type,
                                                     guint64              size,
                                                     HailMsrpOutgoingReadFunc read_func,
                                                     gpointer             user_data,
                                                     GDestroyNotify       destroy,
                                                     gsize                chunk_size)
                                                     G_GNUC_WARN_UNUSED_RESULT;

/* The Message-ID, drawn at random. */
const char       *hail_msrp_outgoing_get_message_id (HailMsrpOutgoing    *self);
/* Success-Report and Failure-Report to ask for; the defaults are no and
 * yes (RFC 4975 §7.1.1), which send no header. */
void              hail_msrp_outgoing_set_reports    (HailMsrpOutgoing    *self,
                                                     HailMsrpReport       success,
                                                     HailMsrpReport       failure);
HailMsrpReport    hail_msrp_outgoing_get_success_report (HailMsrpOutgoing *self);
HailMsrpReport    hail_msrp_outgoing_get_failure_report (HailMsrpOutgoing *self);

/* RFC 5547 §9: resumes a transfer the peer already holds the first
 * @offset bytes of; Byte-Ranges stay relative to the whole content. */
void              hail_msrp_outgoing_set_offset     (HailMsrpOutgoing    *self,
                                                     guint64              offset);

gboolean          hail_msrp_outgoing_has_more       (HailMsrpOutgoing    *self);
/* Bytes put into chunks so far (counting the resume offset), and the size. */
guint64           hail_msrp_outgoing_get_sent       (HailMsrpOutgoing    *self);
guint64           hail_msrp_outgoing_get_total      (HailMsrpOutgoing    *self);

/* The next chunk from @from_path to @to_path (HailMsrpUri* arrays); @tid
 * gets its transaction id and @range its Byte-Range. The last chunk ends
 * with `$`, the others with `+`. NULL with an error only when the content
 * cannot be framed or read. */
GBytes           *hail_msrp_outgoing_next_chunk     (HailMsrpOutgoing    *self,
                                                     GPtrArray           *to_path,
                                                     GPtrArray           *from_path,
                                                     char               **tid,
                                                     HailMsrpByteRange   *range,
                                                     GError             **error)
                                                     G_GNUC_WARN_UNUSED_RESULT;

/* An empty chunk ended by `#` (RFC 4975 §7.1): the sender gives up the
 * rest of the message. Nothing more is sent after it. */
GBytes           *hail_msrp_outgoing_abort_chunk    (HailMsrpOutgoing    *self,
                                                     GPtrArray           *to_path,
                                                     GPtrArray           *from_path,
                                                     char               **tid)
                                                     G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
