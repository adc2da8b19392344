/* hail-msrp-reassembly.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-msrp-message.h"

G_BEGIN_DECLS

#define HAIL_TYPE_MSRP_REASSEMBLY (hail_msrp_reassembly_get_type ())
G_DECLARE_FINAL_TYPE (HailMsrpReassembly, hail_msrp_reassembly, HAIL, MSRP_REASSEMBLY, GObject)

/* Puts one incoming MSRP message back together from its chunks (RFC 4975
 * §7.3.1), in any order, with duplicates and gaps, up to @max_size bytes.
 * Memory is taken only up to the highest byte received. */
HailMsrpReassembly *hail_msrp_reassembly_new          (const char               *message_id,
                                                       guint64                   max_size)
                                                       G_GNUC_WARN_UNUSED_RESULT;

/* Adds one chunk: @range as in its Byte-Range (NULL when it had none: the
 * whole message in one chunk), its body and its end-line flag. Fails with
 * HAIL_SIP_ERROR_TOO_LARGE beyond the maximum size or range count, or
 * MALFORMED when the chunk contradicts the message (total, length). */
gboolean            hail_msrp_reassembly_add          (HailMsrpReassembly       *self,
                                                       const HailMsrpByteRange  *range,
                                                       const guint8             *body,
                                                       gsize                     len,
                                                       HailMsrpContinuation      continuation,
                                                       GError                  **error);

/* Whether chunk bodies are kept (the default). A receiver that writes
 * each chunk elsewhere as it comes (a file streamed to disk) turns this
 * off: the ranges are still tracked, and steal_bytes() gives no bytes. */
void                hail_msrp_reassembly_set_keep_data (HailMsrpReassembly     *self,
                                                        gboolean                keep);
/* RFC 5547 §9, while streaming: bytes 1 to @end are held already (by an
 * earlier, interrupted transfer), so that the message is complete once
 * the rest arrives. Only on a reassembly that keeps no data and has
 * nothing yet. */
gboolean            hail_msrp_reassembly_mark_held    (HailMsrpReassembly       *self,
                                                       guint64                   end,
                                                       GError                  **error);
const char         *hail_msrp_reassembly_get_message_id (HailMsrpReassembly     *self);
/* Every byte from 1 to the total has arrived. */
gboolean            hail_msrp_reassembly_is_complete  (HailMsrpReassembly       *self);
/* A chunk ended with `#`: the sender gave the message up. */
gboolean            hail_msrp_reassembly_is_aborted   (HailMsrpReassembly       *self);
/* Distinct bytes held, and bytes that arrived more than once. */
guint64             hail_msrp_reassembly_get_received (HailMsrpReassembly       *self);
guint64             hail_msrp_reassembly_get_duplicate_bytes (HailMsrpReassembly *self);
/* Memory held for the message: up to its highest byte received. */
gsize               hail_msrp_reassembly_get_buffered_size (HailMsrpReassembly *self);
/* The message size, or -1 while no chunk said it. */
gint64              hail_msrp_reassembly_get_total    (HailMsrpReassembly       *self);

/* RFC 5547 §9: the ranges held (HailMsrpByteRange, total -1), ascending
 * and disjoint, so that an interrupted transfer can resume past them. */
GArray             *hail_msrp_reassembly_dup_ranges   (HailMsrpReassembly       *self)
                                                       G_GNUC_WARN_UNUSED_RESULT;
/* The ranges missing below the total (or below the highest byte held while
 * the total is unknown). */
GArray             *hail_msrp_reassembly_dup_gaps     (HailMsrpReassembly       *self)
                                                       G_GNUC_WARN_UNUSED_RESULT;

/* The whole message once complete; the reassembly keeps no copy. */
GBytes             *hail_msrp_reassembly_steal_bytes  (HailMsrpReassembly       *self)
                                                       G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
