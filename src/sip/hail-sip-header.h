/* hail-sip-header.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header names and the typed header values of RFC 3261 §20 as zero-copy
 * structs of spans. Each parser takes one header value (one element of a
 * comma list) and validates it completely; the spans it fills point into that
 * value, so they live as long as the buffer it came from.
 */
#pragma once

#include <glib.h>

#include "hail-sip-span.h"
#include "hail-sip-uri.h"

G_BEGIN_DECLS

/**
 * HailSipHeaderId:
 *
 * Headers the parser knows by name, long or compact. Everything else is
 * %HAIL_SIP_HEADER_OTHER and is found by its name.
 */
typedef enum {
  HAIL_SIP_HEADER_OTHER,
  HAIL_SIP_HEADER_ACCEPT,
  HAIL_SIP_HEADER_ACCEPT_CONTACT,
  HAIL_SIP_HEADER_ACCEPT_ENCODING,
  HAIL_SIP_HEADER_ACCEPT_LANGUAGE,
  HAIL_SIP_HEADER_ALERT_INFO,
  HAIL_SIP_HEADER_ALLOW,
  HAIL_SIP_HEADER_ALLOW_EVENTS,
  HAIL_SIP_HEADER_AUTHENTICATION_INFO,
  HAIL_SIP_HEADER_AUTHORIZATION,
  HAIL_SIP_HEADER_CALL_ID,
  HAIL_SIP_HEADER_CALL_INFO,
  HAIL_SIP_HEADER_CONTACT,
  HAIL_SIP_HEADER_CONTENT_DISPOSITION,
  HAIL_SIP_HEADER_CONTENT_ENCODING,
  HAIL_SIP_HEADER_CONTENT_LANGUAGE,
  HAIL_SIP_HEADER_CONTENT_LENGTH,
  HAIL_SIP_HEADER_CONTENT_TYPE,
  HAIL_SIP_HEADER_CSEQ,
  HAIL_SIP_HEADER_DATE,
  HAIL_SIP_HEADER_ERROR_INFO,
  HAIL_SIP_HEADER_EVENT,
  HAIL_SIP_HEADER_EXPIRES,
  HAIL_SIP_HEADER_FROM,
  HAIL_SIP_HEADER_IDENTITY,
  HAIL_SIP_HEADER_IN_REPLY_TO,
  HAIL_SIP_HEADER_MAX_FORWARDS,
  HAIL_SIP_HEADER_MIME_VERSION,
  HAIL_SIP_HEADER_MIN_EXPIRES,
  HAIL_SIP_HEADER_MIN_SE,
  HAIL_SIP_HEADER_ORGANIZATION,
  HAIL_SIP_HEADER_PATH,
  HAIL_SIP_HEADER_PRIORITY,
  HAIL_SIP_HEADER_PROXY_AUTHENTICATE,
  HAIL_SIP_HEADER_PROXY_AUTHORIZATION,
  HAIL_SIP_HEADER_PROXY_REQUIRE,
  HAIL_SIP_HEADER_RACK,
  HAIL_SIP_HEADER_REASON,
  HAIL_SIP_HEADER_RECORD_ROUTE,
  HAIL_SIP_HEADER_REFER_TO,
  HAIL_SIP_HEADER_REFERRED_BY,
  HAIL_SIP_HEADER_REJECT_CONTACT,
  HAIL_SIP_HEADER_REPLY_TO,
  HAIL_SIP_HEADER_REQUEST_DISPOSITION,
  HAIL_SIP_HEADER_REQUIRE,
  HAIL_SIP_HEADER_RETRY_AFTER,
  HAIL_SIP_HEADER_ROUTE,
  HAIL_SIP_HEADER_RSEQ,
  HAIL_SIP_HEADER_SERVER,
  HAIL_SIP_HEADER_SERVICE_ROUTE,
  HAIL_SIP_HEADER_SESSION_EXPIRES,
  HAIL_SIP_HEADER_SUBJECT,
  HAIL_SIP_HEADER_SUBSCRIPTION_STATE,
  HAIL_SIP_HEADER_SUPPORTED,
  HAIL_SIP_HEADER_TIMESTAMP,
  HAIL_SIP_HEADER_TO,
  HAIL_SIP_HEADER_UNSUPPORTED,
  HAIL_SIP_HEADER_USER_AGENT,
  HAIL_SIP_HEADER_VIA,
  HAIL_SIP_HEADER_WARNING,
  HAIL_SIP_HEADER_WWW_AUTHENTICATE,
  HAIL_SIP_HEADER_N_IDS
} HailSipHeaderId;

HailSipHeaderId  hail_sip_header_lookup     (const char      *name,
                                             gsize            len);
const char      *hail_sip_header_get_name   (HailSipHeaderId  id);
gboolean         hail_sip_header_is_list    (HailSipHeaderId  id);
gboolean         hail_sip_header_is_single  (HailSipHeaderId  id);

/**
 * HailSipParamIter:
 *
 * Walks a validated `;name[=value]` list (the params span of a #HailSipVia,
 * a #HailSipNameAddr, a #HailSipContentType). Stack-allocated; no fields to
 * read.
 */
