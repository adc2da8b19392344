/* hail-sip-tls-session.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-sip-tls-context.h"

G_BEGIN_DECLS

#define HAIL_TYPE_SIP_TLS_SESSION (hail_sip_tls_session_get_type ())
G_DECLARE_FINAL_TYPE (HailSipTlsSession, hail_sip_tls_session, HAIL, SIP_TLS_SESSION, GObject)

/* One TLS connection driven through memory buffers: the caller moves the
 * ciphertext between the session and its socket, so nothing here blocks.
 * A client session checks the peer's certificate for @peer_name, a DNS name
 * or an IP literal; a server session takes NULL. */
HailSipTlsSession *hail_sip_tls_session_new              (HailSipTlsContext  *context,
                                                          const char         *peer_name,
                                                          GError            **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;

/* A session of either side that trusts exactly the peer certificate whose
 * digest is @fingerprint, an a=fingerprint value (RFC 8122 §5) that
 * hail_sip_tls_fingerprint_check() accepts: the peer must present a
 * certificate (a server asks the client for one), names, dates and issuers
 * are not checked, and another certificate fails the handshake with
 * HAIL_SIP_ERROR_TLS_VERIFY. */
HailSipTlsSession *hail_sip_tls_session_new_pinned       (HailSipTlsContext  *context,
                                                          const char         *fingerprint,
                                                          GError            **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;

/* Hands over ciphertext read from the socket. */
void               hail_sip_tls_session_receive          (HailSipTlsSession  *self,
                                                          const guint8       *data,
                                                          gsize               len);

/* Advances the handshake: TRUE once established; FALSE with
 * G_IO_ERROR_WOULD_BLOCK while it needs the peer, or with
 * HAIL_SIP_ERROR_TLS_VERIFY or HAIL_SIP_ERROR_TLS when it failed. */
gboolean           hail_sip_tls_session_handshake        (HailSipTlsSession  *self,
                                                          GError            **error);

/* Reads plaintext: > 0 bytes, 0 when the peer closed the session, or -1 with
 * G_IO_ERROR_WOULD_BLOCK (more ciphertext needed) or HAIL_SIP_ERROR_TLS. */
gssize             hail_sip_tls_session_read             (HailSipTlsSession  *self,
                                                          guint8             *buffer,
                                                          gsize               len,
                                                          GError            **error);

/* Encrypts plaintext into the output; only once established. */
gboolean           hail_sip_tls_session_write            (HailSipTlsSession  *self,
                                                          const guint8       *data,
                                                          gsize               len,
                                                          GError            **error);

/* Queues a close_notify alert into the output. */
void               hail_sip_tls_session_shutdown         (HailSipTlsSession  *self);

/* Takes the ciphertext to send to the peer, or NULL when there is none. */
GBytes            *hail_sip_tls_session_take_output      (HailSipTlsSession  *self)
                                                          G_GNUC_WARN_UNUSED_RESULT;

gboolean           hail_sip_tls_session_is_established   (HailSipTlsSession  *self);

/* The peer certificate's subject and issuer (RFC 2253 form, such as
 * "CN=Hail Test CA"), known once the peer sent it, also when it failed
 * verification; NULL before. */
const char        *hail_sip_tls_session_get_peer_subject (HailSipTlsSession  *self);
const char        *hail_sip_tls_session_get_peer_issuer  (HailSipTlsSession  *self);

G_END_DECLS
