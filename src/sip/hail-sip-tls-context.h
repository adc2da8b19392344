/* hail-sip-tls-context.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-sip-tls-identity.h"

G_BEGIN_DECLS

#define HAIL_TYPE_SIP_TLS_CONTEXT (hail_sip_tls_context_get_type ())
G_DECLARE_FINAL_TYPE (HailSipTlsContext, hail_sip_tls_context, HAIL, SIP_TLS_CONTEXT, GObject)

/* Client settings: TLS 1.2 or later, peers verified against the system trust
 * store plus @ca_file (PEM, may be NULL). Verification cannot be turned off. */
HailSipTlsContext *hail_sip_tls_context_new_client (const char  *ca_file,
                                                    GError     **error) G_GNUC_WARN_UNUSED_RESULT;

/* Server settings: TLS 1.2 or later, presenting @cert_file (PEM, the leaf
 * then its chain) with the private key in @key_file. */
HailSipTlsContext *hail_sip_tls_context_new_server (const char  *cert_file,
                                                    const char  *key_file,
                                                    GError     **error) G_GNUC_WARN_UNUSED_RESULT;

/* Settings that present @identity: a server context (the passive side of
 * MSRP over TLS), or a client context that also verifies peers against
 * the system trust store plus @ca_file (may be NULL) unless a session is
 * pinned (hail_sip_tls_session_new_pinned()). */
HailSipTlsContext *hail_sip_tls_context_new_for_identity (HailSipTlsIdentity  *identity,
                                                          gboolean             server,
                                                          const char          *ca_file,
                                                          GError             **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;

gboolean           hail_sip_tls_context_is_server  (HailSipTlsContext *self);

G_END_DECLS
