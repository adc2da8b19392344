/* hail-msrp-message.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-msrp-uri.h"
#include "hail-sip-span.h"

G_BEGIN_DECLS

typedef enum {
  HAIL_MSRP_MESSAGE_KIND_REQUEST,
  HAIL_MSRP_MESSAGE_KIND_RESPONSE,
} HailMsrpMessageKind;

/**
 * HailMsrpMethod:
 * @HAIL_MSRP_METHOD_SEND: SEND, a message or a chunk of one
 * @HAIL_MSRP_METHOD_REPORT: REPORT, delivery status
 * @HAIL_MSRP_METHOD_AUTH: AUTH, a client asking a relay for a path (RFC 4976)
 * @HAIL_MSRP_METHOD_OTHER: any other method, kept by name (answer 501)
 */
typedef enum {
  HAIL_MSRP_METHOD_SEND,
  HAIL_MSRP_METHOD_REPORT,
  HAIL_MSRP_METHOD_AUTH,
  HAIL_MSRP_METHOD_OTHER,
} HailMsrpMethod;

/**
 * HailMsrpContinuation:
 * @HAIL_MSRP_CONTINUATION_COMPLETE: `$`, the last chunk of the message
 * @HAIL_MSRP_CONTINUATION_MORE: `+`, more chunks follow
 * @HAIL_MSRP_CONTINUATION_ABORTED: `#`, the sender gave the message up
 *
 * The flag of the end-line (RFC 4975 §7.1); the values are the characters.
 */
typedef enum {
  HAIL_MSRP_CONTINUATION_COMPLETE = '$',
  HAIL_MSRP_CONTINUATION_MORE = '+',
  HAIL_MSRP_CONTINUATION_ABORTED = '#',
} HailMsrpContinuation;

/* Success-Report and Failure-Report values (RFC 4975 §7.1.1). */
typedef enum {
  HAIL_MSRP_REPORT_NO,
  HAIL_MSRP_REPORT_YES,
  HAIL_MSRP_REPORT_PARTIAL,
} HailMsrpReport;

/* Byte-Range: start-end/total (RFC 4975 §7.1.1), 1-based and inclusive;
 * @end and @total are -1 for `*`. */
typedef struct {
  guint64 start;
  gint64  end;
  gint64  total;
} HailMsrpByteRange;

/* Status: namespace code [comment] (RFC 4975 §9); namespace 000 is MSRP. */
typedef struct {
  guint       name_space;
  guint       code;
  HailSipSpan comment;
} HailMsrpStatus;

#define HAIL_TYPE_MSRP_MESSAGE (hail_msrp_message_get_type ())

/* One parsed MSRP request or response: it owns its bytes, and every span it
 * hands out points into them. Immutable and refcounted. */
typedef struct _HailMsrpMessage HailMsrpMessage;

GType            hail_msrp_message_get_type        (void) G_GNUC_CONST;

/* Parses exactly one whole frame (start line to end-line) held in @bytes. */
HailMsrpMessage *hail_msrp_message_parse           (GBytes        *bytes,
                                                    GError       **error)
                                                    G_GNUC_WARN_UNUSED_RESULT;
/* Stream mode: parses the frame at the start of @data, copying it, and sets
 * @consumed to its length. HAIL_SIP_ERROR_INCOMPLETE when @data ends before
 * the end-line; MALFORMED or TOO_LARGE when no more bytes can help. */
HailMsrpMessage *hail_msrp_message_parse_prefix    (const guint8  *data,
                                                    gsize          len,
                                                    gsize         *consumed,
                                                    GError       **error)
                                                    G_GNUC_WARN_UNUSED_RESULT;
HailMsrpMessage *hail_msrp_message_ref             (HailMsrpMessage *self);
void             hail_msrp_message_unref           (HailMsrpMessage *self);