typedef struct {
  /*< private >*/
  const char *p;
  const char *end;
} HailSipParamIter;

void      hail_sip_param_iter_init (HailSipParamIter *iter,
                                    HailSipSpan       params);
gboolean  hail_sip_param_iter_next (HailSipParamIter *iter,
                                    HailSipSpan      *name,
                                    HailSipSpan      *value);
gboolean  hail_sip_params_lookup   (HailSipSpan       params,
                                    const char       *name,
                                    HailSipSpan      *value);

/**
 * HailSipVia:
 * @protocol_name: `SIP`
 * @protocol_version: `2.0`
 * @transport: `UDP`, `TCP`, `TLS`, `SCTP`, `WS`... or any token
 * @host: sent-by host, without the brackets of an IPv6 reference
 * @host_is_ipv6: whether @host was an IPv6 reference
 * @port: sent-by port, 0 when absent
 * @branch: value of `branch`, absent when none (RFC 2543 peers)
 * @received: value of `received`, absent when none
 * @maddr: value of `maddr`, absent when none
 * @has_rport: whether `rport` is present
 * @rport: value of `rport`, 0 when present without value (RFC 3581 request)
 * @ttl: value of `ttl`, -1 when absent
 * @params: all parameters after the sent-by, from the first `;`
 *
 * One via-parm (RFC 3261 §20.42).
 */
typedef struct {
  HailSipSpan protocol_name;
  HailSipSpan protocol_version;
  HailSipSpan transport;
  HailSipSpan host;
  gboolean    host_is_ipv6;
  guint       port;
  HailSipSpan branch;
  HailSipSpan received;
  HailSipSpan maddr;
  gboolean    has_rport;
  guint       rport;
  gint        ttl;
  HailSipSpan params;
} HailSipVia;

gboolean hail_sip_via_parse (HailSipVia  *via,
                             const char  *str,
                             gsize        len,
                             GError     **error);

/**
 * HailSipNameAddr:
 * @display_name: display name as written: a quoted-string with its quotes
 *   or a run of tokens; absent when none. See hail_sip_name_addr_dup_display_name().
 * @uri: the URI text, without `<>`
 * @uri_view: @uri parsed
 * @bracketed: whether the URI was inside `<>` (name-addr) or not (addr-spec)
 * @wildcard: `*` (only in Contact)
 * @params: header parameters after the URI, from the first `;`
 * @tag: value of `tag`, absent when none
 *
 * A From, To, Contact, Route, Record-Route, Reply-To, Refer-To... value
 * (RFC 3261 §20.10 and §25.1). In addr-spec form every `;` after the URI
 * starts a header parameter (RFC 3261 §20.10).
 */
typedef struct {
  HailSipSpan    display_name;
  HailSipSpan    uri;
  HailSipUriView uri_view;
  gboolean       bracketed;
  gboolean       wildcard;
  HailSipSpan    params;
  HailSipSpan    tag;
} HailSipNameAddr;

gboolean    hail_sip_name_addr_parse             (HailSipNameAddr       *addr,
                                                  const char            *str,
                                                  gsize                  len,
                                                  GError               **error);
char       *hail_sip_name_addr_dup_display_name  (const HailSipNameAddr *addr,
                                                  gsize                 *len)
  G_GNUC_WARN_UNUSED_RESULT;
HailSipUri *hail_sip_name_addr_get_uri           (const HailSipNameAddr *addr)
  G_GNUC_WARN_UNUSED_RESULT;
char       *hail_sip_name_addr_format            (const char            *display_name,
                                                  const HailSipUri      *uri,
                                                  const char            *params)
  G_GNUC_WARN_UNUSED_RESULT;
gboolean    hail_sip_name_addr_get_expires       (const HailSipNameAddr *addr,
                                                  guint32               *expires);
gboolean    hail_sip_name_addr_get_q             (const HailSipNameAddr *addr,
                                                  guint                 *q);

/**
 * HailSipCSeq:
 * @number: sequence number, at most 2^32-1
 * @method: method token
 */
typedef struct {
  guint32     number;
  HailSipSpan method;
} HailSipCSeq;

gboolean hail_sip_cseq_parse (HailSipCSeq  *cseq,
                              const char   *str,
                              gsize         len,
                              GError      **error);

/**
 * HailSipContentType:
 * @type: media type, such as `application`
 * @subtype: media subtype, such as `sdp`
 * @params: parameters from the first `;`, absent when none
 *
 * A Content-Type value or one Accept element (RFC 3261 §20.15).
 */
typedef struct {
  HailSipSpan type;
  HailSipSpan subtype;
  HailSipSpan params;
} HailSipContentType;

gboolean hail_sip_content_type_parse (HailSipContentType  *ctype,
                                      const char          *str,
                                      gsize                len,
                                      GError             **error);
gboolean hail_sip_content_type_is    (const HailSipContentType *ctype,
                                      const char               *type,
                                      const char               *subtype);

gboolean hail_sip_parse_delta_seconds (const char *str,
                                       gsize       len,
                                       guint32    *value);

G_END_DECLS
