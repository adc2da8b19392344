/* hail-sip-message.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailSipMessage: a parsed SIP request or response. It keeps one GBytes and
 * every HailSipSpan it hands out points into it, so spans live as long as
 * the message. Parsing validates the headers the stack relies on, so typed
 * accessors never fail on a parsed message; others are read by name
 * (hail_sip_message_get_header(), HailSipHeaderIter). Writing goes through
 * HailSipMessageBuilder (hail-sip-message-builder.h).
 */
#pragma once

#include <glib-object.h>

#include "hail-sip-header.h"
#include "hail-sip-limits.h"
#include "hail-sip-span.h"
#include "hail-sip-uri.h"

G_BEGIN_DECLS

/**
 * HailSipParseMode:
 * @HAIL_SIP_PARSE_DATAGRAM: the bytes are one UDP datagram: a missing
 *   Content-Length means the body is the rest, a Content-Length larger than
 *   what arrived is an error, and bytes after the message are ignored
 * @HAIL_SIP_PARSE_STREAM: the bytes come from a stream (TCP, TLS): a missing
 *   Content-Length is an error, and a short message is
 *   %HAIL_SIP_ERROR_INCOMPLETE so the reader waits for more
 */
typedef enum {
  HAIL_SIP_PARSE_DATAGRAM,
  HAIL_SIP_PARSE_STREAM,
} HailSipParseMode;

#define HAIL_TYPE_SIP_MESSAGE (hail_sip_message_get_type ())

typedef struct _HailSipMessage HailSipMessage;

/**
 * HailSipHeaderIter:
 *
 * Walks the values of one header across all its lines, in order. For list
 * headers (Via, Contact, Route, Allow...) each comma-separated element is one
 * value; commas inside quotes or `<>` do not split. Stack-allocated.
 */
typedef struct {
  /*< private >*/
  const HailSipMessage *msg;
  const char           *name;
  gsize                 name_len;
  HailSipHeaderId       id;
  gboolean              split;
  guint                 index;
  const char           *p;
  const char           *end;
} HailSipHeaderIter;

GType                hail_sip_message_get_type        (void) G_GNUC_CONST;

HailSipMessage      *hail_sip_message_parse           (GBytes               *bytes,
                                                       HailSipParseMode      mode,
                                                       const HailSipLimits  *limits,
                                                       gsize                *consumed,
                                                       GError              **error)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipMessage      *hail_sip_message_parse_data      (const char           *data,
                                                       gsize                 len,
                                                       HailSipParseMode      mode,
                                                       GError              **error)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipMessage      *hail_sip_message_ref             (HailSipMessage       *self);
void                 hail_sip_message_unref           (HailSipMessage       *self);

GBytes              *hail_sip_message_get_bytes       (const HailSipMessage *self)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean             hail_sip_message_is_request      (const HailSipMessage *self);
HailSipSpan          hail_sip_message_get_method      (const HailSipMessage *self);
gboolean             hail_sip_message_is_method       (const HailSipMessage *self,
                                                       const char           *method);
HailSipSpan          hail_sip_message_get_request_uri (const HailSipMessage *self);
const HailSipUriView *hail_sip_message_get_request_uri_view (const HailSipMessage *self);
guint                hail_sip_message_get_status      (const HailSipMessage *self);
HailSipSpan          hail_sip_message_get_reason      (const HailSipMessage *self);
HailSipSpan          hail_sip_message_get_body        (const HailSipMessage *self);

guint                hail_sip_message_get_n_headers   (const HailSipMessage *self);
gboolean             hail_sip_message_get_header_at   (const HailSipMessage *self,
                                                       guint                 index,
                                                       HailSipSpan          *name,
                                                       HailSipSpan          *value,
                                                       HailSipHeaderId      *id);
gboolean             hail_sip_message_get_header      (const HailSipMessage *self,
                                                       const char           *name,
                                                       HailSipSpan          *value);
char                *hail_sip_message_dup_header      (const HailSipMessage *self,
                                                       const char           *name)
  G_GNUC_WARN_UNUSED_RESULT;
guint                hail_sip_message_count_headers   (const HailSipMessage *self,
                                                       const char           *name);

void                 hail_sip_message_iter_init       (const HailSipMessage *self,
                                                       HailSipHeaderIter    *iter,
                                                       const char           *name);
gboolean             hail_sip_header_iter_next        (HailSipHeaderIter    *iter,
                                                       HailSipSpan          *value);

guint                hail_sip_message_get_n_vias      (const HailSipMessage *self);
gboolean             hail_sip_message_get_via         (const HailSipMessage *self,
                                                       guint                 index,
                                                       HailSipVia           *via);
const HailSipNameAddr *hail_sip_message_get_from      (const HailSipMessage *self);
const HailSipNameAddr *hail_sip_message_get_to        (const HailSipMessage *self);
HailSipSpan          hail_sip_message_get_call_id     (const HailSipMessage *self);
const HailSipCSeq   *hail_sip_message_get_cseq        (const HailSipMessage *self);
gint                 hail_sip_message_get_max_forwards (const HailSipMessage *self);
gboolean             hail_sip_message_get_expires     (const HailSipMessage *self,
                                                       guint32              *expires);
gboolean             hail_sip_message_get_retry_after (const HailSipMessage *self,
                                                       guint32              *seconds);
gboolean             hail_sip_message_get_min_expires (const HailSipMessage *self,
                                                       guint32              *min_expires);
gboolean             hail_sip_message_get_content_type (const HailSipMessage *self,
                                                        HailSipContentType   *ctype);
gboolean             hail_sip_message_get_content_length (const HailSipMessage *self,
                                                          gsize                *length);
guint                hail_sip_message_get_n_contacts  (const HailSipMessage *self);
gboolean             hail_sip_message_get_contact     (const HailSipMessage *self,
                                                       guint                 index,
                                                       HailSipNameAddr      *contact);
guint                hail_sip_message_get_route_set   (const HailSipMessage *self,
                                                       HailSipHeaderId       which,
                                                       HailSipNameAddr      *routes,
                                                       guint                 max_routes);
gboolean             hail_sip_message_has_option      (const HailSipMessage *self,
                                                       HailSipHeaderId       which,
                                                       const char           *option);

/**
 * HailSipRequestPolicy:
 * @methods: (nullable): methods the UAS implements, %NULL-terminated; %NULL
 *   for INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, MESSAGE, INFO, PRACK,
 *   UPDATE, SUBSCRIBE, NOTIFY, REFER
 * @extensions: (nullable): option tags the UAS supports (Require check)
 * @content_types: (nullable): `type/subtype` bodies the UAS reads; %NULL for
 *   application/sdp and text/plain
 *
 * What hail_sip_message_check_request() accepts.
 */
typedef struct {
  const char * const *methods;
  const char * const *extensions;
  const char * const *content_types;
} HailSipRequestPolicy;

gboolean             hail_sip_message_check_request   (const HailSipMessage       *self,
                                                       const HailSipRequestPolicy *policy,
                                                       char                      **unsupported,
                                                       GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipMessage, hail_sip_message_unref)

G_END_DECLS
