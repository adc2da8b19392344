/* hail-sip-auth.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Answers to one realm's challenges within one request before we give
 * up: bounds a server that re-challenges forever with stale=true. */
#define HAIL_SIP_AUTH_MAX_ATTEMPTS 4

/**
 * HailSipAuthKind:
 * @HAIL_SIP_AUTH_KIND_WWW: a 401 with WWW-Authenticate, answered with Authorization
 * @HAIL_SIP_AUTH_KIND_PROXY: a 407 with Proxy-Authenticate, answered with
 *   Proxy-Authorization
 */
typedef enum {
  HAIL_SIP_AUTH_KIND_WWW,
  HAIL_SIP_AUTH_KIND_PROXY,
} HailSipAuthKind;

/**
 * HailSipAuthHeader:
 * @name: "Authorization" or "Proxy-Authorization"
 * @realm: the realm it answers; a request carries one header per realm
 * @value: the header value
 * @nonce: the nonce it answers
 * @attempt: how many challenges of this realm the request has had answered
 *   (0 for a pre-authorisation)
 * @preauthorised: whether it came from hail_sip_auth_authorize() rather
 *   than from answering a challenge to this request
 *
 * An Authorization or Proxy-Authorization header to add to a request. Keep
 * the ones a request carried: when it is challenged again, they tell
 * hail_sip_auth_respond() that the password was refused.
 */
typedef struct {
  char    *name;
  char    *realm;
  char    *value;
  char    *nonce;
  guint    attempt;
  gboolean preauthorised;
} HailSipAuthHeader;

/**
 * HailSipAuthRequest:
 * @method: the method of the request to (re)send
 * @uri: its Request-URI
 * @body: its body (covered by qop=auth-int); may be %NULL when @body_len is 0
 * @body_len: length of @body
 * @sent: (nullable) (element-type HailSipAuthHeader): the headers the
 *   challenged request carried, %NULL or empty when it carried none
 */
typedef struct {
  const char   *method;
  const char   *uri;
  const guint8 *body;
  gsize         body_len;
  GPtrArray    *sent;
} HailSipAuthRequest;

void hail_sip_auth_header_free (HailSipAuthHeader *header);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipAuthHeader, hail_sip_auth_header_free)

#define HAIL_TYPE_SIP_AUTH (hail_sip_auth_get_type ())
G_DECLARE_FINAL_TYPE (HailSipAuth, hail_sip_auth, HAIL, SIP_AUTH, GObject)

HailSipAuth *hail_sip_auth_new                (const char          *username,
                                               const char          *auth_user,
                                               const char          *password)
  G_GNUC_WARN_UNUSED_RESULT;

const char  *hail_sip_auth_get_username       (HailSipAuth         *self);
const char  *hail_sip_auth_get_auth_user      (HailSipAuth         *self);
gboolean     hail_sip_auth_get_want_integrity (HailSipAuth         *self);
void         hail_sip_auth_set_want_integrity (HailSipAuth         *self,
                                               gboolean             want_integrity);

/* Replaces the password (after the user typed a new one): forgets every
 * cached realm, since its answers were made with the old one. */
void         hail_sip_auth_set_password       (HailSipAuth         *self,
                                               const char          *password);

/* Answers the challenges of a 401 (@kind WWW, @challenges its
 * WWW-Authenticate values) or 407 (PROXY, Proxy-Authenticate values) to
 * @request, whose @sent lists what it carried. Returns a new array of
 * HailSipAuthHeader, one per challenged realm, to add to the resent request
 * in place of any earlier header for the same realm; or %NULL with
 * HAIL_SIP_ERROR_AUTH_REJECTED (the password was refused: stop) or
 * HAIL_SIP_ERROR_AUTH_UNSUPPORTED. */
GPtrArray   *hail_sip_auth_respond            (HailSipAuth               *self,
                                               HailSipAuthKind            kind,
                                               const char * const        *challenges,
                                               const HailSipAuthRequest  *request,
                                               GError                   **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* Pre-authorises a new request with every realm answered before (RFC 7616
 * §3.4: the next nc for the cached nonce). Returns a new array of
 * HailSipAuthHeader, empty when nothing is cached. */
GPtrArray   *hail_sip_auth_authorize          (HailSipAuth               *self,
                                               const HailSipAuthRequest  *request,
                                               GError                   **error)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
