/* hail-sip-uri.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-sip-span.h"

G_BEGIN_DECLS

/**
 * HailSipUriScheme:
 * @HAIL_SIP_URI_SCHEME_SIP: `sip:` (RFC 3261 §19.1)
 * @HAIL_SIP_URI_SCHEME_SIPS: `sips:`
 * @HAIL_SIP_URI_SCHEME_TEL: `tel:` (RFC 3966)
 * @HAIL_SIP_URI_SCHEME_OTHER: any other absolute URI, kept opaque
 */
typedef enum {
  HAIL_SIP_URI_SCHEME_SIP,
  HAIL_SIP_URI_SCHEME_SIPS,
  HAIL_SIP_URI_SCHEME_TEL,
  HAIL_SIP_URI_SCHEME_OTHER,
} HailSipUriScheme;

/**
 * HailSipUriView:
 * @scheme: the scheme
 * @scheme_name: the scheme as written, without the colon
 * @user: user part, still %-escaped (tel: the number); absent when none
 * @password: password, still escaped; absent when none
 * @host: host without the brackets of an IPv6 reference; absent for tel: and
 *   other schemes
 * @host_is_ipv6: whether @host was an IPv6 reference `[...]`
 * @port: port, 0 when absent
 * @params: URI parameters after the first `;`, escaped; absent when none
 * @headers: URI headers after `?`, escaped; absent when none
 * @opaque: for other schemes, everything after the colon
 *
 * A parsed URI as spans into the text it was parsed from: no allocation.
 * Every span has been validated against the grammar.
 */
typedef struct {
  HailSipUriScheme scheme;
  HailSipSpan      scheme_name;
  HailSipSpan      user;
  HailSipSpan      password;
  HailSipSpan      host;
  gboolean         host_is_ipv6;
  guint            port;
  HailSipSpan      params;
  HailSipSpan      headers;
  HailSipSpan      opaque;
} HailSipUriView;

gboolean hail_sip_uri_view_parse (HailSipUriView *view,
                                  const char     *str,
                                  gsize           len,
                                  GError        **error);

#define HAIL_TYPE_SIP_URI (hail_sip_uri_get_type ())

typedef struct _HailSipUri HailSipUri;

GType             hail_sip_uri_get_type      (void) G_GNUC_CONST;

HailSipUri       *hail_sip_uri_parse         (const char        *str,
                                              gssize             len,
                                              GError           **error) G_GNUC_WARN_UNUSED_RESULT;
HailSipUri       *hail_sip_uri_new_from_view (const HailSipUriView *view) G_GNUC_WARN_UNUSED_RESULT;
HailSipUri       *hail_sip_uri_new           (HailSipUriScheme   scheme,
                                              const char        *user,
                                              const char        *host,
                                              guint              port,
                                              GError           **error) G_GNUC_WARN_UNUSED_RESULT;
HailSipUri       *hail_sip_uri_ref           (HailSipUri        *self);
void              hail_sip_uri_unref         (HailSipUri        *self);

HailSipUriScheme  hail_sip_uri_get_scheme    (const HailSipUri  *self);
const char       *hail_sip_uri_get_scheme_name (const HailSipUri *self);
const char       *hail_sip_uri_get_user      (const HailSipUri  *self,
                                              gsize             *len);
const char       *hail_sip_uri_get_password  (const HailSipUri  *self,
                                              gsize             *len);
const char       *hail_sip_uri_get_host      (const HailSipUri  *self);
gboolean          hail_sip_uri_host_is_ipv6  (const HailSipUri  *self);
guint             hail_sip_uri_get_port      (const HailSipUri  *self);
const char       *hail_sip_uri_get_params    (const HailSipUri  *self);
const char       *hail_sip_uri_get_headers   (const HailSipUri  *self);
const char       *hail_sip_uri_get_opaque    (const HailSipUri  *self);
gboolean          hail_sip_uri_has_param     (const HailSipUri  *self,
                                              const char        *name);
char             *hail_sip_uri_dup_param     (const HailSipUri  *self,
                                              const char        *name,
                                              gsize             *len) G_GNUC_WARN_UNUSED_RESULT;
char             *hail_sip_uri_dup_header    (const HailSipUri  *self,
                                              const char        *name,
                                              gsize             *len) G_GNUC_WARN_UNUSED_RESULT;
gboolean          hail_sip_uri_is_global_number (const HailSipUri *self);
const char       *hail_sip_uri_to_string     (const HailSipUri  *self);
gboolean          hail_sip_uri_equal         (const HailSipUri  *a,
                                              const HailSipUri  *b);

char             *hail_sip_uri_unescape      (const char        *str,
                                              gsize              len,
                                              gsize             *out_len) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipUri, hail_sip_uri_unref)

G_END_DECLS