HailMsrpMessageKind hail_msrp_message_get_kind     (const HailMsrpMessage *self);
HailSipSpan      hail_msrp_message_get_transaction_id (const HailMsrpMessage *self);
/* Requests: the method, and its name as written. */
HailMsrpMethod   hail_msrp_message_get_method      (const HailMsrpMessage *self);
HailSipSpan      hail_msrp_message_get_method_name (const HailMsrpMessage *self);
/* Responses: the status code and the comment (absent when none). */
guint            hail_msrp_message_get_status_code (const HailMsrpMessage *self);
HailSipSpan      hail_msrp_message_get_comment     (const HailMsrpMessage *self);

/* Header lines in order, names as written. */
guint            hail_msrp_message_get_n_headers   (const HailMsrpMessage *self);
void             hail_msrp_message_get_header      (const HailMsrpMessage *self,
                                                    guint                  index,
                                                    HailSipSpan           *name,
                                                    HailSipSpan           *value);
/* The first header called @name (case-insensitive), absent when none. */
HailSipSpan      hail_msrp_message_get_header_value (const HailMsrpMessage *self,
                                                     const char            *name);

/* The URIs of To-Path and From-Path, leftmost first: HailMsrpUri*,
 * borrowed, never empty. */
GPtrArray       *hail_msrp_message_get_to_path     (const HailMsrpMessage *self);
GPtrArray       *hail_msrp_message_get_from_path   (const HailMsrpMessage *self);
/* RFC 4976 §5.1: the Use-Path of a relay's 200 to AUTH (HailMsrpUri*,
 * borrowed, never empty), NULL when none. */
GPtrArray       *hail_msrp_message_get_use_path    (const HailMsrpMessage *self);
/* RFC 4976 §5.1: Expires in seconds; FALSE when the message has none. */
gboolean         hail_msrp_message_get_expires     (const HailMsrpMessage *self,
                                                    guint                 *seconds);
/* Absent when none. */
HailSipSpan      hail_msrp_message_get_message_id  (const HailMsrpMessage *self);
/* FALSE when the message has no Byte-Range. */
gboolean         hail_msrp_message_get_byte_range  (const HailMsrpMessage *self,
                                                    HailMsrpByteRange     *range);
/* With the defaults of RFC 4975 §7.1.1 when absent: no and yes. */
HailMsrpReport   hail_msrp_message_get_success_report (const HailMsrpMessage *self);
HailMsrpReport   hail_msrp_message_get_failure_report (const HailMsrpMessage *self);
/* FALSE when the message has no Status. */
gboolean         hail_msrp_message_get_status      (const HailMsrpMessage *self,
                                                    HailMsrpStatus        *status);
/* Absent when the message has no body. */
HailSipSpan      hail_msrp_message_get_content_type (const HailMsrpMessage *self);
gboolean         hail_msrp_message_has_body        (const HailMsrpMessage *self);
/* The body (empty when none); the bytes variant shares the memory. */
const guint8    *hail_msrp_message_get_body        (const HailMsrpMessage *self,
                                                    gsize                 *len);
GBytes          *hail_msrp_message_dup_body        (const HailMsrpMessage *self)
                                                    G_GNUC_WARN_UNUSED_RESULT;
HailMsrpContinuation hail_msrp_message_get_continuation (const HailMsrpMessage *self);
/* The frame as received. */
GBytes          *hail_msrp_message_get_bytes       (const HailMsrpMessage *self);

/* Writes the message back from its parts. The parser accepts only the
 * canonical form, so this equals the bytes it was parsed from. */
GBytes          *hail_msrp_message_to_bytes        (const HailMsrpMessage *self)
                                                    G_GNUC_WARN_UNUSED_RESULT;

/* Byte-Range as written on the wire, such as "1-25/25" or "1-* / *" (no
 * spaces). */
char            *hail_msrp_byte_range_to_string    (const HailMsrpByteRange *range)
                                                    G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailMsrpMessage, hail_msrp_message_unref)

G_END_DECLS
