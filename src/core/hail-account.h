/* hail-account.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-msrp-uri.h"
#include "hail-sip-pager.h"
#include "hail-sip-registration.h"
#include "hail-sip-server-transaction.h"
#include "hail-sip-stack.h"

G_BEGIN_DECLS

/* Methods and bodies an account answers OPTIONS with (RFC 3261 §11.2). */
#define HAIL_ACCOUNT_ALLOW  "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, UPDATE, NOTIFY"
#define HAIL_ACCOUNT_ACCEPT "application/sdp, text/plain, message/cpim"

#define HAIL_TYPE_ACCOUNT (hail_account_get_type ())
G_DECLARE_FINAL_TYPE (HailAccount, hail_account, HAIL, ACCOUNT, GObject)

/* One SIP account as both front ends use it: its sockets, its stack, its
 * credentials and its registration. "sip-message" (gboolean outgoing,
 * const char *transport, const char *peer, GBytes *bytes) sees every
 * message, for traces; "request" (HailSipServerTransaction *txn or NULL,
 * HailSipMessage *request) offers each incoming request other than OPTIONS,
 * which the account answers itself; a handler returns TRUE when it took
 * it (otherwise 501). */
HailAccount         *hail_account_new              (const char          *aor,
                                                    GError             **error)
  G_GNUC_WARN_UNUSED_RESULT;

HailSipUri          *hail_account_get_aor          (HailAccount         *self);
HailSipStack        *hail_account_get_stack        (HailAccount         *self);
/* The pager model (RFC 3428) over this account's stack, proxy,
 * transport and credentials; made at the first call. Borrowed. */
HailSipPager        *hail_account_get_pager        (HailAccount         *self);
/* NULL before hail_account_start(). */
HailSipRegistration *hail_account_get_registration (HailAccount         *self);
const char          *hail_account_get_instance_id  (HailAccount         *self);

void                 hail_account_set_auth_user    (HailAccount         *self,
                                                    const char          *auth_user);
/* The password is copied, kept only in the digest cache, and wiped. */
void                 hail_account_set_password     (HailAccount         *self,
                                                    const char          *password);
/* The registrar or outbound proxy; NULL resolves the AOR's domain. */
gboolean             hail_account_set_proxy        (HailAccount         *self,
                                                    const char          *proxy,
                                                    GError             **error);
/* -1 lets the proxy URI or RFC 3263 choose. */
void                 hail_account_set_transport    (HailAccount         *self,
                                                    gint                 kind);
gboolean             hail_account_set_ca_file      (HailAccount         *self,
                                                    const char          *ca_file,
                                                    GError             **error);
/* RFC 4976: the MSRP relay ("msrps://host:port;tcp") that message sessions
 * offered and answered go through, authenticated with this account's
 * credentials; NULL or "" for direct sessions. The error quotes @relay. */
gboolean             hail_account_set_msrp_relay   (HailAccount         *self,
                                                    const char          *relay,
                                                    GError             **error);
/* NULL for direct sessions. */
HailMsrpUri         *hail_account_get_msrp_relay   (HailAccount         *self);
void                 hail_account_set_expires      (HailAccount         *self,
                                                    guint                expires);
void                 hail_account_set_t1           (HailAccount         *self,
                                                    guint                t1_ms);

/* Binds UDP and TCP on @listen ("HOST:PORT", NULL for 0.0.0.0:0; TCP takes
 * the UDP port when it is free). Returns the bound sockets as
 * HailSipTarget (kind and address). */
GPtrArray           *hail_account_start            (HailAccount         *self,
                                                    const char          *listen,
                                                    GError             **error)
  G_GNUC_WARN_UNUSED_RESULT;

void                 hail_account_register_async   (HailAccount         *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean             hail_account_register_finish  (HailAccount         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void                 hail_account_unregister_async (HailAccount         *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean             hail_account_unregister_finish (HailAccount        *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* Sends OPTIONS to @uri (through the proxy when one is set) and returns
 * the final response, whatever its status. */
void                 hail_account_options_async    (HailAccount         *self,
                                                    const char          *uri,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
HailSipMessage      *hail_account_options_finish   (HailAccount         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* Calls: what an INVITE session needs from its account. The auth is NULL
 * without a password; the proxy NULL without one; the transport -1 to
 * let the URI or RFC 3263 choose. SRTP is always offered on TLS; an
 * account that requires it refuses plain RTP. */
HailSipAuth         *hail_account_get_auth         (HailAccount         *self);
HailSipUri          *hail_account_get_proxy        (HailAccount         *self);
gint                 hail_account_get_transport    (HailAccount         *self);
gboolean             hail_account_get_srtp_required (HailAccount        *self);
void                 hail_account_set_srtp_required (HailAccount        *self,
                                                     gboolean            required);
/* A peer to reach (@uri: a sip: or sips: URI with a host); the error
 * names the URI. */
HailSipUri          *hail_account_parse_peer        (const char         *uri,
                                                     GError            **error)
  G_GNUC_WARN_UNUSED_RESULT;
/* The transport for requests to peers: the account's, else the proxy's
 * ;transport parameter, else -1 (the URI or RFC 3263 decides). */
gint                 hail_account_get_request_transport (HailAccount    *self);

/* The local address media (RTP, MSRP) should use to reach @host (an IP
 * literal, or NULL): the interface the kernel routes to it, else the one
 * toward the registrar, else the bound one, else the loopback address. */
char                *hail_account_dup_local_address (HailAccount        *self,
                                                     const char         *host)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
